// The upgrade server on 127.0.0.1 (goals: ../shared/design/benchmarks.md):
//  1. logins per second, 200 clients at once, against a bare TCP echo loop
//     with the same concurrency and client code style (goal ratio >= 0.85),
//     and the same against stand-ins for either end (where the floor lies);
//  2. transfer: 50 clients download a 64 MiB full setup at once, against
//     fs.createReadStream(file).pipe(socket) to 50 sockets (goal >= 0.85),
//     with DATA chunks of 64 KiB (the default) and 256 KiB;
//  3. memory: the server's RSS growth (server in a child process, RSS read
//     there and sent over IPC) while 1,000 clients hold connections and 100
//     download (goal < 150 MiB);
//  4. idle connections held at once (goal >= 10,000, the default connection cap): clients that sent hello
//     and wait, then clients waiting in the MaxTransfers queue; and what the
//     queue costs: server.close() with 1,000 queued, and 500 / 1,000 clients
//     draining through MaxTransfers = 4 (per-client time should not grow).
// Logins and transfer run client and server in this one process, as the
// baselines of the design note were measured; memory and idle run the server
// in a child. Every input is deterministic; every server is closed at the end.
//   npm run bench -- upgrade           (UPGRADE_BENCH=logins,floor,transfer,memory,idle,drain to pick)
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createReadStream, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { connectSocket, ProtocolClient } from '../server/src/upgrade/client';
import { encodeControls } from '../server/src/upgrade/codec';
import type { OfferMessage, ServerMessage } from '../server/src/upgrade/messages';
import { startUpgradeServer } from '../server/src/upgrade/server';
import { configText, makeFixture, type Fixture } from '../test/upgrade/helpers';
import { pool, printFigure, summarize } from './lib';

const HOST = '127.0.0.1';
const MiB = 1024 * 1024;
const CURRENT = '5.20.12'; // CurrentVersion of configText(): allow, current
const PATCHABLE = '5.10.3'; // in Patchable: patch
const OLD = '4.0'; // not patchable: full setup

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const now = (): number => Number(process.hrtime.bigint()) / 1e6;
const median = (xs: number[]): number => summarize(xs).median;

// ---------------------------------------------------------------- child server
// The same bundle, started as `node upgrade.bench.js child-server OPTIONS`,
// runs one upgrade server and answers the parent over IPC.

type ChildRequest = { type: 'stats'; gc?: boolean } | { type: 'sample-start'; everyMs: number } | { type: 'sample-stop' } | { type: 'stop' };
interface ChildStats {
  type: 'stats';
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  peakRss?: number;
  connections: number;
  running: number;
  queued: number;
  cpuUs: number;
  fdLimit?: string;
}

async function childServer(options: { configPath: string; idleTimeoutMs?: number; chunkBytes?: number; maxConnections?: number }): Promise<void> {
  const server = await startUpgradeServer({ ...options, port: 0, host: HOST, watch: false });
  let peak = 0;
  let sampler: NodeJS.Timeout | null = null;
  const stats = (): ChildStats => {
    const m = process.memoryUsage();
    const cpu = process.cpuUsage();
    return { type: 'stats', rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, connections: server.connections, running: server.transfers.running, queued: server.transfers.queued, cpuUs: cpu.user + cpu.system };
  };
  process.on('message', (m: ChildRequest) => {
    if (m.type === 'stats') {
      if (m.gc && global.gc) global.gc();
      process.send!(stats());
    } else if (m.type === 'sample-start') {
      peak = process.memoryUsage.rss();
      sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), m.everyMs);
    } else if (m.type === 'sample-stop') {
      if (sampler) clearInterval(sampler);
      sampler = null;
      process.send!({ ...stats(), peakRss: Math.max(peak, process.memoryUsage.rss()) });
    } else if (m.type === 'stop') {
      void server.close().then(() => process.exit(0));
    }
  });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
  let fdLimit: string | undefined;
  try {
    fdLimit = execFileSync('bash', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  } catch {
    fdLimit = undefined;
  }
  process.send!({ type: 'listening', port: server.address().port, fdLimit });
}

