// Simulate Client Login / Simulate Fleet: simulated Net Phone desks log in to
// an upgrade server for the config asked for, in the workbench child: its
// server when it is the one being served, else a private server for that
// config on a free port (the message says so). Never another config's server,
// and never the real server started on the configured port without a word.
// A config with errors is said first, before any question.
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import { inlineFleetProblem, versionProblem } from './inputChecks';
import type { SimulationView } from '../../../server/src/views/messages';
import { FAILED_OUTCOMES } from '../../../server/src/simulator/outcomes';
import { SimulationError, type WorkbenchHost } from '../workbenchHost';
import type { UpgradeTree } from '../views/configTree';
import type { ConfigSummaries } from '../summaries';
import { pickConfig } from './pickConfig';

/** The config to simulate against; null (and said) when it has errors, as the language server found them,
 *  unless it is served: then the desks meet the server and the config in force, whatever the file says now. */
async function simulationConfig(host: WorkbenchHost, summaries: ConfigSummaries, uri?: vscode.Uri): Promise<vscode.Uri | null> {
  const config = await pickConfig(uri);
  if (!config) return null;
  const s = host.state;
  if (s.kind === 'running' && s.config === config.fsPath) return config;
  const summary = summaries.get(config) ?? (await summaries.request(config).catch(() => null));
  if (summary && !summary.ok) {
    const n = summary.counts.error;
    const pick = await vscode.window.showErrorMessage(`${vscode.workspace.asRelativePath(config)} has ${n} error${n === 1 ? '' : 's'}: fix ${n === 1 ? 'it' : 'them'} before simulating (the upgrade server does not run a config with errors).`, 'Open Problems');
    if (pick) await vscode.commands.executeCommand('workbench.actions.view.problems');
    return null;
  }
  return config;
}

export function summary(r: SimulationView): string {
  const c = r.clients[0];
  if (r.clientCount === 1 && !r.cancelled) return `${c.version}: ${c.action}${c.mode ? ` (${c.mode})` : ''} -> ${c.outcome}${c.error ? `: ${c.error}` : ''}`;
  // Decisions and failures in words, from every desk (the workbench child words it).
  return r.inWords;
}

/** Where it ran, when that is not the server the status bar shows. */
function against(r: SimulationView, host: WorkbenchHost): string {
  if (!r.privateServer) return '';
  if (host.state.kind !== 'running') return ` (on a private server on a free port: the upgrade server is not running)`;
  const serving = `; ${vscode.workspace.asRelativePath(host.state.config)} is being served`;
  return ` (against ${vscode.workspace.asRelativePath(r.config)} on a private server${serving})`;
}

export async function simulateLoginCommand(host: WorkbenchHost, tree: UpgradeTree, summaries: ConfigSummaries, log: vscode.LogOutputChannel, uri?: vscode.Uri): Promise<void> {
  const config = await simulationConfig(host, summaries, uri);
  if (!config) return;
  const version = await vscode.window.showInputBox({
    title: 'Simulate Client Login',
    prompt: 'The Net Phone version the simulated client reports',
    placeHolder: 'e.g. 5.10.3',
    validateInput: versionProblem,
  });
  if (!version) return;
  let report: SimulationView;
  try {
    report = await host.simulate({ config: config.fsPath, clients: [{ version: version.trim(), count: 1, decline: 0, apps: [], keepOpen: 0 }] }).report;
  } catch (err) {
    void vscode.window.showErrorMessage(`Simulation stopped: ${(err as Error).message}`);
    return;
  }
  tree.setSimulation(report);
  const c = report.clients[0];
  const text = `Simulated login ${summary(report)}${against(report, host)}`;
  log.info(text);
  for (const s of c.story) log.info(`  ${s}`);
  if (FAILED_OUTCOMES.includes(c.outcome)) void vscode.window.showErrorMessage(text);
  else void vscode.window.showInformationMessage(text);
}

export async function simulateFleetCommand(host: WorkbenchHost, tree: UpgradeTree, summaries: ConfigSummaries, log: vscode.LogOutputChannel, uri?: vscode.Uri): Promise<void> {
  const config = await simulationConfig(host, summaries, uri);
  if (!config) return;
  const dflt = vscode.workspace.getConfiguration('nsupgrade.simulation').get<string>('defaultFleet', '5.10.3:20,4.0:10,5.20.12:10');
  const spec = await vscode.window.showInputBox({
    title: 'Simulate Fleet',
    prompt: 'VERSION[:COUNT],... or @path/to/fleet.csv (relative to the workspace)',
    value: dflt,
    // A fleet file is read (and checked) by the workbench child, not here.
    validateInput: (v) => (v.startsWith('@') ? null : inlineFleetProblem(v)),
  });
  if (!spec) return;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  const file = spec.slice(1);
  const clients = spec.startsWith('@') && root && !isAbsolute(file) ? `@${vscode.Uri.joinPath(root, file).fsPath}` : spec;
  try {
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Simulating the fleet', cancellable: true }, async (progress, token) => {
      let last = 0;
      const sim = host.simulate({ config: config.fsPath, clients }, ({ done, total }) => {
        const pct = total ? (done / total) * 100 : 0;
        progress.report({ increment: pct - last, message: `${done}/${total}` });
        last = pct;
      });
      token.onCancellationRequested(() => host.cancel(sim.run));
      return sim.report;
    });
    tree.setSimulation(report);
    // A cancelled run keeps what finished: "Fleet simulation cancelled after 990 of 1,000 desks: ...".
    const text = `Fleet ${report.cancelled ? 'simulation ' : 'simulated: '}${summary(report)}${against(report, host)}`;
    log.info(text);
    if (report.failures) void vscode.window.showWarningMessage(text);
    else void vscode.window.showInformationMessage(text);
  } catch (err) {
    if (err instanceof SimulationError && err.cancelled) {
      log.info('fleet simulation cancelled');
      void vscode.window.showInformationMessage('Simulation cancelled.');
    } else void vscode.window.showErrorMessage(`Simulation stopped: ${(err as Error).message}`);
  }
}
