// Over [Upgrade] (where the language server's summary says it is): start the
// server, simulate a login.
import * as vscode from 'vscode';
import type { ConfigSummaries } from '../summaries';

export class UpgradeCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly summaries: ConfigSummaries) {
    summaries.onDidChange(() => this.changed.fire());
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const summary = this.summaries.get(document.uri) ?? (await this.summaries.request(document.uri).catch(() => null));
    if (!summary || summary.upgradeLine === null || summary.upgradeLine >= document.lineCount) return [];
    const range = new vscode.Range(summary.upgradeLine, 0, summary.upgradeLine, 0);
    return [
      new vscode.CodeLens(range, { title: '$(play) Start upgrade server', command: 'nsupgrade.startServer', arguments: [document.uri] }),
      new vscode.CodeLens(range, { title: '$(beaker) Simulate login', command: 'nsupgrade.simulateLogin', arguments: [document.uri] }),
    ];
  }
}
