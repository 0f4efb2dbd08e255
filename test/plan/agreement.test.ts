// Spec section 9: the plan agrees with the real server. The same fleet (12
// desks needing the 4 MiB full setup, MaxTransfers = 4, MaxRate = 8MB) goes
// through the upgrade server on 127.0.0.1 with the simulated clients, and
// through the planner; the makespans (start to the last desk done) agree
// within 10 %. The simulated desks' Setup takes no time, so neither does the
// plan's; everything else is the defaults of both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../server/src/config';
import { simulateFleet } from '../../server/src/simulator';
import { parseFleetSpec } from '../../server/src/simulator/fleet';
import { desksOfFleet, planRollout } from '../../server/src/plan';
import { configText, makeFixture } from '../upgrade/helpers';

const FULL = 4 * 1024 * 1024;
const FLEET = '4.0:12';

test('serve + simulate and plan: makespans within 10 %', async (t) => {
  const fx = makeFixture(configText({ maxTransfers: 4 }).replace('MaxTransfers = 4', 'MaxTransfers = 4\nMaxRate = 8MB'), FULL);
  const loaded = await loadConfig(fx.ini);
  assert.equal(loaded.ok, true, loaded.diagnostics.map((d) => d.message).join('\n'));
  assert.equal(loaded.config.server.maxRate, 8e6);

  const plan = planRollout({
    config: loaded.config,
    files: loaded.files,
    desks: desksOfFleet(parseFleetSpec(FLEET)),
    start: Date.now(),
    loginsOverSeconds: 0,
    linkBytesPerSecond: loaded.config.server.maxRate!,
    clientLinkBytesPerSecond: null,
    setupSeconds: 0,
    restartSeconds: 0,
    seed: 1,
  });
  // The arithmetic of spec 9 first: 12 desks, 3 rounds of 4 at 2 MB/s each.
  const arithmetic = Math.ceil(12 / 4) * (FULL / (8e6 / 4));
  assert.ok(Math.abs(plan.totals.makespanSeconds - arithmetic) < 1e-6, `${plan.totals.makespanSeconds} s, arithmetic ${arithmetic} s`);

  const real = await simulateFleet({ target: { configPath: fx.ini }, clients: FLEET, concurrency: 12, timeoutMs: 30_000 });
  assert.equal(real.failures, 0, real.clients.map((c) => c.story.join('; ')).join('\n'));
  assert.ok(real.clients.every((c) => c.action === 'full' && c.outcome === 'upgraded' && c.bytes === FULL));
  // The simulation starts its clock once the server listens and stops it when the last desk is done.
  const realSeconds = real.wallMs / 1000;
  const error = Math.abs(realSeconds - plan.totals.makespanSeconds) / plan.totals.makespanSeconds;
  t.diagnostic(`real ${realSeconds.toFixed(2)} s, plan ${plan.totals.makespanSeconds.toFixed(2)} s, ${(error * 100).toFixed(1)} % apart`);
  assert.ok(error <= 0.1, `the real makespan ${realSeconds.toFixed(2)} s is ${(error * 100).toFixed(1)} % from the plan's ${plan.totals.makespanSeconds.toFixed(2)} s`);
});
