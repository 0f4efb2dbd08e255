// The 'plan' request of the workbench child (spec 9, issue 13), through the
// extension's own WorkbenchHost and the real dist/workbench.js over IPC, as
// Plan Rollout... and the [Rollout] code lens ask it: the child's plan is the
// planner's (the same totals and headline as planRollout called directly with
// the same options), spec 9's defaults apply, bad input says where and what,
// a config with errors gets its problems, and a cancel drops a long plan.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchHost } from '../../client/src/workbenchHost';
import { loadConfig } from '../../server/src/config';
import { desksOfFleet, nextMondayAt8, planHeadline, planRollout, type Plan } from '../../server/src/plan';
import { parseFleetSpec } from '../../server/src/simulator/fleet';
import type { PlanResult, PlanView } from '../../server/src/views/planMessages';
import { tempDir } from '../tempDir';

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'dist', 'workbench.js');

let dir: string;
let ini: string;
let fleet: string;
let host: WorkbenchHost;

before(() => {
  assert.ok(existsSync(SCRIPT), `${SCRIPT} is missing: run npm run build first`);
  dir = tempDir('nsu-workbench-plan-');
  mkdirSync(join(dir, 'files'));
  for (const f of ['Netphone_520.exe', 'NP_Update.exe']) copyFileSync(join(ROOT, 'examples', 'files', f), join(dir, 'files', f));
  ini = join(dir, 'rollout.ini');
  copyFileSync(join(ROOT, 'examples', 'rollout.ini'), ini);
  fleet = join(dir, 'fleet.csv');
  copyFileSync(join(ROOT, 'examples', 'fleet.csv'), fleet);
  host = new WorkbenchHost(SCRIPT);
});

after(() => host.dispose());

function planned(r: PlanResult): PlanView {
  assert.equal(r.type, 'planned', JSON.stringify(r));
  return (r as Extract<PlanResult, { type: 'planned' }>).plan;
}

/** The plan of the same config, fleet and options, made here in the test process. */
async function direct(clients: string, options: { start: number; loginsOverSeconds?: number; link?: number; setup?: number }): Promise<Plan> {
  const loaded = await loadConfig(ini);
  assert.ok(loaded.ok);
  return planRollout({
    config: loaded.config,
    files: loaded.files,
    desks: desksOfFleet(parseFleetSpec(clients)),
    start: options.start,
    loginsOverSeconds: options.loginsOverSeconds ?? 0,
    linkBytesPerSecond: options.link ?? loaded.config.server.maxRate!,
    clientLinkBytesPerSecond: null,
    setupSeconds: options.setup ?? 60,
    restartSeconds: 120,
    seed: 1,
  });
}

test('the child plans what planRollout plans: the same totals and headline, the chart with its figures', async () => {
  const clients = '4.90:60,5.10.3:200,5.11.40:20,5.20.12:20';
  const r = planned(await host.plan({ config: ini, clients, start: '2025-12-01T08:25' }).result);
  const mine = await direct(clients, { start: Date.parse('2025-12-01T08:25:00+01:00') });
  assert.deepEqual(r.totals, mine.totals);
  assert.equal(r.headline, planHeadline(mine));
  assert.match(r.headline, /^plan: 300 desks back by \d\d:\d\d, \d+ desk-minutes down in business hours$/);
  assert.equal(r.start, '2025-12-01T08:25:00+01:00', "a start without an offset is wall-clock time in [Rollout] TimeZone (Europe/Berlin)");
  assert.ok(r.chart, 'the chart data comes with the plan');
  assert.equal(r.chart.clients.length, 300);
  assert.match(r.chart.title, /^rollout\.ini with 4\.90:60,5\.10\.3:200,5\.11\.40:20,5\.20\.12:20: 300 desks from 2025-12-01 08:25 \+01:00 \(Europe\/Berlin\)$/);
  assert.equal(r.chart.figures[0].value, '300');
});