class ServerChild {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly fdLimit: string | undefined,
  ) {}

  /** Forks this bundle as a server; through bash, to raise its open-file limit first. */
  static start(options: { configPath: string; idleTimeoutMs?: number; chunkBytes?: number; maxConnections?: number }, fdLimit = 20000): Promise<ServerChild> {
    const child = spawn('bash', ['-c', `ulimit -n ${fdLimit} 2>/dev/null || ulimit -n $(ulimit -Hn); exec "$0" "$@"`, process.execPath, '--expose-gc', __filename, 'child-server', JSON.stringify(options)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server child did not start within 60 s')), 60000);
      child.once('message', (m: { type: string; port: number; fdLimit?: string }) => {
        clearTimeout(timer);
        resolve(new ServerChild(child, m.port, m.fdLimit));
      });
      child.once('exit', (code) => reject(new Error(`the server child exited with ${code}`)));
    });
  }

  private ask(request: ChildRequest): Promise<ChildStats> {
    return new Promise((resolve) => {
      this.child.once('message', (m: ChildStats) => resolve(m));
      this.child.send(request);
    });
  }

  stats(gc = false): Promise<ChildStats> {
    return this.ask({ type: 'stats', gc });
  }

  sampleStart(everyMs: number): void {
    this.child.send({ type: 'sample-start', everyMs } satisfies ChildRequest);
  }

  sampleStop(): Promise<ChildStats> {
    return this.ask({ type: 'sample-stop' });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 15000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.send({ type: 'stop' } satisfies ChildRequest);
    });
  }
}

/** Polls the child until `pred` holds or `ms` pass; returns the last stats. */
async function waitChild(child: ServerChild, pred: (s: ChildStats) => boolean, ms: number): Promise<ChildStats> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await child.stats();
    if (pred(s) || Date.now() > deadline) return s;
    await sleep(50);
  }
}

// ------------------------------------------------------------- protocol client

/** `m` if it is a `type` message, else an error that says what came instead. */
function is(m: ServerMessage, type: ServerMessage['type']): ServerMessage {
  if (m.type !== type) throw new Error(`expected ${type}, got ${m.type}${m.type === 'error' ? ` (${m.code}: ${m.message})` : ''}`);
  return m;
}

async function expectMsg(c: ProtocolClient, type: ServerMessage['type'], timeoutMs = 30000): Promise<ServerMessage> {
  return is(await c.message(timeoutMs), type);
}

/** connect + hello + welcome */
async function hello(port: number): Promise<ProtocolClient> {
  const c = await ProtocolClient.connect(HOST, port, 30000);
  c.send({ type: 'hello', protocol: 1, client: 'bench' });
  await expectMsg(c, 'welcome');
  return c;
}

/** connect + hello and login in one write (pipelined, as the simulated client does) + welcome + decision + admitted */
async function loginCurrent(port: number): Promise<ProtocolClient> {
  const c = await ProtocolClient.connect(HOST, port, 30000);
  c.send({ type: 'hello', protocol: 1, client: 'bench' }, { type: 'login', version: CURRENT });
  // Awaited here, one await a message as the baseline's one await a line
  // (expectMsg would add an async call per message that the baseline has not).
  is(await c.message(30000), 'welcome');
  const d = is(await c.message(30000), 'decision');
  if (d.type === 'decision' && d.action !== 'allow') throw new Error(`expected allow, got ${d.action}`);
  is(await c.message(30000), 'admitted');
  return c;
}

/** Logs in with an old version, accepts the offer; returns once the server answered the accept. */
async function acceptOffer(port: number, version: string): Promise<{ c: ProtocolClient; offer: OfferMessage }> {
  const c = await hello(port);
  c.send({ type: 'login', version });
  await expectMsg(c, 'decision');
  const offer = (await expectMsg(c, 'offer')) as OfferMessage;
  c.send({ type: 'accept' });
  return { c, offer };
}

