// Over [Rollout] (where the language server's summary says it is): the plan's
// headline for the remembered fleet ("plan: 300 desks back by 09:42, 18
// desk-minutes down in business hours"), made by the workbench child from the
// saved file and made again when the config or the fleet file is saved. A
// click opens the Plan panel with those options; with no fleet known (none
// remembered and not exactly one fleet file in the workspace), "Plan
// rollout..." opens the picker.
import * as vscode from 'vscode';
import type { ConfigSummaries } from '../summaries';
import type { WorkbenchHost } from '../workbenchHost';
import { findFleetFiles, fleetFile, runOptions, type PlanChoice, type PlanChoices } from './planChoice';

export const PLAN_COMMAND = 'nsupgrade.planRollout';

interface Headline {
  /** The choice it was planned with (JSON): another choice plans again. */
  key: string;
  text: Promise<string>;
}

export class PlanLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  /** By config path: the headline of the saved file. */
  private readonly headlines = new Map<string, Headline>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly summaries: ConfigSummaries,
    private readonly host: WorkbenchHost,
    private readonly choices: PlanChoices,
  ) {
    this.disposables.push(
      // The [Rollout] line moves as the text is edited.
      summaries.onDidChange(() => this.changed.fire()),
      choices.onDidChange(() => this.forget()),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        const fleet = this.choices.last ? fleetFile(this.choices.last) : null;
        if (fleet?.fsPath === doc.uri.fsPath || doc.uri.fsPath.endsWith('.csv')) this.forget();
        else if (this.headlines.delete(doc.uri.fsPath)) this.changed.fire();
      }),
    );
  }

  private forget(): void {
    this.headlines.clear();
    this.changed.fire();
  }

  /** The remembered choice, else the workspace's only fleet file with spec 9's defaults. */
  private async choice(): Promise<PlanChoice | null> {
    const last = this.choices.last;
    if (last) return last;
    const files = await findFleetFiles();
    return files.length === 1 ? { fleet: `@${files[0].fsPath}`, start: '', loginsOver: '', link: '' } : null;
  }

  private headline(config: vscode.Uri, choice: PlanChoice): Promise<string> {
    const key = JSON.stringify(choice);
    const known = this.headlines.get(config.fsPath);
    if (known?.key === key) return known.text;
    const options = runOptions(config, choice);
    const text = !options.ok
      ? Promise.resolve(`plan: ${options.problem}`)
      : this.host.plan({ ...options.options, headlineOnly: true }).result.then((r) =>
          r.type === 'planned' ? r.plan.headline : r.reason === 'config' ? 'plan: none while the saved file has errors' : `plan: ${r.message}`,
        );
    this.headlines.set(config.fsPath, { key, text });
    return text;
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (document.uri.scheme !== 'file') return [];
    const summary = this.summaries.get(document.uri) ?? (await this.summaries.request(document.uri).catch(() => null));
    const line = summary?.rolloutLine ?? null;
    if (line === null || line >= document.lineCount) return [];
    const range = new vscode.Range(line, 0, line, 0);
    const choice = await this.choice();
    if (!choice) return [new vscode.CodeLens(range, { title: '$(graph) Plan rollout...', command: PLAN_COMMAND, arguments: [document.uri] })];
    const text = await this.headline(document.uri, choice);
    return [new vscode.CodeLens(range, { title: `$(graph) ${text}`, tooltip: 'Open the plan (Plan Rollout...) with these options', command: PLAN_COMMAND, arguments: [document.uri, choice] })];
  }

  dispose(): void {
    this.changed.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
