// A seeded protocol fuzz campaign against a running upgrade server: thousands
// of malformed, mutated, slow and idle sessions, while a fleet of correct
// clients logs in and downloads beside them. Each session is judged by what
// the protocol promises (docs/protocol.md): every message the server sends is
// valid, every error code is documented and names no server path, every
// session ends (a silent or trickling one at IdleTimeout), a correct session
// sent in odd splits still succeeds, every correct download is the file; and
// the server's memory stays bounded and it answers again at once afterwards.
// bench/fuzz.ts runs it as a script; test/upgrade/fuzz.test.ts a short run.
import { createHash } from 'node:crypto';
import { encodeControl, encodeDataHeader } from '../server/src/upgrade/codec';
import { ProtocolClient, type Incoming } from '../server/src/upgrade/client';
import { FRAME_CONTROL, type ClientMessage, type ErrorCode } from '../server/src/upgrade/messages';

/** The server under attack. */
export interface FuzzTarget {
  host: string;
  port: number;
  /** Its resident memory in bytes now, or null when it cannot be read. */
  rss(): Promise<number | null>;
  /** false once the server process has died. */
  alive(): boolean;
  /** Text that must never appear in a message to a client (the server's folders). */
  secrets: string[];
  /** The files a correct client may be sent, by SHA-256. */
  files: Set<string>;
  /** The server's IdleTimeout. */
  idleTimeoutMs: number;
}

export interface FuzzOptions {
  seed: number;
  /** Hostile sessions in all. */
  sessions: number;
  /** Hostile sessions at once. */
  concurrency: number;
  /** Correct clients working at once for the whole campaign. */
  fleet: number;
  /** Called with a line now and then (progress). */
  log?: (line: string) => void;
}

export const KINDS = [
  'garbage',
  'bad-header',
  'data-flood',
  'bad-json',
  'bad-message',
  'out-of-order',
  'mutated',
  'split-correct',
  'pipelined-then-bad',
  'slow',
  'idle',
  'idle-after-hello',
  'stalled-download',
] as const;
export type Kind = (typeof KINDS)[number];

const DOCUMENTED: ReadonlySet<string> = new Set<ErrorCode>([
  'bad-frame',
  'frame-too-large',
  'bad-message',
  'unexpected-message',
  'unsupported-protocol',
  'bad-version',
  'upgrade-required',
  'bad-offset',
  'file-changed',
  'file-unavailable',
  'idle-timeout',
  'server-busy',
  'shutting-down',
  'internal',
]);

export interface KindSummary {
  kind: Kind;
  cases: number;
  /** How sessions ended: `error <code>`, `completed`, `closed` (no error). */
  outcomes: Record<string, number>;
  /** The longest a session of this kind took to be closed, ms. */
  maxMs: number;
  violations: number;
}

export interface FuzzReport {
  seed: number;
  kinds: KindSummary[];
  fleet: { sessions: number; ok: number; failed: number; downloads: number; loginP50Ms: number; loginP95Ms: number; baselineLoginP50Ms: number };
  memory: { baselineMiB: number | null; peakMiB: number | null; afterMiB: number | null };
  /** A correct login right after the last hostile session ended, ms. */
  recoverMs: number;
  durationMs: number;
  alive: boolean;
  /** The first few violations, each saying which session and what. */
  violations: string[];
  violationCount: number;
}

// ------------------------------------------------------------------ seeded randomness

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  /** mulberry32: small, fast, and the same sequence on every platform. */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const nowMs = (): number => performance.now();
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function frame(type: number, body: Buffer): Buffer {
  const h = Buffer.alloc(5);
  h.writeUInt32BE(body.length + 1, 0);
  h[4] = type;
  return Buffer.concat([h, body]);
}

const VERSIONS = ['5.20.12', '5.10.3', '4.0', '5.11.50', '6.0', 'abc', '', '5.20.12.0.1', '99999.1', '5.\u0000', '5.10.3\n#2 forged'];

