// The fleet simulator against a local upgrade server in a child process:
// 1,000 simulated desks (85% current, 15% on a patchable version, 5 on an
// old version that takes the 16 MiB full setup), the real protocol over
// 127.0.0.1. Reports the wall time and where the CPU goes: the server child
// (its process.cpuUsage over IPC) against the simulator (this process).
//   npm run bench -- simulate
import { rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { simulateFleet, type SimulationReport } from '../server/src/simulator';
import type { FleetEntry } from '../server/src/simulator/fleet';
import { configText, makeFixture } from '../test/upgrade/helpers';
import { printFigure, summarize } from './lib';
import { ServerChild, runChildServerIfAsked } from './serverChild';

const HOST = '127.0.0.1';
const MiB = 1024 * 1024;
const CLIENTS = 1000;
const CONCURRENCY = 100;
const MAX_TRANSFERS = 4;
const RUNS = 7;
const WARMUP = 2;

const now = (): number => Number(process.hrtime.bigint()) / 1e6;

// ---------------------------------------------------------------- child server


// ----------------------------------------------------------------------- fleet

/** 1,000 desks, interleaved so downloads are spread over the run: in every 20, 3 patch; in every 200, 1 full. */
function fleet(): FleetEntry[] {
  const entries: FleetEntry[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const version = i % 200 === 199 ? '4.0' : i % 20 < 3 ? '5.10.3' : '5.20.12';
    const last = entries[entries.length - 1];
    if (last && last.version === version) last.count++;
    else entries.push({ version, count: 1, decline: 0, apps: [], keepOpen: 0 });
  }
  return entries;
}

async function main(): Promise<void> {
  const fx = makeFixture(configText({ maxTransfers: MAX_TRANSFERS }), 16 * MiB, 1 * MiB);
  const entries = fleet();
  const count = (v: string): number => entries.filter((e) => e.version === v).reduce((n, e) => n + e.count, 0);
  console.log(
    `${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores; ${CLIENTS} clients: ${count('5.20.12')} current, ${count('5.10.3')} patch (1 MiB), ${count('4.0')} full (16 MiB); concurrency ${CONCURRENCY}, MaxTransfers ${MAX_TRANSFERS}`,
  );
  const child = await ServerChild.start(fx.ini);
  const walls: number[] = [];
  const serverCpu: number[] = [];
  const simCpu: number[] = [];
  let last: SimulationReport | null = null;
  try {
    for (let run = 0; run < RUNS + WARMUP; run++) {
      const s0 = await child.cpu();
      const p0 = process.cpuUsage();
      const start = now();
      const report = await simulateFleet({ target: { host: HOST, port: child.port }, clients: entries, concurrency: CONCURRENCY, seed: 1 });
      const wall = now() - start;
      const p = process.cpuUsage(p0);
      const s1 = await child.cpu();
      if (report.failures > 0 || report.clients.length !== CLIENTS) {
        const bad = report.clients.find((c) => c.outcome === 'error' || c.error);
        throw new Error(`${report.failures} of ${report.clients.length} simulated clients failed${bad ? `: ${bad.error}` : ''}`);
      }
      last = report;
      if (run < WARMUP) continue;
      walls.push(wall);
      serverCpu.push((s1.us - s0.us) / 1000);
      simCpu.push((p.user + p.system) / 1000);
    }
  } finally {
    await child.stop();
    rmSync(fx.dir, { recursive: true, force: true });
  }
  const med = (xs: number[]): number => summarize(xs).median;
  const shares = serverCpu.map((s, i) => s / (s + simCpu[i]));
  printFigure(`fleet of ${CLIENTS}, wall time, median of ${RUNS}`, med(walls) / 1000, 's', null, null);
  printFigure('  clients per second', CLIENTS / (med(walls) / 1000), '/s', null, null);
  printFigure('  CPU in the server (child)', med(serverCpu) / 1000, 's', null, null);
  printFigure('  CPU in the simulator (this process)', med(simCpu) / 1000, 's', null, null);
  printFigure('  server share of the CPU', 100 * med(shares), '%', null, null);
  printFigure('  CPU used / (wall x cores)', (100 * (med(serverCpu) + med(simCpu))) / (med(walls) * cpus().length), '%', null, null);
  if (last) {
    const t = last.totals;
    console.log(`  last run: allow ${t.allow}, patch ${t.patch}, full ${t.full}; outcomes let-in ${t['let-in'] ?? 0}, upgraded ${t.upgraded ?? 0}, restart-required ${t['restart-required'] ?? 0}; ${(last.bytes / 1e6).toFixed(0)} MB received and hashed; client time p50 ${last.times.p50} ms, p95 ${last.times.p95} ms; failures ${last.failures}`);
  }
  console.log(`  per run: wall ${walls.map((w) => (w / 1000).toFixed(2)).join(' ')} s; server share ${shares.map((s) => (100 * s).toFixed(0)).join(' ')} %`);
}

if (!runChildServerIfAsked()) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