/** Reads DATA until `done`, counting bytes (not hashing: the baseline does not either). */
async function receiveAll(c: ProtocolClient, size: number): Promise<number> {
  let n = 0;
  for (;;) {
    const item = await c.next(120000);
    if (item.kind === 'data') {
      n += item.bytes.length;
      continue;
    }
    if (item.kind === 'closed') throw new Error(`the connection closed after ${n} of ${size} bytes: ${item.error ?? ''}`);
    const m = item.message;
    if (m.type === 'queued' || m.type === 'start') continue;
    if (m.type === 'done') break;
    throw new Error(`unexpected ${m.type} during the download`);
  }
  if (n !== size) throw new Error(`received ${n} bytes, the offer said ${size}`);
  return n;
}

async function download(port: number, version: string): Promise<number> {
  const { c, offer } = await acceptOffer(port, version);
  try {
    return await receiveAll(c, offer.size);
  } finally {
    c.close();
  }
}

// ---------------------------------------------------------- baseline client
// A bare line client in the style of ProtocolClient: a promise per connect, a
// queue of what arrived, next() with a deadline, close = end + destroy.

class LineClient {
  private readonly inbox: string[] = [];
  private waiting: ((line: string | null) => void) | null = null;
  private buffered = '';
  private ended = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered += chunk.toString('utf8');
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) !== -1) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        this.deliver(line);
      }
    });
    socket.on('error', () => this.finish());
    socket.on('close', () => this.finish());
  }

  static async connect(host: string, port: number, timeoutMs = 30000): Promise<LineClient> {
    return new LineClient(await connectSocket(host, port, timeoutMs));
  }

  send(line: string): void {
    if (!this.socket.destroyed) this.socket.write(`${line}\n`);
  }

  private deliver(line: string | null): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w(line);
    } else if (line !== null) this.inbox.push(line);
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.deliver(null);
  }

  next(timeoutMs = 30000): Promise<string> {
    const queued = this.inbox.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.ended) return Promise.reject(new Error('closed'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting = (line) => {
        clearTimeout(timer);
        if (line === null) reject(new Error('closed'));
        else resolve(line);
      };
    });
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen({ port: 0, host: HOST, backlog: 1024 }, () => resolve((server.address() as { port: number }).port)));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

// -------------------------------------------------------------- 1. logins

// TIME_WAIT: every loop's client closes first, so each connection leaves a
// TIME_WAIT entry for its destination; once a destination holds about half
// the local port range (14,000 here) a connect must reuse one, which costs
// about a fifth more per connection: the warm-ups bring every destination
// there first, so that no loop is measured in the cheaper regime while
// another is in the dearer one.

/** Enough connections to each port for it to reach its steady TIME_WAIT state (see above). */
const SATURATING_CONNECTIONS = 16_000;
/** Each login run: this many connections, this many at once; the median of RUNS runs. */
const TOTAL = 2000;
const CONCURRENCY = 200;
const RUNS = 7;

/** A server that answers every chunk it reads with `answer(chunk)`: the echo, or fixed bytes. */
async function answeringServer(answer: (chunk: Buffer) => Buffer): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => {
    s.setNoDelay(true);
    s.on('data', (d: Buffer) => s.write(answer(d)));
    s.on('error', () => undefined);
  });
  return { server, port: await listen(server) };
}

/** The baseline: TOTAL connections, each `trips` lines echoed then closed. 1 is
 *  the goal's baseline; 2 has as many round trips as a login without pipelining
 *  (hello/welcome, then login/decision+admitted). */
function echoRun(port: number, trips = 1): Promise<number> {
  return pool(TOTAL, CONCURRENCY, async () => {
    const c = await LineClient.connect(HOST, port);
    for (let t = 0; t < trips; t++) {
      c.send('hello');
      if ((await c.next()) !== 'hello') throw new Error('bad echo');
    }
    c.close();
  });
}

/** TOTAL logins of a current desk through ProtocolClient. */
function loginRun(port: number): Promise<number> {
  return pool(TOTAL, CONCURRENCY, async () => {
    const c = await loginCurrent(port);
    c.close();
  });
}