function oddString(r: Rng): string {
  switch (r.int(7)) {
    case 0:
      return 'x'.repeat(r.int(600));
    case 1:
      return '\u001b[2J\u0007\r\n\u009b31m';
    case 2:
      return '\ud83d\ude00'.repeat(r.int(40)) + '\ud800';
    case 3:
      return r.pick(VERSIONS);
    case 4:
      return '\u202etxt.exe';
    case 5:
      return '../../etc/passwd';
    default:
      return String.fromCharCode(...Array.from({ length: r.int(30) }, () => r.int(0x10000)));
  }
}

function oddValue(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 2 ? 6 : 8)) {
    case 0:
      return oddString(r);
    case 1:
      return r.pick([0, -1, 1.5, 2 ** 53, -(2 ** 60), 1e308, 65536]);
    case 2:
      return null;
    case 3:
      return r.next() < 0.5;
    case 4:
      return r.int(3);
    case 5:
      return r.pick(['hello', 'login', 'accept', 'decline', 'result', 'bye', 'upgraded', 'failed']);
    case 6:
      return Array.from({ length: r.int(5) }, () => oddValue(r, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: r.int(5) }, () => [r.pick(['type', 'protocol', 'client', 'version', 'name', 'offset', 'outcome', 'previousVersion', '__proto__', 'constructor', 'x']), oddValue(r, depth + 1)]));
  }
}

function oddMessage(r: Rng): Record<string, unknown> {
  const m: Record<string, unknown> = { type: r.next() < 0.8 ? r.pick(['hello', 'login', 'accept', 'decline', 'result', 'bye', 'welcome', 'data', '']) : oddValue(r) };
  for (let i = r.int(5); i > 0; i--) m[r.pick(['protocol', 'client', 'version', 'name', 'offset', 'outcome', 'previousVersion', 'newVersion', 'errorCode', 'downloadMs', 'extra'])] = oddValue(r);
  return m;
}

function correctOpening(r: Rng): Buffer {
  const version = r.pick(['5.20.12', '5.10.3', '4.0', '5.11.50']);
  const parts = [encodeControl({ type: 'hello', protocol: 1, client: 'fuzz' }), encodeControl({ type: 'login', version, name: `desk-${r.int(1000)}` })];
  if (version !== '5.20.12') parts.push(encodeControl(r.next() < 0.5 ? { type: 'accept', offset: r.int(10) } : { type: 'decline' }));
  return Buffer.concat(parts);
}

function mutate(r: Rng, input: Buffer): Buffer {
  let b = Buffer.from(input);
  for (let n = 1 + r.int(4); n > 0; n--) {
    const at = b.length ? r.int(b.length) : 0;
    switch (r.int(7)) {
      case 0:
        if (b.length) b[at] ^= 1 << r.int(8);
        break;
      case 1:
        if (b.length) b[at] = r.int(256);
        break;
      case 2:
        b = Buffer.concat([b.subarray(0, at), r.bytes(1 + r.int(16)), b.subarray(at)]);
        break;
      case 3:
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + r.int(16)))]);
        break;
      case 4:
        b = Buffer.concat([b, b.subarray(at, at + 1 + r.int(64))]);
        break;
      case 5:
        // A frame's length field (one starts at 0) set to anything.
        if (b.length >= 4) b.writeUInt32BE(r.pick([0, 1, 2, 0xffffffff, 0x100000, 0x100001, 4097, 257, r.int(2 ** 32)]), 0);
        break;
      default:
        b = b.subarray(0, at);
    }
  }
  return b;
}

// ------------------------------------------------------------------ one hostile session

interface SessionResult {
  kind: Kind;
  outcome: string;
  ms: number;
  violation?: string;
}

