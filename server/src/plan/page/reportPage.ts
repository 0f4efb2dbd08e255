// The HTML report's script: reads the plan embedded in the page and draws it.
import { renderPlan, type PlanChartData } from './planChart';

const json = document.getElementById('plan-data')?.textContent ?? 'null';
const root = document.getElementById('plan');
const data = JSON.parse(json) as PlanChartData | null;
if (root && data) {
  const view = renderPlan(root, data);
  let pending = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => view.resize());
  });
}
