// Which upgrade.ini a command acts on: the one given, the active editor's, or
// the only (or chosen) one in the workspace.
import * as vscode from 'vscode';

export const LANGUAGE_ID = 'netserver-upgrade-ini';

export async function findConfigs(): Promise<vscode.Uri[]> {
  const globs = vscode.workspace.getConfiguration('nsupgrade').get<string[]>('files', ['**/upgrade.ini']);
  const found = await Promise.all(globs.map((g) => vscode.workspace.findFiles(g, '**/node_modules/**', 50)));
  const seen = new Map<string, vscode.Uri>();
  for (const u of found.flat()) seen.set(u.toString(), u);
  return [...seen.values()];
}

export async function pickConfig(uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (uri instanceof vscode.Uri) return uri;
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === LANGUAGE_ID && active.uri.scheme === 'file') return active.uri;
  const all = await findConfigs();
  if (all.length === 1) return all[0];
  if (all.length === 0) {
    const pick = await vscode.window.showWarningMessage('No upgrade.ini in this workspace.', 'New upgrade.ini');
    if (pick) await vscode.commands.executeCommand('nsupgrade.newConfig');
    return undefined;
  }
  const choice = await vscode.window.showQuickPick(all.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })), { placeHolder: 'Which upgrade.ini?' });
  return choice?.uri;
}
