// New upgrade.ini (a commented template) and Update File Hashes (the hash
// fixes the language server's file checks carry, applied as one edit).
import * as vscode from 'vscode';
import type { ConfigSummaries } from '../summaries';
import { LANGUAGE_ID, pickConfig } from './pickConfig';

export const TEMPLATE = `; Net Server automatic upgrades for Net Phone.
; Clients on CurrentVersion or newer are let in; older ones are upgraded at login:
; the patch when their version is in Patchable, else the full setup.

[Server]
; The normal Net Server port: upgrades travel over it too.
Port = 8767
; 127.0.0.1 serves this machine only; 0.0.0.0 serves the network.
Bind = 127.0.0.1
; Where the setup files are, relative to this file.
FileRoot = .
MaxTransfers = 4
IdleTimeout = 30

[Upgrade]
Enabled = Yes
CurrentVersion = 5.20.12
; Forced: "Upgrade in progress", not let in until upgraded. Optional: users may decline.
Mode = Forced
FullSetup = Netphone_520.exe
PatchFile = NP_Update.exe
; Versions that get the patch: 5.10.3, 5.10.*, 5.10.1 - 5.10.99, >=5.0 <5.10
Patchable = 5.10.*

[Setup]
; Setup asks the user to exit these before upgrading.
ConflictingApps = Chat, DSS
; If the user keeps them open, restart the PC after upgrading.
RestartIfBusy = Yes
`;

/**
 * Opens the template as a new, unsaved upgrade.ini. Its tab reads
 * `upgrade.ini` (an untitled document without a name is titled by its first
 * line, a comment); in a workspace it is the folder's upgrade.ini (or
 * new.upgrade.ini, new-2.upgrade.ini... when that exists), so Save writes it there.
 */
export async function newConfig(): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(await newConfigUri());
  const editor = await vscode.window.showTextDocument(doc);
  if (doc.languageId !== LANGUAGE_ID) await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
  if (doc.getText() === '') await editor.edit((b) => b.insert(new vscode.Position(0, 0), TEMPLATE));
  // The cursor at the top, where the explanation starts.
  editor.selection = new vscode.Selection(0, 0, 0, 0);
}

async function newConfigUri(): Promise<vscode.Uri> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder || folder.scheme !== 'file') return vscode.Uri.from({ scheme: 'untitled', path: 'upgrade.ini' });
  for (let i = 1; ; i++) {
    const name = i === 1 ? 'upgrade.ini' : i === 2 ? 'new.upgrade.ini' : `new-${i - 1}.upgrade.ini`;
    const file = vscode.Uri.joinPath(folder, name);
    const taken = vscode.workspace.textDocuments.some((d) => d.uri.path === file.path) || (await vscode.workspace.fs.stat(file).then(() => true, () => false));
    if (!taken) return file.with({ scheme: 'untitled' });
  }
}

export async function updateHashes(summaries: ConfigSummaries, uri?: vscode.Uri): Promise<void> {
  const target = await pickConfig(uri);
  if (!target) return;
  const doc = await vscode.workspace.openTextDocument(target);
  let found: { edits: vscode.TextEdit[]; keys: string[] };
  try {
    found = await summaries.hashEdits(target);
  } catch (err) {
    void vscode.window.showErrorMessage((err as Error).message);
    return;
  }
  if (found.edits.length === 0) {
    void vscode.window.showInformationMessage('The file hashes are already up to date (or the files are missing).');
    return;
  }
  // Saved only when the edit is all there is to save: never the user's other unsaved changes.
  const hadChanges = doc.isDirty;
  const edit = new vscode.WorkspaceEdit();
  edit.set(target, found.edits);
  // Not a refactoring: VS Code would then save (or not) by files.refactoring.autoSave, and the message could not tell.
  if (!(await vscode.workspace.applyEdit(edit, { isRefactoring: false }))) {
    void vscode.window.showErrorMessage(`The file hashes could not be written to ${vscode.workspace.asRelativePath(target)}.`);
    return;
  }
  if (!hadChanges && doc.uri.scheme === 'file') await doc.save();
  // files.autoSave afterDelay (VS Code in the browser has it by default) saves it in a moment, other changes and all: say so once it has.
  if (doc.isDirty && doc.uri.scheme === 'file') await autoSaved(doc);
  const state = doc.isDirty ? (hadChanges ? 'other-changes' : 'unsaved') : hadChanges ? 'auto-saved' : 'saved';
  void vscode.window.showInformationMessage(hashMessage(found.keys, found.edits.length, vscode.workspace.asRelativePath(target), state));
}

/** Waits for files.autoSave to save `doc` when it is set to save after a delay (bounded by that delay); resolves at once otherwise. */
async function autoSaved(doc: vscode.TextDocument): Promise<void> {
  const files = vscode.workspace.getConfiguration('files', doc);
  if (files.get<string>('autoSave') !== 'afterDelay') return;
  const delay = files.get<number>('autoSaveDelay', 1000);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, delay + 3000);
    const saved = vscode.workspace.onDidSaveTextDocument((d) => d === doc && done());
    function done(): void {
      clearTimeout(timer);
      saved.dispose();
      resolve();
    }
  });
}

/** What Update File Hashes did, as it is: which keys, where, and whether the file on disk has them. */
export function hashMessage(keys: readonly string[], edits: number, file: string, state: 'saved' | 'auto-saved' | 'other-changes' | 'unsaved'): string {
  const what = keys.length === 2 ? `both SHA-256 keys (${keys.join(', ')})` : keys.length === 1 ? keys[0] : `${edits} SHA-256 key${edits === 1 ? '' : 's'}`;
  if (state === 'saved') return `Wrote ${what} to ${file} and saved it.`;
  if (state === 'auto-saved') return `Wrote ${what} to ${file}; files.autoSave saved it, with its other unsaved changes.`;
  const why = state === 'other-changes' ? 'it has other unsaved changes, so it was not saved' : 'it is not saved';
  return `Wrote ${what} into ${file}; ${why}: Save to keep them.`;
}