/** Reads what the server sends until it closes or `deadlineMs` passes; checks each message. */
async function drain(c: ProtocolClient, target: FuzzTarget, deadlineAt: number): Promise<{ messages: string[]; errors: string[]; closed: boolean; bad?: string }> {
  const messages: string[] = [];
  const errors: string[] = [];
  for (;;) {
    const left = deadlineAt - nowMs();
    if (left <= 0) return { messages, errors, closed: false };
    let item: Incoming;
    try {
      item = await c.next(left);
    } catch {
      return { messages, errors, closed: false };
    }
    if (item.kind === 'closed') {
      // A message the server sent that does not validate ends the client this way.
      if (item.error?.startsWith('the server sent')) return { messages, errors, closed: true, bad: item.error };
      return { messages, errors, closed: true };
    }
    if (item.kind === 'data') continue;
    const m = item.message;
    messages.push(m.type);
    if (m.type === 'error') {
      errors.push(m.code);
      if (!DOCUMENTED.has(m.code)) return { messages, errors, closed: false, bad: `undocumented error code ${m.code}` };
      const leak = target.secrets.find((s) => m.message.includes(s));
      if (leak) return { messages, errors, closed: false, bad: `an error message names a server path: ${m.message}` };
    }
  }
}

async function hostile(kind: Kind, r: Rng, target: FuzzTarget): Promise<SessionResult> {
  const idle = target.idleTimeoutMs;
  const started = nowMs();
  // Every session must be over by then: the longest a server may take is a
  // whole message's IdleTimeout after the last byte it was sent.
  const bound = 2 * idle + 5000;
  let c: ProtocolClient;
  try {
    c = await ProtocolClient.connect(target.host, target.port, 10_000);
  } catch (err) {
    return { kind, outcome: 'connect failed', ms: nowMs() - started, violation: `could not connect: ${(err as Error).message}` };
  }
  let expect: ((d: { messages: string[]; errors: string[] }) => string | undefined) | null = null;
  try {
    switch (kind) {
      case 'garbage':
        c.sendRaw(r.bytes(1 + r.int(2000)));
        break;
      case 'bad-header': {
        const length = r.pick([0, 1, 2, 257, 4097, 65_537, 1_048_577, 0xffffffff, r.int(2 ** 32)]);
        const h = Buffer.alloc(5);
        h.writeUInt32BE(length, 0);
        h[4] = r.pick([0, 1, 3, 255, FRAME_CONTROL]);
        c.sendRaw(Buffer.concat([h, r.bytes(r.int(100))]));
        break;
      }
      case 'data-flood': {
        // The attack of issue 10: a DATA header and most of a 1 MiB body.
        const prefix = r.next() < 0.5 ? encodeControl({ type: 'hello', protocol: 1, client: 'fuzz' }) : Buffer.alloc(0);
        c.sendRaw(Buffer.concat([prefix, encodeDataHeader(1_048_574), Buffer.alloc(r.int(64 * 1024))]));
        expect = (d) => (d.errors.includes('unexpected-message') ? undefined : `a client DATA frame was not refused at once (${d.errors.join(',') || 'no error'})`);
        break;
      }
      case 'bad-json':
        c.sendRaw(frame(FRAME_CONTROL, Buffer.from(r.pick(['{', '[]', '"hello"', '{"type":', 'null', '{"type":"hello"}}', '\u0000', '{"type":"hello","protocol":1,"client":"x"']), 'utf8')));
        break;
      case 'bad-message':
        c.sendRaw(frame(FRAME_CONTROL, Buffer.from(JSON.stringify(oddMessage(r)).slice(0, 4000), 'utf8')));
        break;
      case 'out-of-order': {
        const all: ClientMessage[] = [
          { type: 'hello', protocol: 1, client: 'fuzz' },
          { type: 'login', version: r.pick(VERSIONS) },
          { type: 'accept', offset: r.int(1_000_000) },
          { type: 'decline' },
          { type: 'result', previousVersion: '4.0', outcome: 'upgraded' },
        ];
        c.sendRaw(Buffer.concat(Array.from({ length: 1 + r.int(6) }, () => encodeControl(r.pick(all)))));
        break;
      }
      case 'mutated':
        c.sendRaw(mutate(r, correctOpening(r)));
        break;
      case 'split-correct':
      case 'pipelined-then-bad': {
        const opening = Buffer.concat([encodeControl({ type: 'hello', protocol: 1, client: 'fuzz' }), encodeControl({ type: 'login', version: '5.20.12' })]);
        const bytes = kind === 'split-correct' ? opening : Buffer.concat([opening, r.pick([Buffer.from([0, 0, 0, 2, 9, 0]), encodeDataHeader(10), frame(FRAME_CONTROL, Buffer.from('{'))])]);
        // In pieces of 1-7 bytes, a few ms apart: what a slow link does to a whole session.
        const sending = nowMs();
        for (let at = 0; at < bytes.length && !c.closed; ) {
          const n = 1 + r.int(7);
          c.sendRaw(bytes.subarray(at, at + n));
          at += n;
          if (kind === 'split-correct' && r.next() < 0.3) await sleep(r.int(5));
        }
        // Under load this process itself may take longer than IdleTimeout to
        // send it all: then the server is right to close it.
        const tooSlow = nowMs() - sending > idle / 2;
        expect = (d) => {
          if (tooSlow) return undefined;
          const want = kind === 'split-correct' ? ['welcome', 'decision', 'admitted'] : ['welcome', 'decision', 'admitted', 'error'];
          return d.messages.slice(0, want.length).join(',') === want.join(',') ? undefined : `expected ${want.join(', ')}, got ${d.messages.join(', ')}`;
        };
        if (kind === 'split-correct') {
          // Let in after three messages: then leave politely, and the server closes.
          const got: string[] = [];
          for (let i = 0; i < 3 && !c.closed; i++) got.push((await c.message(bound).catch(() => null))?.type ?? 'nothing');
          c.send({ type: 'bye' });
          const more = await drain(c, target, nowMs() + bound);
          const all = { messages: [...got, ...more.messages], errors: more.errors };
          return finish(kind, started, all, more.bad ?? expect(all), more.closed);
        }
        break;
      }
      case 'slow': {
        // A valid hello, a byte every IdleTimeout / 4: each byte reset the old
        // timer, so the old server held it as long as the bytes came. The
        // server must close it while the client is still trickling.
        const bytes = encodeControl({ type: 'hello', protocol: 1, client: 'fuzz'.repeat(20) });
        let i = 0;
        for (; i < bytes.length && !c.closed && i < 16; i++) {
          c.sendRaw(bytes.subarray(i, i + 1));
          await sleep(idle / 4);
        }
        const held = !c.closed;
        expect = (d) => (held ? 'a trickled message held the connection for 4 x IdleTimeout' : d.errors.includes('idle-timeout') ? undefined : `a trickled message was closed without idle-timeout (${d.errors.join(',') || 'no error'})`);
        break;
      }
      case 'idle':
        expect = (d) => (d.errors.includes('idle-timeout') ? undefined : `a silent connection was not closed at IdleTimeout (${d.errors.join(',') || 'no error'})`);
        break;
      case 'idle-after-hello':
        c.send({ type: 'hello', protocol: 1, client: 'fuzz' });
        expect = (d) => (d.messages[0] === 'welcome' && d.errors.includes('idle-timeout') ? undefined : `expected welcome, then idle-timeout: ${d.messages.join(', ')}`);
        break;
      case 'stalled-download': {
        // Takes the full setup, reads nothing, and trickles bytes of a bye:
        // the old server never cut it while bytes came. It must be cut
        // (our next write then fails) while the client still trickles.
        c.send({ type: 'hello', protocol: 1, client: 'fuzz' });
        c.send({ type: 'login', version: '4.0' });
        c.send({ type: 'accept' });
        // The slot first (a client waiting in line is rightly never timed out).
        for (let m = await c.message(60_000); m.type !== 'start'; m = await c.message(60_000)) {
          if (m.type === 'error') throw new Error(`refused before the transfer: ${m.code}`);
        }
        c.socket.pause();
        const bye = encodeControl({ type: 'bye', pad: 'x'.repeat(100) } as never);
        for (let i = 0; i < 32 && !c.closed; i++) {
          c.sendRaw(bye.subarray(i, i + 1));
          await sleep(idle / 4);
        }
        const held = !c.closed;
        c.socket.resume();
        // Cut (our write failed) or told idle-timeout; what was in flight may be lost with the cut.
        expect = (d) => (held ? 'a stalled transfer kept its slot for 8 x IdleTimeout' : d.errors.every((e) => e === 'idle-timeout') ? undefined : `a stalled transfer ended with ${d.errors.join(', ')}`);
        break;
      }
    }
    const d = await drain(c, target, nowMs() + bound);
    return finish(kind, started, d, d.bad ?? expect?.(d), d.closed);
  } catch (err) {
    return { kind, outcome: 'client failed', ms: nowMs() - started, violation: (err as Error).message };
  } finally {
    c.close();
  }
}