async function benchLogins(fx: Fixture): Promise<void> {
  const upgrade = await startUpgradeServer({ configPath: fx.ini, port: 0, host: HOST, watch: false });
  const port = upgrade.address().port;
  const { server: echo, port: echoPort } = await answeringServer((d) => d);
  const loginLoop = (): Promise<number> => loginRun(port);
  const echoLoop = (trips = 1): Promise<number> => echoRun(echoPort, trips);
  try {
    // Both destinations to their steady TIME_WAIT state (see benchLoginFloor).
    for (const run of [echoLoop, loginLoop]) for (let n = 0; n < SATURATING_CONNECTIONS; n += TOTAL) await run();
    const rates: { login: number[]; echo: number[]; echo2: number[]; ratio: number[]; cpuRatio: number[] } = { login: [], echo: [], echo2: [], ratio: [], cpuRatio: [] };
    // CPU time (this process: clients and server) per run as well: on a
    // machine shared with other work the wall-clock rates move with the load,
    // the CPU a run costs much less.
    const cpuOf = async (run: () => Promise<number>): Promise<{ ms: number; cpuMs: number }> => {
      const before = process.cpuUsage();
      const ms = await run();
      const used = process.cpuUsage(before);
      return { ms, cpuMs: (used.user + used.system) / 1000 };
    };
    for (let i = 0; i < RUNS; i++) {
      const echoRun = await cpuOf(() => echoLoop());
      const loginRun = await cpuOf(loginLoop);
      const e = (TOTAL / echoRun.ms) * 1000;
      const l = (TOTAL / loginRun.ms) * 1000;
      rates.echo2.push((TOTAL / (await echoLoop(2))) * 1000);
      rates.echo.push(e);
      rates.login.push(l);
      rates.ratio.push(l / e);
      rates.cpuRatio.push(echoRun.cpuMs / loginRun.cpuMs);
    }
    printFigure(`logins/s, ${CONCURRENCY} at once, ${TOTAL}/run, median of ${RUNS}`, median(rates.login), '/s', 'TCP connect/echo/close', median(rates.echo), '>= 0.85');
    printFigure('  same, against 2 echoes per connection', median(rates.login), '/s', 'TCP connect/2 echoes/close', median(rates.echo2));
    console.log(`  logins per CPU-second against echoes per CPU-second (the same runs): ratio ${median(rates.cpuRatio).toFixed(2)} (per run ${rates.cpuRatio.map((r) => r.toFixed(2)).join(' ')})`);
    console.log(`  per-run ratios (1 echo): ${rates.ratio.map((r) => r.toFixed(2)).join(' ')}; a login is 1 round trip (hello and login pipelined in one write; welcome, decision and admitted in one reply) with 3 JSON messages out and 2 in, the baseline 1 round trip and 2 writes`);
  } finally {
    await upgrade.close();
    await closeServer(echo);
  }
}

// ------------------------------------------------ 1b. where the logins' floor lies
// The login figure against stand-ins that each drop one side's work, so that
// "how far could the ratio go" is a measurement, not a guess:
//   fake server + ProtocolClient: a server that answers every chunk with the
//     real server's three replies as fixed bytes (no session, decision,
//     inventory, timer or parsing): what the client's protocol costs;
//   real server + raw client: the same request bytes written, the replies
//     counted, never parsed: what the server's login costs;
//   fake server + raw client: the bare exchange of those bytes.

