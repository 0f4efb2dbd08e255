// Restart Upgrade Server: the file on disk is checked first (in the workbench
// child); a file with errors never takes the working server down: it keeps
// serving the config it loaded, and the message says so.
import * as vscode from 'vscode';
import type { WorkbenchHost } from '../workbenchHost';
import { clock } from '../views/inForce';
import { serverOverrides, startServer } from './server';

export async function restartServer(host: WorkbenchHost, log: vscode.LogOutputChannel, uri?: vscode.Uri): Promise<void> {
  const s = host.state;
  if (s.kind !== 'running') {
    await startServer(host, log, uri);
    return;
  }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === s.config);
  if (doc?.isDirty) await doc.save();
  const r = await host.restart({ config: s.config, ...serverOverrides() });
  const name = vscode.workspace.asRelativePath(s.config);
  if (r.kind === 'kept') {
    log.warn(r.message);
    for (const p of r.problems) log.warn(`  ${r.config}:${p.line}:${p.column} ${p.message} [${p.code}]`);
    const view = host.snapshot.servers.find((v) => v.config === s.config);
    const since = view ? ` loaded at ${clock(view.inForce.loadedAt)}` : '';
    const why = r.reason === 'config' ? `${name} has ${r.problems.length} error${r.problems.length === 1 ? '' : 's'}` : `${name} cannot be read`;
    const pick = await vscode.window.showWarningMessage(
      `Not restarted: ${why}. The upgrade server keeps running on ${s.host}:${s.port} with the config${since}.`,
      ...(r.reason === 'config' ? ['Open Problems'] : []),
      'Show Log',
    );
    if (pick === 'Open Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
    if (pick === 'Show Log') log.show();
    return;
  }
  if (r.kind === 'running') {
    log.info(`upgrade server restarted on ${r.host}:${r.port} for ${r.config}`);
    void vscode.window.showInformationMessage(`Upgrade server restarted on ${r.host}:${r.port} for ${name}.`);
    return;
  }
  if (r.kind === 'failed') {
    log.error(r.message);
    void vscode.window.showErrorMessage(`The upgrade server stopped to restart and could not start again: ${r.message}`, 'Start Upgrade Server').then((pick) => pick && startServer(host, log, vscode.Uri.file(s.config)));
  }
}