function finish(kind: Kind, started: number, d: { messages: string[]; errors: string[] }, problem: string | undefined, closed: boolean): SessionResult {
  const ms = nowMs() - started;
  const outcome = d.errors.length ? `error ${d.errors[0]}` : d.messages.includes('admitted') || d.messages.includes('done') ? 'completed' : 'closed';
  if (!closed && !problem) problem = `the server did not close the session (${d.messages.join(', ') || 'nothing sent'})`;
  return { kind, outcome, ms, violation: problem };
}

// ------------------------------------------------------------------ the correct fleet

async function correctSession(r: Rng, target: FuzzTarget): Promise<{ ok: boolean; loginMs: number; downloaded: boolean; problem?: string }> {
  const version = r.pick(['5.20.12', '5.10.3', '4.0']);
  const t0 = nowMs();
  const c = await ProtocolClient.connect(target.host, target.port, 10_000);
  try {
    c.send({ type: 'hello', protocol: 1, client: 'fleet' });
    c.send({ type: 'login', version, name: `fleet-${r.int(100)}` });
    const welcome = await c.message(15_000);
    const decision = await c.message(15_000);
    const loginMs = nowMs() - t0;
    if (welcome.type !== 'welcome' || decision.type !== 'decision') return { ok: false, loginMs, downloaded: false, problem: `${version}: got ${welcome.type}, ${decision.type}` };
    const next = await c.message(15_000);
    if (version === '5.20.12') return next.type === 'admitted' ? { ok: true, loginMs, downloaded: false } : { ok: false, loginMs, downloaded: false, problem: `current: got ${next.type}` };
    if (next.type !== 'offer') return { ok: false, loginMs, downloaded: false, problem: `${version}: expected an offer, got ${next.type}` };
    c.send({ type: 'accept' });
    const parts: Buffer[] = [];
    for (;;) {
      const item = await c.next(30_000);
      if (item.kind === 'data') parts.push(item.bytes);
      else if (item.kind === 'closed') return { ok: false, loginMs, downloaded: false, problem: `${version}: closed mid-download` };
      else if (item.message.type === 'done') break;
      else if (item.message.type === 'error') return { ok: false, loginMs, downloaded: false, problem: `${version}: error ${item.message.code}` };
    }
    const got = sha256(Buffer.concat(parts));
    if (got !== next.sha256 || !target.files.has(got)) return { ok: false, loginMs, downloaded: false, problem: `${version}: the download is not the file offered` };
    c.send({ type: 'result', previousVersion: version, newVersion: '5.20.12', outcome: 'upgraded' });
    return { ok: true, loginMs, downloaded: true };
  } finally {
    c.close();
  }
}