async function benchLoginFloor(fx: Fixture): Promise<void> {
  const upgrade = await startUpgradeServer({ configPath: fx.ini, port: 0, host: HOST, watch: false });
  const realPort = upgrade.address().port;
  const request = encodeControls([
    { type: 'hello', protocol: 1, client: 'bench' },
    { type: 'login', version: CURRENT },
  ]);
  // The real server's replies, read once, become the fake's fixed answer.
  const probe = await ProtocolClient.connect(HOST, realPort, 30000);
  probe.send({ type: 'hello', protocol: 1, client: 'bench' }, { type: 'login', version: CURRENT });
  const replies = [is(await probe.message(30000), 'welcome'), is(await probe.message(30000), 'decision'), is(await probe.message(30000), 'admitted')];
  probe.close();
  const reply = encodeControls(replies);
  const { server: fake, port: fakePort } = await answeringServer(() => reply);
  const { server: echo, port: echoPort } = await answeringServer((d) => d);
  const protocolLoop = (port: number) => (): Promise<number> => loginRun(port);
  // A login's replies are one write of reply.length bytes (welcome, decision, admitted).
  const rawLoop = (port: number) => (): Promise<number> =>
    pool(TOTAL, CONCURRENCY, async () => {
      const c = await connectSocket(HOST, port, 30000);
      await new Promise<void>((resolve, reject) => {
        let got = 0;
        c.on('data', (d: Buffer) => {
          got += d.length;
          if (got >= reply.length) resolve();
        });
        c.on('close', () => reject(new Error(`closed after ${got} of ${reply.length} bytes`)));
        c.write(request);
      });
      c.end();
      c.destroy();
    });
  const echoLoop = (): Promise<number> => echoRun(echoPort);
  const loops: { name: string; run: () => Promise<number> }[] = [
    { name: 'real server + ProtocolClient (the figure)', run: protocolLoop(realPort) },
    { name: 'fake server + ProtocolClient', run: protocolLoop(fakePort) },
    { name: 'real server + raw client', run: rawLoop(realPort) },
    { name: 'fake server + raw client', run: rawLoop(fakePort) },
  ];
  try {
    // Each destination to its steady TIME_WAIT state (the two fake loops share one).
    for (const run of [echoLoop, loops[0].run, loops[1].run]) for (let n = 0; n < SATURATING_CONNECTIONS; n += TOTAL) await run();
    const ratios = loops.map(() => [] as number[]);
    for (let r = 0; r < RUNS; r++) {
      // The order turns each round so that no loop always follows the same one.
      for (let k = 0; k < loops.length; k++) {
        const i = (k + r) % loops.length;
        const e = await echoLoop();
        ratios[i].push(e / (await loops[i].run()));
      }
    }
    console.log(`logins against TCP connect/echo/close, ${CONCURRENCY} at once, ${TOTAL}/run, each run beside its own echo run, median of ${RUNS}:`);
    loops.forEach((l, i) => console.log(`  ${l.name.padEnd(44)} ratio ${median(ratios[i]).toFixed(2)}  (per run ${ratios[i].map((x) => x.toFixed(2)).join(' ')})`));
  } finally {
    await upgrade.close();
    await closeServer(fake);
    await closeServer(echo);
  }
}

// ------------------------------------------------------------- 2. transfer

