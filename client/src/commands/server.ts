// Start / Stop / Restart the upgrade server, with a way forward when it
// cannot start (a port in use, a config with errors).
import * as vscode from 'vscode';
import type { UpgradeServerHost } from '../upgradeServerHost';
import { pickConfig } from './pickConfig';

export function serverOverrides(): { port?: number; host?: string } {
  const cfg = vscode.workspace.getConfiguration('nsupgrade.server');
  const port = cfg.get<number | null>('port', null);
  const host = cfg.get<string>('bind', '');
  return { port: port ?? undefined, host: host || undefined };
}

export async function startServer(host: UpgradeServerHost, log: vscode.LogOutputChannel, uri?: vscode.Uri): Promise<void> {
  const config = await pickConfig(uri);
  if (!config) return;
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === config.fsPath);
  if (doc?.isDirty) await doc.save();
  const state = await host.start(config.fsPath, serverOverrides());
  if (state.kind === 'running') {
    log.info(`upgrade server listening on ${state.host}:${state.port} for ${state.config}`);
    return;
  }
  if (state.kind !== 'failed') return;
  log.error(state.message);
  for (const p of state.problems ?? []) log.error(`  ${state.config}:${p.line}:${p.column} ${p.message} [${p.code}]`);
  if (state.reason === 'config') {
    const pick = await vscode.window.showErrorMessage(`${state.message} (${state.problems?.length ?? 0})`, 'Open Problems', 'Show Log');
    if (pick === 'Open Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
    if (pick === 'Show Log') log.show();
  } else if (state.reason === 'port-in-use') {
    const pick = await vscode.window.showErrorMessage('The upgrade server could not start: the port is already in use.', 'Pick Another Port', 'Open Settings');
    if (pick === 'Pick Another Port') {
      const value = await vscode.window.showInputBox({
        prompt: 'Port for the upgrade server (saved as nsupgrade.server.port)',
        value: '8768',
        validateInput: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? null : 'A port is a number from 1 to 65535'),
      });
      if (value) {
        await vscode.workspace.getConfiguration('nsupgrade.server').update('port', Number(value), vscode.ConfigurationTarget.Workspace);
        await startServer(host, log, config);
      }
    }
    if (pick === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'nsupgrade.server');
  } else {
    const pick = await vscode.window.showErrorMessage(`The upgrade server could not run: ${state.message}`, 'Show Log');
    if (pick) log.show();
  }
}

export async function stopServer(host: UpgradeServerHost, log: vscode.LogOutputChannel): Promise<void> {
  if (host.state.kind !== 'running') return;
  await host.stop();
  log.info('upgrade server stopped');
}