// ------------------------------------------------------------------ the campaign

const MiB = 1024 * 1024;

export async function runCampaign(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const started = nowMs();
  const log = options.log ?? (() => undefined);
  const violations: string[] = [];
  let violationCount = 0;
  const violate = (what: string): void => {
    violationCount++;
    if (violations.length < 20) violations.push(what);
  };

  // Memory: sampled all along; the baseline after a quiet warm-up.
  const fleetRng = new Rng(options.seed ^ 0x5eed);
  const baselineLogins: number[] = [];
  for (let i = 0; i < 20; i++) baselineLogins.push((await correctSession(new Rng(i + 1), target)).loginMs);
  const baseline = await target.rss();
  let peak = baseline ?? 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const rss = await target.rss();
      if (rss !== null) peak = Math.max(peak, rss);
      await sleep(100);
    }
  })();

  // The correct fleet, working until the hostile sessions are done.
  const fleet = { sessions: 0, ok: 0, failed: 0, downloads: 0, logins: [] as number[] };
  let attacking = true;
  const fleetWorkers = Array.from({ length: options.fleet }, async (_x, w) => {
    const wr = new Rng(options.seed * 31 + w + fleetRng.int(1000));
    while (attacking) {
      fleet.sessions++;
      try {
        const s = await correctSession(wr, target);
        fleet.logins.push(s.loginMs);
        if (s.ok) fleet.ok++;
        else {
          fleet.failed++;
          violate(`fleet: ${s.problem}`);
        }
        if (s.downloaded) fleet.downloads++;
      } catch (err) {
        fleet.failed++;
        violate(`fleet: ${(err as Error).message}`);
      }
    }
  });

  // The hostile sessions: each drawn from the seed, so a failing one can be replayed.
  const byKind = new Map<Kind, KindSummary>(KINDS.map((k) => [k, { kind: k, cases: 0, outcomes: {}, maxMs: 0, violations: 0 }]));
  let nextIndex = 0;
  let done = 0;
  const workers = Array.from({ length: Math.min(options.concurrency, options.sessions) }, async () => {
    while (nextIndex < options.sessions) {
      const index = nextIndex++;
      const seed = (options.seed * 1_000_003 + index) >>> 0;
      const sr = new Rng(seed);
      const kind = KINDS[sr.int(KINDS.length)];
      const result = await hostile(kind, sr, target);
      const s = byKind.get(kind)!;
      s.cases++;
      s.outcomes[result.outcome] = (s.outcomes[result.outcome] ?? 0) + 1;
      s.maxMs = Math.max(s.maxMs, result.ms);
      if (result.violation) {
        s.violations++;
        violate(`session ${index} (${kind}, seed ${seed}): ${result.violation}`);
      }
      if (++done % 500 === 0) log(`${done}/${options.sessions} sessions, ${violationCount} violations`);
    }
  });
  await Promise.all(workers);
  attacking = false;

  // Recovery: how soon a correct client is let in once the attack is over.
  const t = nowMs();
  const recover = await correctSession(new Rng(7), target).catch((err: Error) => ({ ok: false, problem: err.message, loginMs: 0, downloaded: false }));
  const recoverMs = nowMs() - t;
  if (!recover.ok) violate(`after the attack a correct client failed: ${recover.problem}`);
  await Promise.all(fleetWorkers);
  sampling = false;
  await sampler;
  const after = await target.rss();
  const alive = target.alive();
  if (!alive) violate('the server died');
  const sorted = [...fleet.logins].sort((a, b) => a - b);
  const pct = (xs: number[], p: number): number => (xs.length ? xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] : NaN);
  const baseSorted = baselineLogins.sort((a, b) => a - b);
  return {
    seed: options.seed,
    kinds: [...byKind.values()],
    fleet: { sessions: fleet.sessions, ok: fleet.ok, failed: fleet.failed, downloads: fleet.downloads, loginP50Ms: pct(sorted, 50), loginP95Ms: pct(sorted, 95), baselineLoginP50Ms: pct(baseSorted, 50) },
    memory: { baselineMiB: baseline === null ? null : baseline / MiB, peakMiB: baseline === null ? null : peak / MiB, afterMiB: after === null ? null : after / MiB },
    recoverMs,
    durationMs: nowMs() - started,
    alive,
    violations,
    violationCount,
  };
}