async function benchTransfer(fx: Fixture, iniPath: string): Promise<void> {
  const CLIENTS = 50;
  const RUNS = 5;
  const size = fx.full.length;
  const file = join(fx.dir, 'files', 'Netphone_520.exe');
  const s64 = await startUpgradeServer({ configPath: iniPath, port: 0, host: HOST, watch: false, chunkBytes: 64 * 1024 });
  const s256 = await startUpgradeServer({ configPath: iniPath, port: 0, host: HOST, watch: false, chunkBytes: 256 * 1024 });
  const raw = createServer((socket) => {
    socket.on('error', () => undefined);
    createReadStream(file).pipe(socket);
  });
  const rawPort = await listen(raw);
  const rawOnce = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const socket = connect({ host: HOST, port: rawPort });
      let n = 0;
      socket.on('data', (d: Buffer) => (n += d.length));
      socket.on('error', reject);
      socket.on('end', () => (n === size ? resolve(n) : reject(new Error(`raw: ${n} of ${size} bytes`))));
    });
  const run = async (once: () => Promise<number>): Promise<number> => {
    const start = now();
    const got = await Promise.all(Array.from({ length: CLIENTS }, once));
    const ms = now() - start;
    return got.reduce((a, b) => a + b, 0) / 1e6 / (ms / 1000);
  };
  const candidates = {
    raw: () => run(rawOnce),
    c64: () => run(() => download(s64.address().port, OLD)),
    c256: () => run(() => download(s256.address().port, OLD)),
  };
  try {
    await candidates.raw();
    await candidates.c64();
    const r: Record<keyof typeof candidates, number[]> = { raw: [], c64: [], c256: [] };
    for (let i = 0; i < RUNS; i++) {
      for (const k of Object.keys(candidates) as (keyof typeof candidates)[]) r[k].push(await candidates[k]());
    }
    const label = `${CLIENTS} x ${size / MiB} MiB`;
    printFigure(`transfer ${label}, 64 KiB DATA (default)`, median(r.c64), 'MB/s', 'createReadStream.pipe', median(r.raw), '>= 0.85');
    printFigure(`transfer ${label}, 256 KiB DATA`, median(r.c256), 'MB/s', 'createReadStream.pipe', median(r.raw), '>= 0.85');
    const ratios = (k: 'c64' | 'c256'): number[] => r[k].map((x, i) => x / r.raw[i]);
    console.log(`  median of per-run ratios (each against the baseline run just before it): 64 KiB ${median(ratios('c64')).toFixed(2)}, 256 KiB ${median(ratios('c256')).toFixed(2)}`);
    console.log(`  per-run MB/s  raw: ${r.raw.map((x) => x.toFixed(0)).join(' ')}  64K: ${r.c64.map((x) => x.toFixed(0)).join(' ')}  256K: ${r.c256.map((x) => x.toFixed(0)).join(' ')}  (bytes counted, not hashed; median of ${RUNS})`);
  } finally {
    await s64.close();
    await s256.close();
    await closeServer(raw);
  }
}

// --------------------------------------------------------------- 3. memory

async function benchMemory(iniPath: string, maxTransfers: number): Promise<void> {
  const HOLD = 1000;
  const DOWNLOAD = 100;
  const RUNS = 3;
  const held: number[] = [];
  const peak: number[] = [];
  const after: number[] = [];
  let detail = '';
  for (let run = 0; run < RUNS + 1; run++) {
    const child = await ServerChild.start({ configPath: iniPath, idleTimeoutMs: 600_000 });
    const clients: ProtocolClient[] = [];
    try {
      await child.stats(true);
      await sleep(300);
      const base = await child.stats(true);
      await pool(HOLD, 200, async () => clients.push(await loginCurrent(child.port)));
      const holding = await child.stats(true);
      child.sampleStart(20);
      const start = now();
      await Promise.all(Array.from({ length: DOWNLOAD }, () => download(child.port, OLD)));
      const ms = now() - start;
      const during = await child.sampleStop();
      const settled = await child.stats(true);
      if (holding.connections < HOLD) throw new Error(`only ${holding.connections} connections held`);
      if (run === 0) continue; // warm-up: the first child also warms the page cache
      held.push((holding.rss - base.rss) / MiB);
      peak.push((during.peakRss! - base.rss) / MiB);
      after.push((settled.rss - base.rss) / MiB);
      detail = `base rss ${(base.rss / MiB).toFixed(0)} MiB; holding: heap ${((holding.heapUsed - base.heapUsed) / MiB).toFixed(1)} MiB more, ${holding.connections} connections; downloads ${(ms / 1000).toFixed(1)} s; at the end of the downloads: external+arrayBuffers ${((during.external + during.arrayBuffers) / MiB).toFixed(1)} MiB`;
    } finally {
      for (const c of clients) c.close();
      await child.stop();
    }
  }
  printFigure(`server RSS growth, ${HOLD} held + ${DOWNLOAD} downloading (peak)`, median(peak), 'MiB', null, null, '< 150 MiB');
  printFigure(`server RSS growth, ${HOLD} held idle (after gc)`, median(held), 'MiB', null, null);
  printFigure(`server RSS growth, after the downloads (after gc)`, median(after), 'MiB', null, null);
  console.log(`  MaxTransfers = ${maxTransfers}, ${DOWNLOAD} x 64 MiB full setup, RSS sampled every 20 ms in the server child; median of ${RUNS} fresh children after one warm-up; ${detail}`);
}

