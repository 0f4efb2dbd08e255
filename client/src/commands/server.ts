// Start / Stop / Restart the upgrade server, with a way forward when it
// cannot start (a port in use, a config with errors) and a question when
// another config is being served (never a silent switch, never the wrong file).
import * as vscode from 'vscode';
import type { HostState, WorkbenchHost } from '../workbenchHost';
import { pickConfig } from './pickConfig';

export function serverOverrides(): { port?: number; host?: string } {
  const cfg = vscode.workspace.getConfiguration('nsupgrade.server');
  const port = cfg.get<number | null>('port', null);
  const host = cfg.get<string>('bind', '');
  return { port: port ?? undefined, host: host || undefined };
}

/** Starts the server on the config asked for (or picked); resolves with how it ended, or null when the user stopped. */
export async function startServer(host: WorkbenchHost, log: vscode.LogOutputChannel, uri?: vscode.Uri): Promise<HostState | null> {
  const config = await pickConfig(uri);
  if (!config) return null;
  const now = host.state;
  if (now.kind === 'running' && now.config === config.fsPath) {
    // Nothing to start: say where it runs (Restart serves the file afresh).
    void vscode.window.showInformationMessage(`The upgrade server is already running on ${now.host}:${now.port} for ${vscode.workspace.asRelativePath(config)}.`);
    return now;
  }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === config.fsPath);
  if (doc?.isDirty) await doc.save();
  let result = await host.start({ config: config.fsPath, ...serverOverrides() });
  if (result.kind === 'busy') {
    const serving = vscode.workspace.asRelativePath(result.serving);
    const pick = await vscode.window.showWarningMessage(
      `The upgrade server is serving ${serving}. Stop it and serve ${vscode.workspace.asRelativePath(config)} instead?`,
      { modal: true, detail: 'One upgrade server runs at a time; the desks connected to it are told it is stopping.' },
      'Switch',
    );
    if (pick !== 'Switch') return null;
    await host.stop();
    log.info(`upgrade server stopped to serve ${config.fsPath} instead of ${result.serving}`);
    result = await host.start({ config: config.fsPath, ...serverOverrides() });
    if (result.kind === 'busy') return null;
  }
  const state = result;
  if (state.kind === 'running') {
    log.info(`upgrade server listening on ${state.host}:${state.port} for ${state.config}`);
    return state;
  }
  if (state.kind !== 'failed') return state;
  log.error(state.message);
  for (const p of state.problems ?? []) log.error(`  ${state.config}:${p.line}:${p.column} ${p.message} [${p.code}]`);
  if (state.reason === 'config') {
    const pick = await vscode.window.showErrorMessage(`${state.message} (${state.problems?.length ?? 0})`, 'Open Problems', 'Show Log');
    if (pick === 'Open Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
    if (pick === 'Show Log') log.show();
  } else if (state.reason === 'port-in-use') {
    // The workbench child's message names the port and address, in the words the CLI uses (upgrade/server.ts portInUse).
    const pick = await vscode.window.showErrorMessage(`The upgrade server could not start: ${state.message}.`, 'Pick Another Port', 'Open Settings');
    if (pick === 'Pick Another Port') {
      const value = await vscode.window.showInputBox({
        prompt: 'Port for the upgrade server (saved as nsupgrade.server.port)',
        value: '8768',
        validateInput: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? null : 'A port is a number from 1 to 65535'),
      });
      const where = value ? await pickSettingsTarget(Number(value)) : undefined;
      if (value && where) {
        await vscode.workspace.getConfiguration('nsupgrade.server').update('port', Number(value), where.target);
        log.info(`nsupgrade.server.port = ${value} saved in ${where.name}`);
        void vscode.window.showInformationMessage(
          `Port ${value} saved as nsupgrade.server.port in ${where.name}. It overrides upgrade.ini's Port when VS Code starts the upgrade server; upgrade.ini is unchanged (the editor shows the override on its Port line).`,
        );
        return startServer(host, log, config);
      }
    }
    if (pick === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'nsupgrade.server');
  } else {
    const pick = await vscode.window.showErrorMessage(`The upgrade server could not run: ${state.message}`, 'Show Log');
    if (pick) log.show();
  }
  return state;
}

/** Where a setting is written, asked (never a silent choice): this workspace, or every one (the user's settings). */
async function pickSettingsTarget(port: number): Promise<{ target: vscode.ConfigurationTarget; name: string } | undefined> {
  const file = vscode.workspace.workspaceFile;
  const workspaceName = `the workspace settings (${file && file.scheme === 'file' ? vscode.workspace.asRelativePath(file) : '.vscode/settings.json'})`;
  const items: (vscode.QuickPickItem & { target: vscode.ConfigurationTarget; name: string })[] = [];
  if (vscode.workspace.workspaceFolders?.length) {
    items.push({ label: 'Workspace settings', description: file ? vscode.workspace.asRelativePath(file) : '.vscode/settings.json', detail: 'This workspace only; shared with whoever opens it.', target: vscode.ConfigurationTarget.Workspace, name: workspaceName });
  }
  items.push({ label: 'User settings', description: 'every workspace', detail: 'Every upgrade.ini you serve from VS Code, in any workspace.', target: vscode.ConfigurationTarget.Global, name: 'your user settings' });
  const pick = await vscode.window.showQuickPick(items, { title: `Save port ${port} for the upgrade server`, placeHolder: `Where should nsupgrade.server.port = ${port} be saved?` });
  return pick ? { target: pick.target, name: pick.name } : undefined;
}

/** The status bar's click while the server runs: what to do, asked (never a silent stop). */
export async function serverMenu(host: WorkbenchHost): Promise<void> {
  const s = host.state;
  if (s.kind !== 'running') {
    await vscode.commands.executeCommand('nsupgrade.startServer');
    return;
  }
  const items: (vscode.QuickPickItem & { command: string })[] = [
    { label: '$(debug-stop) Stop Upgrade Server', description: 'the desks connected are told it stops', command: 'nsupgrade.stopServer' },
    { label: '$(debug-restart) Restart Upgrade Server', description: 'read upgrade.ini again', command: 'nsupgrade.restartServer' },
    { label: '$(server-process) Show Server Log', description: 'its logins, reloads and errors', command: 'nsupgrade.showServerLog' },
    { label: '$(output) Show Log', command: 'nsupgrade.showLog' },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: `Upgrade server on ${s.host}:${s.port}`, placeHolder: `Serving ${vscode.workspace.asRelativePath(s.config)}: stop it, restart it or show the log?` });
  if (pick) await vscode.commands.executeCommand(pick.command);
}

export async function stopServer(host: WorkbenchHost, log: vscode.LogOutputChannel): Promise<void> {
  if (host.state.kind !== 'running') return;
  await host.stop();
  log.info('upgrade server stopped');
}