export function formatReport(report: FuzzReport): string {
  const lines = [`fuzz campaign, seed ${report.seed}: ${report.kinds.reduce((n, k) => n + k.cases, 0)} hostile sessions in ${(report.durationMs / 1000).toFixed(1)} s`];
  lines.push('');
  lines.push('| kind | cases | outcomes | longest to close | violations |');
  lines.push('|---|---|---|---|---|');
  for (const k of report.kinds) {
    const outcomes = Object.entries(k.outcomes)
      .sort((a, b) => b[1] - a[1])
      .map(([o, n]) => `${o} ${n}`)
      .join(', ');
    lines.push(`| ${k.kind} | ${k.cases} | ${outcomes} | ${(k.maxMs / 1000).toFixed(2)} s | ${k.violations} |`);
  }
  const f = report.fleet;
  lines.push('');
  lines.push(`correct fleet beside it: ${f.ok}/${f.sessions} sessions ok (${f.downloads} downloads verified), login p50 ${f.loginP50Ms.toFixed(1)} ms, p95 ${f.loginP95Ms.toFixed(1)} ms (before the attack p50 ${f.baselineLoginP50Ms.toFixed(1)} ms)`);
  const m = report.memory;
  lines.push(m.baselineMiB === null ? 'server memory: not readable here' : `server RSS: ${m.baselineMiB.toFixed(0)} MiB before, peak ${m.peakMiB?.toFixed(0)} MiB (+${((m.peakMiB ?? 0) - m.baselineMiB).toFixed(0)}), ${m.afterMiB?.toFixed(0)} MiB after`);
  lines.push(`a correct login right after the attack: ${report.recoverMs.toFixed(1)} ms; server ${report.alive ? 'alive' : 'DEAD'}`);
  lines.push(`violations: ${report.violationCount}`);
  for (const v of report.violations) lines.push(`  ${v}`);
  return lines.join('\n');
}

