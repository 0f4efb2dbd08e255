// Simulate Client Login / Simulate Fleet: simulated Net Phone desks log in to
// the running upgrade server (started first when it is not running).
import * as vscode from 'vscode';
import { parseVersion } from '../../../server/src/config';
import { simulateFleet, parseFleetSpec, FleetError, type SimulationReport } from '../../../server/src/simulator';
import type { UpgradeServerHost } from '../upgradeServerHost';
import type { UpgradeTree } from '../views/configTree';
import { startServer } from './server';

async function ensureServer(host: UpgradeServerHost, log: vscode.LogOutputChannel, uri?: vscode.Uri): Promise<{ host: string; port: number } | null> {
  if (host.state.kind !== 'running') await startServer(host, log, uri);
  const s = host.state;
  return s.kind === 'running' ? { host: s.host === '0.0.0.0' || s.host === '::' ? '127.0.0.1' : s.host, port: s.port } : null;
}

export function summary(r: SimulationReport): string {
  const c = r.clients[0];
  if (r.clients.length === 1) return `${c.version}: ${c.action}${c.mode ? ` (${c.mode})` : ''} -> ${c.outcome}${c.error ? `: ${c.error}` : ''}`;
  const parts = Object.entries(r.totals).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`);
  return `${r.clients.length} clients: ${parts.join(', ')}${r.failures ? `; ${r.failures} FAILED` : ''}`;
}

export async function simulateLoginCommand(host: UpgradeServerHost, tree: UpgradeTree, log: vscode.LogOutputChannel, uri?: vscode.Uri): Promise<void> {
  const version = await vscode.window.showInputBox({
    title: 'Simulate Client Login',
    prompt: 'The Net Phone version the simulated client reports',
    placeHolder: 'e.g. 5.10.3',
    validateInput: (v) => (parseVersion(v.trim()) ? null : 'Up to four numbers 0-65535 separated by dots, e.g. 5.10.3'),
  });
  if (!version) return;
  const target = await ensureServer(host, log, uri);
  if (!target) return;
  const report = await simulateFleet({ target, clients: [{ version: version.trim(), count: 1, decline: 0, apps: [], keepOpen: 0 }] });
  tree.setSimulation(report);
  const c = report.clients[0];
  log.info(`simulated login ${summary(report)}`);
  for (const s of c.story) log.info(`  ${s}`);
  const text = `Simulated login ${summary(report)}`;
  if (c.outcome === 'error' || c.outcome === 'loop' || c.outcome === 'hash-mismatch' || c.outcome === 'size-mismatch') void vscode.window.showErrorMessage(text);
  else void vscode.window.showInformationMessage(text);
}

export async function simulateFleetCommand(host: UpgradeServerHost, tree: UpgradeTree, log: vscode.LogOutputChannel, uri?: vscode.Uri): Promise<void> {
  const dflt = vscode.workspace.getConfiguration('nsupgrade.simulation').get<string>('defaultFleet', '5.10.3:20,4.0:10,5.20.12:10');
  const spec = await vscode.window.showInputBox({
    title: 'Simulate Fleet',
    prompt: 'VERSION[:COUNT],... or @path/to/fleet.csv (relative to the workspace)',
    value: dflt,
    validateInput: (v) => {
      if (v.startsWith('@')) return null;
      try {
        parseFleetSpec(v);
        return null;
      } catch (err) {
        return (err as Error).message;
      }
    },
  });
  if (!spec) return;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  const clients = spec.startsWith('@') && !spec.startsWith('@/') ? `@${root}/${spec.slice(1)}` : spec;
  const target = await ensureServer(host, log, uri);
  if (!target) return;
  try {
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Simulating the fleet', cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let last = 0;
      return simulateFleet({
        target,
        clients,
        signal: abort.signal,
        onProgress: ({ done, total }) => {
          const pct = (done / total) * 100;
          progress.report({ increment: pct - last, message: `${done}/${total}` });
          last = pct;
        },
      });
    });
    tree.setSimulation(report);
    log.info(`fleet: ${summary(report)}`);
    void vscode.window.showInformationMessage(`Fleet simulated: ${summary(report)}`);
  } catch (err) {
    const msg = err instanceof FleetError ? err.message : (err as Error).message;
    void vscode.window.showErrorMessage(`Simulation stopped: ${msg}`);
  }
}
