// What simulating a desk costs over merely talking to the server, with a
// baseline measured in the same run (bench/simulate.bench.ts reports the
// fleet's absolute figures without one). A fleet of 1,000 desks, 900 current,
// 90 patchable (a 256 KiB patch, half keep Chat open) and 10 old ones (a
// 16 MiB full setup), 50 at once, against one server in a child process:
//   candidate: simulateFleet (SHA-256 of every byte, Setup, result, a second
//              login after installing, the story);
//   baseline:  a bare protocol walk of the same fleet (connect, hello, login,
//              read the offer, accept, count the DATA bytes, close).
// Runs are interleaved so machine noise hits both alike; each run checks that
// every desk ended as expected and that both received the same bytes.
//   npm run bench -- simulateOverhead      (SIM_BENCH_RUNS=N, default 5)
import { rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { ProtocolClient } from '../server/src/upgrade/client';
import type { ServerMessage } from '../server/src/upgrade/messages';
import { simulateFleet, type SimulationReport } from '../server/src/simulator';
import type { FleetEntry } from '../server/src/simulator/fleet';
import { configText, makeFixture } from '../test/upgrade/helpers';
import { printFigure, summarize } from './lib';
import { ServerChild, runChildServerIfAsked } from './serverChild';

const HOST = '127.0.0.1';
const MiB = 1024 * 1024;
const CONCURRENCY = 50;
const FULL_BYTES = 16 * MiB;
const PATCH_BYTES = 256 * 1024;
const FLEET: FleetEntry[] = [
  { version: '5.20.12', count: 900, decline: 0, apps: [], keepOpen: 0 }, // CurrentVersion of configText(): allow
  { version: '5.10.3', count: 90, decline: 0, apps: ['Chat'], keepOpen: 0.5 }, // Patchable: patch
  { version: '4.0', count: 10, decline: 0, apps: [], keepOpen: 0 }, // not patchable: full
];
const TOTAL = FLEET.reduce((n, e) => n + e.count, 0);
const EXPECTED_BYTES = 90 * PATCH_BYTES + 10 * FULL_BYTES;

// ---------------------------------------------------------------- child server


// ------------------------------------------------------------ the bare baseline

async function expectMsg(c: ProtocolClient, type: ServerMessage['type']): Promise<ServerMessage> {
  const m = await c.message(120000);
  if (m.type !== type) throw new Error(`expected ${type}, got ${m.type}${m.type === 'error' ? ` (${m.code}: ${m.message})` : ''}`);
  return m;
}

/** One desk, as little as the protocol allows: returns the bytes received. */
async function bareDesk(port: number, version: string): Promise<number> {
  const c = await ProtocolClient.connect(HOST, port, 30000);
  try {
    c.send({ type: 'hello', protocol: 1, client: 'bench' });
    await expectMsg(c, 'welcome');
    c.send({ type: 'login', version });
    const d = await expectMsg(c, 'decision');
    if (d.type === 'decision' && d.action === 'allow') {
      await expectMsg(c, 'admitted');
      return 0;
    }
    await expectMsg(c, 'offer');
    c.send({ type: 'accept', offset: 0 });
    let n = 0;
    for (let frames = 0; frames < 1_000_000; frames++) {
      const item = await c.next(120000);
      if (item.kind === 'data') n += item.bytes.length;
      else if (item.kind === 'closed') throw new Error(`closed after ${n} bytes`);
      else if (item.message.type === 'done') return n;
      else if (item.message.type === 'error') throw new Error(`${item.message.code}: ${item.message.message}`);
    }
    throw new Error('the transfer never ended');
  } finally {
    c.close();
  }
}

async function bareFleet(port: number): Promise<number> {
  const versions = FLEET.flatMap((e) => Array.from({ length: e.count }, () => e.version));
  let next = 0;
  let bytes = 0;
  const worker = async (): Promise<void> => {
    while (next < versions.length) {
      const n = await bareDesk(port, versions[next++]);
      bytes += n;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (bytes !== EXPECTED_BYTES) throw new Error(`the bare walk received ${bytes} bytes, want ${EXPECTED_BYTES}`);
  return bytes;
}

// ------------------------------------------------------------------- measuring

interface Run {
  wallMs: number;
  serverCpuMs: number;
  clientCpuMs: number;
}

async function measure(server: ServerChild, body: () => Promise<unknown>): Promise<Run> {
  const s0 = await server.cpuMs();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await body();
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  const serverCpuMs = (await server.cpuMs()) - s0;
  return { wallMs, serverCpuMs, clientCpuMs: (c.user + c.system) / 1000 };
}

function check(r: SimulationReport): void {
  const got = JSON.stringify([r.clients.length, r.totals.allow, r.totals.patch, r.totals.full, r.failures, r.totals['let-in'], (r.totals.upgraded ?? 0) + (r.totals['restart-required'] ?? 0), r.bytes]);
  const want = JSON.stringify([TOTAL, 900, 90, 10, 0, 900, 100, EXPECTED_BYTES]);
  if (got !== want) throw new Error(`the simulated fleet did not end as expected: ${got}, want ${want}`);
}

async function main(): Promise<void> {
  const runs = Number(process.env.SIM_BENCH_RUNS ?? 5);
  const fx = makeFixture(configText({ maxTransfers: 4, mode: 'Forced' }), FULL_BYTES, PATCH_BYTES);
  const server = await ServerChild.start(fx.ini);
  try {
    const target = { host: HOST, port: server.port };
    const simulate = async (): Promise<void> => check(await simulateFleet({ target, clients: FLEET, seed: 1, concurrency: CONCURRENCY }));
    const bare = (): Promise<number> => bareFleet(server.port);
    // Warm-up: JIT, the server's file snapshots and hashes, the page cache.
    await simulate();
    await bare();
    const sim: Run[] = [];
    const base: Run[] = [];
    for (let i = 0; i < runs; i++) {
      base.push(await measure(server, bare));
      sim.push(await measure(server, simulate));
    }
    const med = (rs: Run[], f: (r: Run) => number): number => summarize(rs.map(f)).median;
    const share = (r: Run): number => (100 * r.serverCpuMs) / (r.serverCpuMs + r.clientCpuMs);
    console.log(`${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores; ${TOTAL} desks (900 current, 90 patch of 256 KiB, 10 full of 16 MiB, ${(EXPECTED_BYTES / MiB).toFixed(1)} MiB), ${CONCURRENCY} at once, MaxTransfers 4; median of ${runs} interleaved runs after a warm-up`);
    printFigure('fleet wall time (simulateFleet)', med(sim, (r) => r.wallMs), 'ms', 'bare protocol walk', med(base, (r) => r.wallMs));
    printFigure('simulator CPU (this process)', med(sim, (r) => r.clientCpuMs), 'ms', 'bare protocol walk', med(base, (r) => r.clientCpuMs));
    printFigure('server CPU (child process)', med(sim, (r) => r.serverCpuMs), 'ms', 'bare protocol walk', med(base, (r) => r.serverCpuMs));
    printFigure('server share of CPU', med(sim, share), '%', 'bare protocol walk', med(base, share));
    printFigure('desks per second', TOTAL / (med(sim, (r) => r.wallMs) / 1000), '/s', 'bare protocol walk', TOTAL / (med(base, (r) => r.wallMs) / 1000));
  } finally {
    await server.stop();
    rmSync(fx.dir, { recursive: true, force: true });
  }
}

if (!runChildServerIfAsked()) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
