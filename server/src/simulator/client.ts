// One simulated Net Phone desk, over the real protocol: log in, take the
// decision, accept or decline, download (resuming after a drop), check size
// and SHA-256 BEFORE installing, run Setup, report, and log in again with the
// new version, which must now be let in (else: an upgrade loop).
import { createHash, type Hash } from 'node:crypto';
import { ConnectionClosedError, ProtocolClient } from '../upgrade/client';
import type { OfferMessage, ServerMessage } from '../upgrade/messages';
import type { Scenario } from './fleet';
import { runSetup, versionMarker } from './setup';

export { FAILED_OUTCOMES, type ClientOutcome } from './outcomes';
import type { ClientOutcome } from './outcomes';

export interface ClientReport {
  id: number;
  version: string;
  /** The server's decision (spec section 5). */
  action: 'allow' | 'reject' | 'patch' | 'full' | 'none';
  /** Its reason, e.g. `throttled` or `held-back` from a [Rollout]. */
  reason?: string;
  mode?: 'forced' | 'optional';
  /** Why the offer is optional though the config says Forced (`outside-forced-hours`). */
  modeReason?: string;
  file?: string;
  outcome: ClientOutcome;
  /** The version the desk ends on. */
  finalVersion: string;
  bytes: number;
  resumes: number;
  downloadMs?: number;
  /** Connect to final outcome. */
  ms: number;
  warning?: string;
  error?: string;
  /** What happened, step by step, for reports and the tree view. */
  story: string[];
  /** The name it logged in with. */
  name: string;
}

export interface Target {
  host: string;
  port: number;
}

export interface ClientOptions {
  /** Per message; a server that stays silent longer is an error. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** How often this desk already started over because the file changed (bounded). */
  startedOver?: number;
}

const MAX_START_OVER = 3;

/** The run was cancelled: the desk stops where it is (no reconnect, no resume). */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

const MARKER_BYTES = 4096;