test('the fleet file and options as Plan Rollout sends them; a headline-only plan carries no chart', async () => {
  const start = '2025-12-01T07:00:00Z';
  const options = { config: ini, clients: `@${fleet}`, start, loginsOverSeconds: 900, linkBytesPerSecond: 1_000_000, setupSeconds: 30 };
  const r = planned(await host.plan(options).result);
  const mine = await direct(`@${fleet}`, { start: Date.parse(start), loginsOverSeconds: 900, link: 1_000_000, setup: 30 });
  assert.deepEqual(r.totals, mine.totals);
  assert.match(r.chart!.title, /^rollout\.ini with fleet\.csv: /, 'the panel names the fleet file');
  const lens = planned(await host.plan({ ...options, headlineOnly: true }).result);
  assert.equal(lens.chart, undefined);
  assert.equal(lens.headline, planHeadline(mine));
});

test("spec 9's defaults: next Monday 08:00 in the config's TimeZone, [Server] MaxRate as the link", async () => {
  const before = Date.now();
  const r = planned(await host.plan({ config: ini, clients: '4.90:3' }).result);
  // The child's clock ran between the two readings of the test's.
  const starts = new Set([nextMondayAt8(before, 'Europe/Berlin'), nextMondayAt8(Date.now(), 'Europe/Berlin')]);
  const mine = await direct('4.90:3', { start: Date.parse(r.start) });
  assert.ok(starts.has(Date.parse(r.start)), `${r.start} is next Monday 08:00 in Europe/Berlin`);
  assert.match(r.start, /T08:00:00\+0[12]:00$/);
  assert.deepEqual(r.totals, mine.totals, 'with MaxRate = 256Kbit as the link');
  assert.match(r.chart!.subtitle, /link 32 KB\/s/);
});

test('bad input says what and where; a config with errors gets its problems; a missing file says so', async () => {
  const badFleet = await host.plan({ config: ini, clients: '5.10.3:many' }).result;
  assert.equal(badFleet.type, 'plan-failed');
  assert.equal(badFleet.type === 'plan-failed' && badFleet.reason, 'input');
  assert.match(badFleet.type === 'plan-failed' ? badFleet.message : '', /many/);

  const badStart = await host.plan({ config: ini, clients: '5.10.3:2', start: 'tomorrow' }).result;
  assert.deepEqual(badStart, { type: 'plan-failed', reason: 'input', message: `The start must be an ISO 8601 time such as 2025-12-01T08:00+01:00 (or 2025-12-01T08:00 in the config's TimeZone), not "tomorrow"` });

  const broken = join(dir, 'broken.ini');
  writeFileSync(broken, readFileSync(ini, 'utf8').replace('MaxTransfers = 4', 'MaxTransfers = lots'));
  const errors = await host.plan({ config: broken, clients: '5.10.3:2' }).result;
  assert.equal(errors.type, 'plan-failed');
  if (errors.type !== 'plan-failed') return;
  assert.equal(errors.reason, 'config');
  assert.equal(errors.message, 'broken.ini has errors: no plan is made for a config with errors');
  assert.ok(errors.problems?.some((p) => p.line === 10 && p.severity === 'error'), JSON.stringify(errors.problems));

  const missing = await host.plan({ config: join(dir, 'nowhere.ini'), clients: '5.10.3:2' }).result;
  assert.equal(missing.type === 'plan-failed' && missing.reason, 'other');
  assert.match(missing.type === 'plan-failed' ? missing.message : '', /nowhere\.ini/);
});

test('a cancel drops a long plan (100,000 desks); the child plans again afterwards', async () => {
  const long = host.plan({ config: ini, clients: '4.90:50000,5.10.3:50000' });
  host.cancel(long.id);
  const r = await long.result;
  assert.deepEqual(r, { type: 'plan-failed', reason: 'cancelled', message: 'The plan was cancelled.' });
  planned(await host.plan({ config: ini, clients: '4.90:2', headlineOnly: true }).result);
});
