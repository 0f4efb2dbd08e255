// The rollout parts of the upgrade server on 127.0.0.1 (goals:
// ../shared/design/benchmarks.md):
//  1. MaxRate: 20 clients download at once from a server with MaxRate = 20MB;
//     the bytes they receive over 10 s against the configured rate (goal
//     0.95-1.0); and login latency while the cap is saturated, against the same
//     logins with no transfer running (the control messages never wait for the
//     bucket);
//  2. logins per second with a [Rollout] section (Pilot, Exclude, Percent,
//     MaxPerHour, PauseAfterFailures, ForcedHours in Europe/Berlin), against
//     the same config without it (goal ratio >= 0.9): 200 named desks at
//     once, each logging in with an out-of-date version (so every gate runs)
//     and leaving after the offer; runs interleaved.
// Client and server run in this one process, as in upgrade.bench.ts; inputs
// are deterministic (seeded bytes, numbered names).
//   npm run bench -- rollout           (ROLLOUT_BENCH=maxrate,logins to pick;
//                                       AA=1: both login servers without [Rollout], the noise floor)
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ProtocolClient } from '../server/src/upgrade/client';
import type { ServerMessage } from '../server/src/upgrade/messages';
import { startUpgradeServer, type UpgradeServer } from '../server/src/upgrade/server';
import { configText, makeFixture, type Fixture } from '../test/upgrade/helpers';
import { percentile, pool, printFigure, summarize } from './lib';

const HOST = '127.0.0.1';
const MiB = 1024 * 1024;
const now = (): number => performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]): number => summarize(xs).median;

async function expectMsg(c: ProtocolClient, type: ServerMessage['type']): Promise<ServerMessage> {
  const m = await c.message(60_000);
  if (m.type !== type) throw new Error(`expected ${type}, got ${m.type}${m.type === 'error' ? ` (${m.code}: ${m.message})` : ''}`);
  return m;
}

/** connect, hello + login in one write, welcome, decision (+ the admitted or offer behind it), close. */
async function loginOnce(port: number, version: string, name: string): Promise<string> {
  const c = await ProtocolClient.connect(HOST, port, 30_000);
  try {
    c.send({ type: 'hello', protocol: 1, client: 'bench' }, { type: 'login', version, name });
    await expectMsg(c, 'welcome');
    const d = await c.message(60_000);
    if (d.type !== 'decision') throw new Error(`expected a decision, got ${d.type}`);
    await c.message(60_000); // admitted, or the offer
    return d.reason;
  } finally {
    c.close();
  }
}

function ini(fx: Fixture, name: string, text: string): string {
  const path = join(fx.dir, name);
  writeFileSync(path, text);
  return path;
}

// ------------------------------------------------------------ 1. MaxRate

async function benchMaxRate(fx: Fixture): Promise<void> {
  const RATE = 20_000_000; // MaxRate = 20MB
  const CLIENTS = 20;
  const WINDOW_MS = 10_000;
  const RUNS = 3;
  const path = ini(fx, 'maxrate.ini', configText({ maxTransfers: CLIENTS }).replace('[Server]\n', '[Server]\nMaxRate = 20MB\nStateFile = None\n'));
  const server = await startUpgradeServer({ configPath: path, port: 0, host: HOST, watch: false });
  const port = server.address().port;
  const ratios: number[] = [];
  const busyLogins: number[] = [];
  const idleLogins: number[] = [];
  /** Sequential logins of a current desk for `ms`, their latencies in ms. */
  const loginLatencies = async (ms: number, into: number[]): Promise<void> => {
    const end = now() + ms;
    for (let i = 0; now() < end; i++) {
      const t = now();
      await loginOnce(port, '5.20.12', `probe-${i}`);
      into.push(now() - t);
      await sleep(20);
    }
  };
  try {
    await loginLatencies(1000, []); // warm-up
    for (let run = 0; run < RUNS; run++) {
      await loginLatencies(2000, idleLogins);
      let received = 0;
      let counting = false;
      let stop = false;
      const clients = await Promise.all(
        Array.from({ length: CLIENTS }, async (_, i) => {
          const c = await ProtocolClient.connect(HOST, port, 30_000);
          c.send({ type: 'hello', protocol: 1, client: 'bench' });
          c.send({ type: 'login', version: '4.0', name: `dl-${run}-${i}` });
          await expectMsg(c, 'welcome');
          await expectMsg(c, 'decision');
          await expectMsg(c, 'offer');
          return c;
        }),
      );
      const reading = clients.map(async (c) => {
        c.send({ type: 'accept' });
        while (!stop) {
          const item = await c.next(60_000);
          if (item.kind === 'data') {
            if (counting) received += item.bytes.length;
          } else if (item.kind === 'closed' || item.message.type === 'done' || item.message.type === 'error') return;
        }
      });
      // One second to reach the steady state (every transfer started), then the window.
      await sleep(1000);
      counting = true;
      const t0 = now();
      await loginLatencies(WINDOW_MS, busyLogins);
      const elapsed = now() - t0;
      counting = false;
      ratios.push(((received / elapsed) * 1000) / RATE);
      stop = true;
      for (const c of clients) c.close();
      await Promise.allSettled(reading);
      await sleep(200);
    }
    printFigure(`MaxRate 20MB, ${CLIENTS} downloads, bytes/s over ${WINDOW_MS / 1000} s (x${RUNS})`, median(ratios) * RATE, 'B/s', 'the configured MaxRate', RATE, '0.95-1.0');
    console.log(`  per-run ratios: ${ratios.map((r) => r.toFixed(4)).join(' ')} (file bytes; each 64 KiB chunk also carries a 5-byte frame header, counted by the bucket: the wire ratio is 1.00008x these)`);
    const idle = [...idleLogins].sort((a, b) => a - b);
    const busy = [...busyLogins].sort((a, b) => a - b);
    printFigure('  login p95 while MaxRate is saturated', percentile(busy, 95), 'ms', 'login p95, no transfer', percentile(idle, 95));
    console.log(`  login median ${percentile(busy, 50).toFixed(2)} ms saturated, ${percentile(idle, 50).toFixed(2)} ms idle (${busy.length} and ${idle.length} logins, one at a time)`);
  } finally {
    await server.close();
  }
}