export async function simulateClient(target: Target, scenario: Scenario, options: ClientOptions = {}): Promise<ClientReport> {
  const started = Date.now();
  const report: ClientReport = { id: scenario.id, version: scenario.version, action: 'none', outcome: 'error', finalVersion: scenario.version, bytes: 0, resumes: 0, ms: 0, story: [], name: scenario.name };
  const say = (s: string): void => {
    report.story.push(s);
  };
  const timeout = options.timeoutMs ?? 30000;
  const open: ProtocolClient[] = [];
  // Cancelling closes this desk's connections at once instead of waiting for a timeout.
  const onAbort = (): void => open.forEach((c) => c.close());
  options.signal?.addEventListener('abort', onAbort);
  try {
    if (options.signal?.aborted) throw new CancelledError();
    const first = await login(target, scenario.version, scenario.name, timeout, open);
    const decision = first.decision;
    if (decision.type !== 'decision') throw new Error(`expected a decision, got ${decision.type}`);
    report.action = decision.action;
    report.reason = decision.reason;
    if (decision.modeReason) report.modeReason = decision.modeReason;
    say(`${scenario.name} logged in with ${scenario.version}: ${decision.action} (${decision.reason}${decision.modeReason ? `; ${decision.mode}, ${decision.modeReason}` : ''})`);
    if (decision.action === 'reject') {
      report.outcome = 'rejected';
      return report;
    }
    if (decision.action === 'allow') {
      await expect(first.c, 'admitted', timeout);
      say(LET_IN_BECAUSE[decision.reason] ?? 'let in');
      report.outcome = 'let-in';
      return report;
    }
    const offer = first.offer!;
    report.mode = offer.mode;
    report.file = offer.file;
    say(`offered ${offer.kind} ${offer.file} (${offer.size} bytes, ${offer.mode})`);
    if (offer.mode === 'optional' && scenario.declines) {
      first.c.send({ type: 'decline' });
      await expect(first.c, 'admitted', timeout);
      say('the user declined the optional upgrade and was let in on the old version');
      report.outcome = 'declined';
      return report;
    }
    if (offer.mode === 'forced') say('"Upgrade in progress"');

    // Download, resuming from what arrived when a connection drops.
    const hash = createHash('sha256');
    const prefix: Buffer[] = [];
    let have = 0;
    let c = first.c;
    let dropped = false;
    const downloadStart = Date.now();
    for (;;) {
      c.send({ type: 'accept', offset: have });
      const dropAfter = scenario.dropAt !== undefined && !dropped ? Math.floor((offer.size * scenario.dropAt) / 100) : Infinity;
      const got = await receive(c, offer, have, hash, prefix, dropAfter, timeout, options.signal);
      have = got.have;
      report.bytes += got.received;
      if (got.state === 'done') break;
      if (got.state === 'oversize') {
        report.outcome = 'size-mismatch';
        report.error = `the server sent more than the ${offer.size} bytes it announced: not installed`;
        say(report.error);
        c.send({ type: 'result', previousVersion: scenario.version, outcome: 'failed', errorCode: 'size-mismatch' });
        return report;
      }
      // Cancelled: the abort closed this connection on purpose. Never resume.
      if (options.signal?.aborted) throw new CancelledError();
      // Dropped (on purpose, or the server went away): reconnect and resume.
      dropped = true;
      c.close();
      report.resumes++;
      if (report.resumes > 5) throw new Error('the download kept breaking off');
      say(`connection dropped after ${have} bytes; resuming`);
      const again = await login(target, scenario.version, scenario.name, timeout, open);
      if (!again.offer) throw new Error('after reconnecting, the server no longer offers the upgrade');
      if (again.offer.sha256 !== offer.sha256) {
        // A different file now: start over, never splice two files (a bounded number of times).
        const startedOver = (options.startedOver ?? 0) + 1;
        if (startedOver > MAX_START_OVER) throw new Error(`the offered file changed ${startedOver} times during the download`);
        say('the server now offers a different file: starting over');
        for (const o of open) o.close();
        return simulateClient(target, { ...scenario, dropAt: undefined }, { ...options, startedOver }).then((r) => ({ ...r, story: [...report.story, ...r.story] }));
      }
      c = again.c;
    }
    report.downloadMs = Date.now() - downloadStart;

    // Verify BEFORE installing: a file whose hash was not checked is never installed.
    const sha = hash.digest('hex');
    if (have !== offer.size) {
      report.outcome = 'size-mismatch';
      report.error = `received ${have} bytes, the offer said ${offer.size}`;
    } else if (sha !== offer.sha256) {
      report.outcome = 'hash-mismatch';
      report.error = `the file's SHA-256 is ${sha.slice(0, 12)}..., the offer said ${offer.sha256.slice(0, 12)}...: not installed`;
    }
    if (report.error) {
      say(report.error);
      c.send({ type: 'result', previousVersion: scenario.version, outcome: 'failed', errorCode: report.outcome, downloadMs: report.downloadMs });
      return report;
    }
    say(`downloaded and verified (SHA-256 ${sha.slice(0, 12)}...)`);
    if (scenario.failsSetup) {
      // The fleet's `fail` column: Setup ran and failed, the desk keeps its
      // version and says so, which [Rollout] PauseAfterFailures counts.
      report.outcome = 'setup-failed';
      report.error = `Setup failed on the desk (the fleet's fail column): it stays on ${scenario.version} and reports the failure`;
      say(report.error);
      c.send({ type: 'result', previousVersion: scenario.version, outcome: 'failed', errorCode: 'setup-failed', downloadMs: report.downloadMs });
      return report;
    }
    const setup = runSetup(offer.setup, scenario.apps, !scenario.keepsAppsOpen);
    if (setup.warning) {
      report.warning = setup.warning;
      say(setup.warning);
    }
    const installed = versionMarker(Buffer.concat(prefix)) ?? offer.version;
    say(`Setup installed ${installed}${setup.outcome === 'restart-required' ? '; restart required' : ''}`);
    c.send({ type: 'result', previousVersion: scenario.version, newVersion: installed, outcome: setup.outcome, downloadMs: report.downloadMs });
    c.close();
    report.finalVersion = installed;

    // Log in again: an upgraded desk must now be let in.
    const after = await login(target, installed, scenario.name, timeout, open);
    if (after.decision.type === 'decision' && after.decision.action === 'allow') {
      await expect(after.c, 'admitted', timeout);
      say(`logged in again with ${installed}: let in`);
      report.outcome = setup.outcome;
    } else if (after.decision.type === 'decision' && after.decision.action === 'reject') {
      report.outcome = 'error';
      report.error = `after installing, the desk reports ${installed}, which the server rejects as a version`;
      say(report.error);
    } else {
      report.outcome = 'loop';
      report.error = `after installing ${offer.file} the desk is on ${installed} and is offered an upgrade again: an upgrade loop. ${offer.kind === 'full' ? 'FullSetup' : 'PatchFile'} does not bring clients to CurrentVersion ${offer.version}`;
      say(report.error);
    }
    return report;
  } catch (err) {
    report.outcome = 'error';
    // A cancelled desk's own closing shows up as a closed connection: say cancelled.
    report.error = options.signal?.aborted ? new CancelledError().message : err instanceof ConnectionClosedError ? `the server closed the connection: ${err.message}` : (err as Error).message;
    say(`error: ${report.error}`);
    return report;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    for (const c of open) c.close();
    report.ms = Date.now() - started;
  }
}