// ------------------------------------------------------------------ the memory attack of issue 10

export interface FloodReport {
  connections: number;
  /** How the connections ended: `error <code>` or `closed`. */
  outcomes: Record<string, number>;
  baselineMiB: number | null;
  peakMiB: number | null;
  ms: number;
}

/**
 * `connections` clients at once, each sending the header of a DATA frame just
 * under the 1 MiB frame limit and then that many bytes (issue 10: the old
 * server held every body whole before refusing it: 1,000 of them took it from
 * 73 MiB to 1,072 MiB). The server's peak RSS is sampled throughout.
 */
export async function runFlood(target: FuzzTarget, connections: number): Promise<FloodReport> {
  const started = nowMs();
  const baseline = await target.rss();
  let peak = baseline ?? 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const rss = await target.rss();
      if (rss !== null) peak = Math.max(peak, rss);
      await sleep(20);
    }
  })();
  const body = Buffer.alloc(1_048_574, 0x5a);
  const outcomes: Record<string, number> = {};
  await Promise.all(
    Array.from({ length: connections }, async () => {
      let outcome = 'connect failed';
      try {
        const c = await ProtocolClient.connect(target.host, target.port, 30_000);
        c.sendRaw(encodeDataHeader(body.length));
        c.sendRaw(body);
        const d = await drain(c, target, nowMs() + 30_000);
        outcome = d.errors.length ? `error ${d.errors[0]}` : 'closed';
        c.close();
      } catch {
        // counted as it is
      }
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }),
  );
  sampling = false;
  await sampler;
  return { connections, outcomes, baselineMiB: baseline === null ? null : baseline / MiB, peakMiB: baseline === null ? null : peak / MiB, ms: nowMs() - started };
}