// ------------------------------------------------------ 4. idle connections

async function benchIdle(iniPath: string): Promise<void> {
  const TARGET = 10_000;
  const ownLimit = execFileSync('bash', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  const target = Math.min(TARGET, ownLimit === 'unlimited' ? TARGET : Number(ownLimit) - 200);

  // (a) hello sent, waiting for the login (IdleTimeout raised out of the way).
  {
    const child = await ServerChild.start({ configPath: iniPath, idleTimeoutMs: 600_000 });
    const clients: ProtocolClient[] = [];
    let failure = '';
    try {
      const base = await child.stats(true);
      const ms = await pool(target, 200, async () => {
        if (failure) return;
        try {
          clients.push(await hello(child.port));
        } catch (err) {
          failure ||= (err as Error).message;
        }
      });
      await sleep(1000);
      const s = await child.stats(true);
      const alive = clients.filter((c) => !c.closed).length;
      printFigure('idle connections held (hello sent, waiting)', Math.min(alive, s.connections), 'conns', null, null, '>= 10,000');
      console.log(`  tried ${target} (open-file limit: bench ${ownLimit}, server ${child.fdLimit}); server counts ${s.connections}; opened in ${(ms / 1000).toFixed(1)} s; server RSS +${((s.rss - base.rss) / MiB).toFixed(0)} MiB (${(((s.rss - base.rss) / Math.max(1, s.connections)) / 1024).toFixed(1)} KiB each)${failure ? `; first failure: ${failure}` : ''}`);
    } finally {
      for (const c of clients) c.close();
      await waitChild(child, (x) => x.connections === 0, 20000);
      await child.stop();
    }
  }

  // (b) waiting in the MaxTransfers queue: MaxTransfers = 1, its one slot held
  //     by a client that accepts and never reads, everyone else queued.
  {
    const child = await ServerChild.start({ configPath: iniPath, idleTimeoutMs: 600_000 });
    const clients: ProtocolClient[] = [];
    let failure = '';
    let holder: ProtocolClient | null = null;
    try {
      const base = await child.stats(true);
      // The holder takes the 64 MiB full setup (more than the socket buffers hold) and never reads.
      holder = (await acceptOffer(child.port, OLD)).c;
      holder.socket.pause();
      const ms = await pool(target - 1, 200, async () => {
        if (failure) return;
        try {
          const { c } = await acceptOffer(child.port, PATCHABLE);
          await expectMsg(c, 'queued');
          clients.push(c);
        } catch (err) {
          failure ||= (err as Error).message;
        }
      });
      await sleep(1000);
      const s = await child.stats(true);
      const alive = clients.filter((c) => !c.closed).length + 1;
      printFigure('connections held in the MaxTransfers queue', Math.min(alive, s.connections), 'conns', null, null, '>= 10,000');
      // Leaving from the back of the line costs the server nothing; from the
      // front, every departure re-sends `queued` to everyone behind (see report).
      const leaveStart = now();
      for (let i = clients.length - 1; i >= 0; i--) clients[i].close();
      const left = await waitChild(child, (x) => x.queued === 0, 30000);
      console.log(`  tried ${target} (1 transferring + ${target - 1} queued); server counts ${s.connections} connections, ${s.queued} queued; opened in ${(ms / 1000).toFixed(1)} s; server RSS +${((s.rss - base.rss) / MiB).toFixed(0)} MiB; all left (back of the line first) in ${((now() - leaveStart) / 1000).toFixed(1)} s (${left.queued} still queued)${failure ? `; first failure: ${failure}` : ''}`);
    } finally {
      for (const c of clients) c.close();
      holder?.close();
      await waitChild(child, (x) => x.connections === 0, 20000);
      await child.stop();
    }
  }

  // (c) server.close() with N clients queued: each session that shuts down
  //     leaves the line (or frees the slot) and the rest are told their place.
  {
    const n = 1000;
    const child = await ServerChild.start({ configPath: iniPath, idleTimeoutMs: 600_000 });
    const clients: ProtocolClient[] = [];
    let holder: ProtocolClient | null = null;
    try {
      holder = (await acceptOffer(child.port, OLD)).c;
      holder.socket.pause();
      await pool(n, 200, async () => {
        const { c } = await acceptOffer(child.port, PATCHABLE);
        await expectMsg(c, 'queued');
        clients.push(c);
      });
      const start = now();
      await child.stop();
      printFigure(`server.close() with 1 transferring + ${n} queued`, (now() - start) / 1000, 's', null, null);
    } finally {
      for (const c of clients) c.close();
      holder?.close();
    }
  }
}

/** N clients accept the 1 MiB patch at once and download it through a queue of MaxTransfers = 4. */
async function benchDrain(iniPath: string): Promise<void> {
  const perClient: number[] = [];
  for (const n of [500, 1000]) {
    const child = await ServerChild.start({ configPath: iniPath, idleTimeoutMs: 600_000 });
    try {
      const cpu0 = (await child.stats()).cpuUs;
      let queuedMessages = 0;
      const wall = await pool(n, n, async () => {
        const { c, offer } = await acceptOffer(child.port, PATCHABLE);
        let bytes = 0;
        for (;;) {
          const item = await c.next(120000);
          if (item.kind === 'data') bytes += item.bytes.length;
          else if (item.kind === 'closed') throw new Error('closed during the download');
          else if (item.message.type === 'queued') queuedMessages++;
          else if (item.message.type === 'done') break;
        }
        c.close();
        if (bytes !== offer.size) throw new Error(`received ${bytes} of ${offer.size} bytes`);
      });
      const cpu = ((await child.stats()).cpuUs - cpu0) / 1e6;
      perClient.push(wall / n);
      printFigure(`queue drain: ${n} x 1 MiB patch, MaxTransfers 4`, wall / n, 'ms/cl', null, null);
      console.log(`  ${(wall / 1000).toFixed(1)} s wall, server CPU ${cpu.toFixed(1)} s, ${queuedMessages} queued messages (${(queuedMessages / n).toFixed(0)} per client)`);
    } finally {
      await child.stop();
    }
  }
  console.log(`  per-client time grows ${(perClient[1] / perClient[0]).toFixed(2)}x from 500 to 1000 clients (1.00 if linear)`);
}

// ----------------------------------------------------------------- main

async function main(): Promise<void> {
  const wanted = (process.env.UPGRADE_BENCH ?? 'logins,floor,transfer,memory,idle,drain').split(',');
  const started = now();
  const fx = makeFixture(configText({ maxTransfers: 4 }), 64 * MiB, 1 * MiB);
  const ini = (name: string, maxTransfers: number, idle = 30): string => {
    const path = join(fx.dir, name);
    writeFileSync(path, configText({ maxTransfers, idle }));
    return path;
  };
  console.log(`${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores; full setup ${fx.full.length / MiB} MiB, patch ${fx.patch.length / MiB} MiB (xorshift, seeded)`);
  try {
    if (wanted.includes('logins')) await benchLogins(fx);
    if (wanted.includes('floor')) await benchLoginFloor(fx);
    if (wanted.includes('transfer')) await benchTransfer(fx, ini('transfer.ini', 50));
    if (wanted.includes('memory')) await benchMemory(ini('memory.ini', 100), 100);
    if (wanted.includes('idle')) await benchIdle(ini('idle.ini', 1));
    if (wanted.includes('drain')) await benchDrain(ini('drain.ini', 4));
  } finally {
    rmSync(fx.dir, { recursive: true, force: true });
  }
  console.log(`(${((now() - started) / 1000).toFixed(0)} s)`);
}

if (process.argv[2] === 'child-server') {
  void childServer(JSON.parse(process.argv[3])).catch((err) => {
    console.error(err);
    process.exit(2);
  });
} else {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
