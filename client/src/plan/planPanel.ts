// The Plan panel: a webview beside the editor that draws the plan the
// workbench child made, with the report's own page script and styles
// (dist/planReport.js and .css: one page module for both). It re-plans when
// the config or the fleet file is saved, with the same choice, and says what
// it planned and when. Strict Content-Security-Policy: nothing but the two
// files from dist/ (by nonce), no inline code, no remote content.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { PlanPageMessage } from '../../../server/src/plan/chartTypes';
import { planPageHtml } from '../../../server/src/plan/pageHtml';
import type { PlanResult } from '../../../server/src/views/planMessages';
import type { WorkbenchHost } from '../workbenchHost';
import { fleetFile, fleetLabel, runOptions, type PlanChoice } from './planChoice';

export class PlanPanel implements vscode.Disposable {
  private static current: PlanPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** The request in flight (a newer one cancels it). */
  private inFlight: number | null = null;
  /** The last message for the page, posted again when the page (re)loads. */
  private last: PlanPageMessage = { type: 'status', status: 'Planning…', error: false };
  private lastPlan: Extract<PlanPageMessage, { type: 'plan' }> | null = null;

  /** Closes the panel (the extension stops). */
  static closeAll(): void {
    PlanPanel.current?.dispose();
  }

  /** Shows the panel for `config` planned with `choice` (the one panel, re-used). */
  static show(extensionUri: vscode.Uri, host: WorkbenchHost, log: vscode.LogOutputChannel, config: vscode.Uri, choice: PlanChoice): PlanPanel {
    const open = PlanPanel.current;
    if (open) {
      open.panel.reveal(vscode.ViewColumn.Beside, true);
      open.retarget(config, choice);
      return open;
    }
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel('nsupgrade.plan', 'Plan', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: [dist] });
    PlanPanel.current = new PlanPanel(panel, dist, host, log, config, choice);
    return PlanPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    dist: vscode.Uri,
    private readonly host: WorkbenchHost,
    private readonly log: vscode.LogOutputChannel,
    private config: vscode.Uri,
    private choice: PlanChoice,
  ) {
    panel.webview.html = pageHtml(panel.webview, dist);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      // The page says ready when it loads (again after the panel was hidden and shown).
      panel.webview.onDidReceiveMessage((m: { type?: string }) => {
        if (m?.type !== 'ready') return;
        if (this.lastPlan) void panel.webview.postMessage(this.lastPlan);
        if (this.last !== this.lastPlan) void panel.webview.postMessage(this.last);
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        const fleet = fleetFile(this.choice);
        if (doc.uri.fsPath === this.config.fsPath) void this.plan(`after ${vscode.workspace.asRelativePath(doc.uri)} was saved`);
        else if (fleet && doc.uri.fsPath === fleet.fsPath) void this.plan(`after the fleet ${vscode.workspace.asRelativePath(doc.uri)} was saved`);
      }),
    );
    this.retarget(config, choice);
  }

  private retarget(config: vscode.Uri, choice: PlanChoice): void {
    this.config = config;
    this.choice = choice;
    this.panel.title = `Plan: ${vscode.workspace.asRelativePath(config)}`;
    void this.plan('');
  }

  private post(m: PlanPageMessage): void {
    this.last = m;
    if (m.type === 'plan') this.lastPlan = m;
    void this.panel.webview.postMessage(m);
  }

  /** Plans the current choice in the workbench child and shows it. */
  async plan(why: string): Promise<void> {
    const what = `${vscode.workspace.asRelativePath(this.config)} with ${fleetLabel(this.choice)}`;
    const options = runOptions(this.config, this.choice);
    if (!options.ok) {
      this.post({ type: 'status', status: `No plan for ${what}: ${options.problem}`, error: true });
      return;
    }
    if (this.inFlight !== null) this.host.cancel(this.inFlight);
    this.post({ type: 'status', status: `Planning ${what}…`, error: false });
    const request = this.host.plan(options.options);
    this.inFlight = request.id;
    const r: PlanResult = await request.result;
    // A newer plan was asked for meanwhile: it answers.
    if (this.inFlight !== request.id) return;
    this.inFlight = null;
    const time = new Date().toLocaleTimeString(undefined, { hour12: false });
    if (r.type === 'planned' && r.plan.chart) {
      this.log.info(`${r.plan.headline} (${what}, start ${r.plan.start}; ${r.plan.tookMs} ms in the workbench)`);
      this.post({ type: 'plan', data: r.plan.chart, status: `Planned ${what}, start ${r.plan.start.slice(0, 16).replace('T', ' ')}, at ${time}${why ? ` ${why}` : ''} · ${r.plan.headline}` });
    } else if (r.type === 'plan-failed' && r.reason === 'cancelled') {
      // Superseded (or the panel closed): nothing to say.
    } else {
      const message = r.type === 'plan-failed' ? r.message : 'the workbench sent no chart';
      const where = r.type === 'plan-failed' && r.problems?.length ? ` (line ${r.problems[0].line}: ${r.problems[0].message}${r.problems.length > 1 ? `; ${r.problems.length - 1} more in Problems` : ''})` : '';
      this.log.warn(`no plan for ${what}: ${message}${where}`);
      this.post({ type: 'status', status: `No plan at ${time}${why ? ` ${why}` : ''}: ${message}${where}.${this.lastPlan ? ' The last plan is shown below.' : ''}`, error: true });
    }
  }

  dispose(): void {
    if (PlanPanel.current === this) PlanPanel.current = undefined;
    if (this.inFlight !== null) this.host.cancel(this.inFlight);
    this.inFlight = null;
    this.disposables.forEach((d) => d.dispose());
    this.disposables.length = 0;
    this.panel.dispose();
  }
}

/**
 * The page: the bundled script and stylesheet from dist/ by nonce, nothing
 * else. uPlot sizes its canvases through the CSSOM (no style attributes in
 * markup), which style-src does not govern.
 */
function pageHtml(webview: vscode.Webview, dist: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'planReport.js'));
  const css = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'planReport.css'));
  return planPageHtml({
    csp: `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${webview.cspSource} 'nonce-${nonce}'; img-src ${webview.cspSource} data:; font-src ${webview.cspSource}`,
    title: 'Plan',
    head: `<link rel="stylesheet" nonce="${nonce}" href="${css.toString()}">`,
    body: `<p id="plan-status" class="nsplan-status" role="status">Planning…</p>
<main id="plan"></main>
<script nonce="${nonce}" src="${script.toString()}"></script>`,
  });
}
