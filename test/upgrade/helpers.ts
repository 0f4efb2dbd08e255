// Test fixtures for the upgrade server: a config folder with real setup
// files in a temp dir, a server on an ephemeral loopback port, and a client
// that walks the protocol.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProtocolClient } from '../../server/src/upgrade/client';
import type { OfferMessage, ServerMessage } from '../../server/src/upgrade/messages';
import { startUpgradeServer, type UpgradeServer, type UpgradeServerOptions } from '../../server/src/upgrade/server';
import type { ServerEvent } from '../../server/src/upgrade/events';
import { tempDir } from '../tempDir';

export function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    b[i] = x & 255;
  }
  return b;
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export interface Fixture {
  dir: string;
  ini: string;
  full: Buffer;
  patch: Buffer;
  write(config: string): void;
}

export function configText(extra: { mode?: string; maxTransfers?: number; idle?: number; patchable?: string; enabled?: string } = {}): string {
  return [
    '[Server]',
    'FileRoot = files',
    `MaxTransfers = ${extra.maxTransfers ?? 4}`,
    `IdleTimeout = ${extra.idle ?? 30}`,
    '[Upgrade]',
    `Enabled = ${extra.enabled ?? 'Yes'}`,
    'CurrentVersion = 5.20.12',
    `Mode = ${extra.mode ?? 'Forced'}`,
    'FullSetup = Netphone_520.exe',
    'PatchFile = NP_Update.exe',
    `Patchable = ${extra.patchable ?? '5.10.*, 5.11.1 - 5.11.99'}`,
    '[Setup]',
    'ConflictingApps = Chat, DSS',
    'RestartIfBusy = Yes',
    '',
  ].join('\n');
}

export function makeFixture(config = configText(), fullSize = 300_000, patchSize = 5_000): Fixture {
  // Removed when the test process ends (each test file runs in its own process).
  const dir = tempDir('nsu-server-');
  mkdirSync(join(dir, 'files'));
  const full = bytes(fullSize, 7);
  const patch = bytes(patchSize, 11);
  writeFileSync(join(dir, 'files', 'Netphone_520.exe'), full);
  writeFileSync(join(dir, 'files', 'NP_Update.exe'), patch);
  const ini = join(dir, 'upgrade.ini');
  writeFileSync(ini, config);
  return { dir, ini, full, patch, write: (c) => writeFileSync(ini, c) };
}

export async function start(fx: Fixture, options: Partial<UpgradeServerOptions> = {}): Promise<{ server: UpgradeServer; port: number; events: ServerEvent[] }> {
  const server = await startUpgradeServer({ configPath: fx.ini, port: 0, host: '127.0.0.1', watch: false, ...options });
  const events: ServerEvent[] = [];
  server.on('event', (e: ServerEvent) => events.push(e));
  return { server, port: server.address().port, events };
}

export async function hello(port: number): Promise<ProtocolClient> {
  const c = await ProtocolClient.connect('127.0.0.1', port);
  c.send({ type: 'hello', protocol: 1, client: 'test' });
  const w = await c.message();
  if (w.type !== 'welcome') throw new Error(`expected welcome, got ${w.type}`);
  return c;
}

/** hello + login; returns the decision and, for patch/full, the offer. */
export async function login(port: number, version: string): Promise<{ c: ProtocolClient; decision: ServerMessage; offer?: OfferMessage }> {
  const c = await hello(port);
  c.send({ type: 'login', version });
  const decision = await c.message();
  if (decision.type === 'decision' && (decision.action === 'patch' || decision.action === 'full')) {
    const offer = await c.message();
    if (offer.type !== 'offer') throw new Error(`expected offer, got ${offer.type}`);
    return { c, decision, offer };
  }
  return { c, decision };
}

/** Reads DATA frames until `done` (or until `stopAfter` bytes, for a cut). */
export async function download(c: ProtocolClient, stopAfter = Infinity): Promise<{ data: Buffer; messages: ServerMessage[] }> {
  const parts: Buffer[] = [];
  const messages: ServerMessage[] = [];
  let n = 0;
  for (;;) {
    const item = await c.next();
    if (item.kind === 'data') {
      parts.push(item.bytes);
      n += item.bytes.length;
      if (n >= stopAfter) break;
      continue;
    }
    if (item.kind === 'closed') break;
    messages.push(item.message);
    if (item.message.type === 'done' || item.message.type === 'error') break;
  }
  return { data: Buffer.concat(parts), messages };
}

/** The first event that `pred` holds for, waiting up to `ms`. */
export async function waitFor(events: ServerEvent[], pred: (e: ServerEvent) => boolean, ms = 5000): Promise<ServerEvent> {
  const deadline = Date.now() + ms;
  for (;;) {
    const hit = events.find(pred);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error('event did not come');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Every control message until the server closes (bounded by the client's own deadline). */
export async function untilClosed(c: ProtocolClient): Promise<ServerMessage[]> {
  const out: ServerMessage[] = [];
  for (let i = 0; i < 10_000; i++) {
    const item = await c.next();
    if (item.kind === 'closed') return out;
    if (item.kind === 'message') out.push(item.message);
  }
  throw new Error('the server never closed');
}

/** A named desk that is offered an upgrade, downloads it and reports that Setup failed; resolves once the server closed. */
export async function failedUpgrade(port: number, version: string, name: string): Promise<void> {
  const c = await hello(port);
  c.send({ type: 'login', version, name });
  const decision = await c.message();
  const offer = await c.message();
  if (offer.type !== 'offer') throw new Error(`expected an offer, got ${decision.type} then ${offer.type}`);
  c.send({ type: 'accept' });
  await download(c);
  c.send({ type: 'result', previousVersion: version, outcome: 'failed', errorCode: 'setup-failed' });
  if ((await c.next()).kind !== 'closed') throw new Error('the server did not close after the result');
}

/**
 * The one transfer slot (MaxTransfers = 1) held by a client that accepted the
 * full setup and stopped reading, a second client queued behind it. The setup
 * is bigger than loopback's socket buffers, so the stalled transfer cannot
 * finish by itself.
 */
export async function stalledSlot(port: number): Promise<{ stalled: Awaited<ReturnType<typeof login>>; next: Awaited<ReturnType<typeof login>> }> {
  const stalled = await login(port, '4.0');
  stalled.c.send({ type: 'accept' });
  const start = await stalled.c.message();
  if (start.type !== 'start') throw new Error(`expected start, got ${start.type}`);
  stalled.c.socket.pause();
  const next = await login(port, '5.10.3');
  next.c.send({ type: 'accept' });
  const queued = await next.c.message();
  if (queued.type !== 'queued' || queued.position !== 1) throw new Error(`expected queued at 1, got ${JSON.stringify(queued)}`);
  return { stalled, next };
}

/** A full setup bigger than loopback's socket buffers, for stalledSlot. */
export const STALL_BYTES = 24_000_000;

