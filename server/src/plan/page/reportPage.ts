// The page script of a plan, for both places it is drawn: the HTML report
// (the plan embedded in the page) and VS Code's Plan panel (the plan posted by
// the extension, again after every save). One bundle, dist/planReport.js.
import { renderPlan, type PlanChartData, type PlanView } from './planChart';
import type { PlanPageMessage } from '../chartTypes';

/** VS Code's webview API; absent in a plain browser. */
declare const acquireVsCodeApi: (() => { postMessage(message: unknown): void }) | undefined;

const root = document.getElementById('plan');
let view: PlanView | null = null;
let current: PlanChartData | null = null;

function draw(data: PlanChartData): void {
  if (!root) return;
  current = data;
  if (view) view.update(data);
  else view = renderPlan(root, data);
}

const embedded = JSON.parse(document.getElementById('plan-data')?.textContent ?? 'null') as PlanChartData | null;
if (embedded) draw(embedded);

let pending = 0;
window.addEventListener('resize', () => {
  cancelAnimationFrame(pending);
  pending = requestAnimationFrame(() => view?.resize());
});

const vscode = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : null;
if (vscode) {
  const status = document.getElementById('plan-status');
  window.addEventListener('message', (e: MessageEvent<PlanPageMessage>) => {
    const m = e.data;
    if (status) {
      status.textContent = m.status;
      status.classList.toggle('error', m.type === 'status' && m.error);
    }
    if (m.type === 'plan') draw(m.data);
  });
  // A theme change swaps VS Code's colour variables and the body's class: the
  // charts read the colours when they draw, so they draw again.
  new MutationObserver(() => {
    if (current) draw(current);
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  vscode.postMessage({ type: 'ready' });
}
