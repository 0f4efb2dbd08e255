// Over [Upgrade] (where the language server's summary says it is): start the
// server, or, while it serves this file, where it serves and Stop; simulate a login.
import * as vscode from 'vscode';
import type { ConfigSummaries } from '../summaries';
import type { WorkbenchHost } from '../workbenchHost';

export class UpgradeCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly summaries: ConfigSummaries,
    private readonly host: WorkbenchHost,
  ) {
    summaries.onDidChange(() => this.changed.fire());
    // Started, stopped, failed: the lens says so (snapshots do not change it).
    host.on('state', () => this.changed.fire());
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const summary = this.summaries.get(document.uri) ?? (await this.summaries.request(document.uri).catch(() => null));
    if (!summary || summary.upgradeLine === null || summary.upgradeLine >= document.lineCount) return [];
    const range = new vscode.Range(summary.upgradeLine, 0, summary.upgradeLine, 0);
    const s = this.host.state;
    const serving = s.kind === 'running' && s.config === document.uri.fsPath ? s : null;
    return [
      serving
        ? new vscode.CodeLens(range, { title: `$(debug-stop) Serving on ${serving.host}:${serving.port} · Stop upgrade server`, command: 'nsupgrade.stopServer' })
        : new vscode.CodeLens(range, { title: '$(play) Start upgrade server', command: 'nsupgrade.startServer', arguments: [document.uri] }),
      new vscode.CodeLens(range, { title: '$(beaker) Simulate login', command: 'nsupgrade.simulateLogin', arguments: [document.uri] }),
    ];
  }
}