/** What the desk's user sees when let in without an upgrade, by the decision's reason. */
const LET_IN_BECAUSE: Record<string, string> = {
  current: 'let in: up to date',
  newer: 'let in: newer than CurrentVersion',
  'upgrades-disabled': 'let in: upgrades are disabled',
  excluded: 'let in: excluded from the rollout ([Rollout] Exclude)',
  paused: 'let in: the rollout is paused after failed upgrades',
  'held-back': 'let in: not in the rollout yet (Pilot/Percent); asked again at the next login',
  throttled: 'let in: MaxPerHour desks were offered an upgrade in the last hour; asked again at the next login',
};

async function login(target: Target, version: string, name: string, timeout: number, open: ProtocolClient[]): Promise<{ c: ProtocolClient; decision: ServerMessage; offer?: OfferMessage }> {
  const c = await ProtocolClient.connect(target.host, target.port, timeout);
  open.push(c);
  // Pipelined, in one write: the server reads in order, so login need not wait for welcome.
  c.send({ type: 'hello', protocol: 1, client: 'NetPhone (simulated)' }, { type: 'login', version, name });
  await expect(c, 'welcome', timeout);
  const decision = await c.message(timeout);
  if (decision.type === 'error') throw new Error(`the server refused: ${decision.code}: ${decision.message}`);
  if (decision.type === 'decision' && (decision.action === 'patch' || decision.action === 'full')) {
    const offer = await expect(c, 'offer', timeout);
    return { c, decision, offer: offer as OfferMessage };
  }
  return { c, decision };
}

async function expect(c: ProtocolClient, type: ServerMessage['type'], timeout: number): Promise<ServerMessage> {
  const m = await c.message(timeout);
  if (m.type === type) return m;
  if (m.type === 'error') throw new Error(`the server answered ${m.code}: ${m.message}`);
  throw new Error(`expected ${type}, the server sent ${m.type}`);
}

type Received = { state: 'done' | 'dropped' | 'oversize'; have: number; received: number };

async function receive(
  c: ProtocolClient,
  offer: OfferMessage,
  from: number,
  hash: Hash,
  prefix: Buffer[],
  dropAfter: number,
  timeout: number,
  signal: AbortSignal | undefined,
): Promise<Received> {
  let have = from;
  let prefixBytes = prefix.reduce((n, b) => n + b.length, 0);
  for (;;) {
    if (signal?.aborted) throw new CancelledError();
    const item = await c.next(timeout);
    if (item.kind === 'closed') return { state: 'dropped', have, received: have - from };
    if (item.kind === 'message') {
      const m = item.message;
      if (m.type === 'queued' || m.type === 'start') {
        if (m.type === 'start' && m.offset !== from) throw new Error(`asked to resume at ${from}, the server starts at ${m.offset}`);
        continue;
      }
      if (m.type === 'done') return { state: 'done', have, received: have - from };
      if (m.type === 'error') throw new Error(`the server answered ${m.code}: ${m.message}`);
      throw new Error(`unexpected ${m.type} during the download`);
    }
    const chunk = item.bytes;
    if (have + chunk.length > offer.size) return { state: 'oversize', have, received: have - from };
    hash.update(chunk);
    if (prefixBytes < MARKER_BYTES) {
      prefix.push(chunk.subarray(0, MARKER_BYTES - prefixBytes));
      prefixBytes = Math.min(MARKER_BYTES, prefixBytes + chunk.length);
    }
    have += chunk.length;
    if (have >= dropAfter && have < offer.size) return { state: 'dropped', have, received: have - from };
  }
}
