// The Plan panel's request as the extension host makes it (issue 13): the
// host's WorkbenchHost asks the real workbench child (dist/workbench.js) to
// plan examples/rollout.ini for 1,000 and 10,000 desks, with the chart data
// (the panel) and headline only (the code lens). Measured: the round trip in
// the host (IPC both ways, the reply parsed), the child's own time (load,
// plan, chart), and the size of the reply the host receives.
import { join } from 'node:path';
import { WorkbenchHost } from '../client/src/workbenchHost';
import type { PlanRunOptions } from '../server/src/views/planMessages';
import { printFigure, timeAsync } from './lib';

const ROOT = join(__dirname, '..', '..');
const host = new WorkbenchHost(join(ROOT, 'dist', 'workbench.js'));
const config = join(ROOT, 'examples', 'rollout.ini');

function options(n: number, headlineOnly: boolean): PlanRunOptions {
  // About the worked example's mix (docs/plan.md), logins over an hour on a 100 Mbit link.
  return { config, clients: `4.90:${n * 0.2},5.10.3:${n * 0.65},5.11.40:${n * 0.05},5.20.12:${n * 0.1}`, start: '2025-12-01T07:00', loginsOverSeconds: 3600, linkBytesPerSecond: 12.5e6, headlineOnly };
}

async function main(): Promise<void> {
  for (const n of [1_000, 10_000]) {
    for (const headlineOnly of [false, true]) {
      let child = 0;
      let bytes = 0;
      const sample = await timeAsync(async () => {
        const r = await host.plan(options(n, headlineOnly)).result;
        if (r.type !== 'planned') throw new Error(JSON.stringify(r));
        child = r.plan.tookMs;
        bytes = JSON.stringify(r).length;
      }, 9, 2);
      const what = `${n} desks, ${headlineOnly ? 'headline (lens)' : 'chart (panel)'}`;
      printFigure(`plan request, ${what}`, sample.median, 'ms', 'in the child', child, '< 1 s');
      console.log(`  reply ${(bytes / 1e6).toFixed(2)} MB, p95 ${sample.p95.toFixed(0)} ms`);
    }
  }
  await host.dispose();
}

void main();