// ------------------------------------------------ 2. logins with [Rollout]

const ROLLOUT = [
  '[Rollout]',
  `Pilot = reception, boss-*, ${Array.from({ length: 18 }, (_, i) => `pilot-${i}`).join(', ')}`,
  'Exclude = ops-console-?, lab-*',
  'Percent = 100',
  'MaxPerHour = 100000',
  'PauseAfterFailures = 100',
  'ForcedHours = Mon-Fri 18:00-07:00, Sat-Sun',
  'TimeZone = Europe/Berlin',
  '',
].join('\n');

async function benchLogins(fx: Fixture): Promise<void> {
  const TOTAL = 2000;
  const CONCURRENCY = 200;
  const RUNS = 7;
  // Both keep state in memory: the figure is the gates, not the state file's saves.
  const base = configText({ maxTransfers: 4 }).replace('[Server]\n', '[Server]\nStateFile = None\n');
  const servers: UpgradeServer[] = [];
  try {
    const plain = await startUpgradeServer({ configPath: ini(fx, 'plain.ini', base), port: 0, host: HOST, watch: false });
    servers.push(plain);
    const gated = await startUpgradeServer({ configPath: ini(fx, 'rollout.ini', base + (process.env.AA ? '' : ROLLOUT)), port: 0, host: HOST, watch: false });
    servers.push(gated);
    if (!gated.config.config.rollout && !process.env.AA) throw new Error('the [Rollout] config was not read');
    let seq = 0;
    const reasons = new Map<string, number>();
    const loop = (server: UpgradeServer, tally: boolean): Promise<number> =>
      pool(TOTAL, CONCURRENCY, async () => {
        // Every login a new desk name: the window of MaxPerHour and the inventory grow as in an office.
        const reason = await loginOnce(server.address().port, '5.10.3', `desk-${seq++}`);
        if (tally) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      });
    await loop(plain, false);
    await loop(gated, false);
    const rates: { plain: number[]; gated: number[]; ratio: number[] } = { plain: [], gated: [], ratio: [] };
    for (let i = 0; i < RUNS; i++) {
      // Alternate which goes first, so the garbage one run leaves falls on both alike.
      let p: number;
      let g: number;
      if (i % 2 === 0) {
        p = (TOTAL / (await loop(plain, false))) * 1000;
        g = (TOTAL / (await loop(gated, true))) * 1000;
      } else {
        g = (TOTAL / (await loop(gated, true))) * 1000;
        p = (TOTAL / (await loop(plain, false))) * 1000;
      }
      rates.plain.push(p);
      rates.gated.push(g);
      rates.ratio.push(g / p);
    }
    printFigure(`logins/s with [Rollout], ${CONCURRENCY} at once, ${TOTAL}/run (x${RUNS})`, median(rates.gated), '/s', 'the same config without it', median(rates.plain), '>= 0.9');
    console.log(`  per-run ratios: ${rates.ratio.map((r) => r.toFixed(2)).join(' ')}; decisions with [Rollout]: ${[...reasons].map(([k, n]) => `${k} ${n}`).join(', ')}`);
    console.log(`  after the runs: ${gated.rolloutStatus().offeredLastHour} desks in MaxPerHour's window, ${gated.inventorySize} in the inventory`);
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
}

async function main(): Promise<void> {
  const wanted = (process.env.ROLLOUT_BENCH ?? 'maxrate,logins').split(',');
  const started = now();
  // 20 downloads of 32 MiB outlast the 11 s of a MaxRate run at 20 MB/s.
  const fx = makeFixture(configText(), 32 * MiB, 64 * 1024);
  console.log(`${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores; full setup ${fx.full.length / MiB} MiB (xorshift, seeded)`);
  if (wanted.includes('maxrate')) await benchMaxRate(fx);
  if (wanted.includes('logins')) await benchLogins(fx);
  console.log(`(${((now() - started) / 1000).toFixed(0)} s)`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
