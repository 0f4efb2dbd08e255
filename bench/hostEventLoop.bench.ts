// How responsive the extension host stays while a big fleet runs: the event
// loop delay (p99) of this process, which plays the extension host, in three
// phases of the same run:
//   baseline:  idle (the timer noise of this machine);
//   candidate: a fleet of DESKS desks downloading a FULL_MB MB setup, run the
//              way the extension runs it: WorkbenchHost forks dist/workbench.js,
//              which serves the config and simulates the fleet; this process
//              receives snapshots (a few a second) and, as the extension's
//              InventoryFollower does, asks for the inventory when it changed
//              (at most once a second) and makes the names it would send the
//              language server;
//   old way:   OLD_DESKS desks simulated in this process (simulateFleet, as the
//              extension did before the workbench child), the server in a child.
// Goal: candidate p99 under 20 ms.
//   npm run bench -- hostEventLoop   (NSU_BENCH_DESKS=1000 NSU_BENCH_FULL_MB=20 NSU_BENCH_OLD_DESKS=100 NSU_BENCH_FOLLOW=1)
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WorkbenchHost } from '../client/src/workbenchHost';
import { InventoryFollower, knownNames, type InventoryShown } from '../client/src/inventory';
import { simulateFleet } from '../server/src/simulator';
import { configText, makeFixture } from '../test/upgrade/helpers';
import { printFigure } from './lib';
import { ServerChild, runChildServerIfAsked } from './serverChild';

// The bundle runs from .cache/bench (a shared folder): the repository is where npm runs it.
const ROOT = process.cwd();
const DESKS = Number(process.env.NSU_BENCH_DESKS ?? 1000);
const OLD_DESKS = Number(process.env.NSU_BENCH_OLD_DESKS ?? 100);
const FULL_MB = Number(process.env.NSU_BENCH_FULL_MB ?? 20);
const CONCURRENCY = 50;
const MAX_TRANSFERS = 20;

/** p99 and max event-loop delay (ms) of this process while `body` runs. */
async function loopDelay(body: () => Promise<unknown>): Promise<{ p99: number; max: number; ms: number }> {
  const h = monitorEventLoopDelay({ resolution: 2 });
  const t0 = Date.now();
  h.enable();
  await body();
  h.disable();
  return { p99: h.percentile(99) / 1e6, max: h.max / 1e6, ms: Date.now() - t0 };
}

async function main(): Promise<void> {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
  const fx = makeFixture(configText({ maxTransfers: MAX_TRANSFERS }), FULL_MB * 1024 * 1024, 64 * 1024);
  // Not patchable, older than CurrentVersion: every desk downloads the full setup.
  const fleet = (n: number): string => `4.0:${n}`;

  const idle = await loopDelay(() => new Promise((r) => setTimeout(r, 3000)));

  const host = new WorkbenchHost(join(ROOT, 'dist', 'workbench.js'));
  let snapshots = 0;
  host.on('snapshot', () => snapshots++);
  // NSU_BENCH_FOLLOW=0: snapshots only (the host before the rollout's views), to compare.
  const follower = process.env.NSU_BENCH_FOLLOW === '0' ? null : new InventoryFollower(host);
  let fetches = 0;
  let names = 0;
  follower?.on('changed', (inv: InventoryShown | null) => {
    fetches++;
    names = knownNames(inv?.clients ?? []).length;
  });
  const started = await host.start({ config: fx.ini, port: 0, host: '127.0.0.1' });
  if (started.kind !== 'running') throw new Error(`the server did not start: ${JSON.stringify(started)}`);
  let failures = 0;
  let full = 0;
  const child = await loopDelay(async () => {
    const r = await host.simulate({ config: fx.ini, clients: fleet(DESKS), concurrency: CONCURRENCY }).report;
    failures = r.failures;
    full = r.totals.full ?? 0;
  });
  follower?.dispose();
  await host.dispose();
  if (failures !== 0 || full !== DESKS) throw new Error(`the fleet did not end as expected: ${full} full, ${failures} failed`);

  const server = await ServerChild.start(fx.ini);
  const old = await loopDelay(() => simulateFleet({ target: { host: '127.0.0.1', port: server.port }, clients: fleet(OLD_DESKS), concurrency: CONCURRENCY }));
  await server.stop();

  console.log(`${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores; ${DESKS} desks downloading ${FULL_MB} MB each (${((DESKS * FULL_MB) / 1024).toFixed(1)} GB), ${CONCURRENCY} at once, MaxTransfers ${MAX_TRANSFERS}`);
  console.log(`workbench child: ${(child.ms / 1000).toFixed(1)} s, ${snapshots} snapshots received (${((snapshots * 1000) / child.ms).toFixed(1)}/s), ${fetches} inventories fetched (the last with ${names} names)`);
  printFigure('host loop delay p99, workbench child', child.p99, 'ms', 'idle host', idle.p99, '< 20 ms');
  printFigure('host loop delay max, workbench child', child.max, 'ms', 'idle host', idle.max);
  printFigure(`host loop delay p99, ${OLD_DESKS} desks in the host`, old.p99, 'ms', 'workbench child', child.p99);
}

if (!runChildServerIfAsked()) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
