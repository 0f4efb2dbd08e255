// The extension's UpgradeServerHost against the real child process
// (dist/upgradeServer.js, forked with IPC), without a browser: the ways a
// start can end (listening, a config with errors, a port in use, a crash)
// and the events it relays. UpgradeServerHost imports no `vscode`, so it runs
// in plain Node exactly as in the extension host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpgradeServerHost, type HostState } from '../../client/src/upgradeServerHost';
import { simulateFleet } from '../../server/src/simulator';
import type { ServerEvent } from '../../server/src/upgrade/events';

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'dist', 'upgradeServer.js');

let dir: string;
const hosts: UpgradeServerHost[] = [];
const blockers: Server[] = [];

function newHost(): UpgradeServerHost {
  const h = new UpgradeServerHost(SCRIPT);
  hosts.push(h);
  return h;
}

before(() => {
  assert.ok(existsSync(SCRIPT), `${SCRIPT} is missing: run npm run build first`);
  dir = mkdtempSync(join(tmpdir(), 'nsu-host-'));
  mkdirSync(join(dir, 'files'));
  for (const f of ['Netphone_520.exe', 'NP_Update.exe']) copyFileSync(join(ROOT, 'examples', 'files', f), join(dir, 'files', f));
  writeFileSync(join(dir, 'upgrade.ini'), readFileSync(join(ROOT, 'examples', 'upgrade.ini')));
  writeFileSync(join(dir, 'broken.ini'), readFileSync(join(ROOT, 'examples', 'broken.ini')));
});

after(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
  await Promise.all(blockers.map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

/** Waits for the next state of `kind`, bounded in time. */
function nextState(h: UpgradeServerHost, kind: HostState['kind'], ms = 10_000): Promise<HostState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${kind}' state within ${ms} ms (now ${h.state.kind})`)), ms);
    const on = (s: HostState): void => {
      if (s.kind !== kind) return;
      clearTimeout(timer);
      h.off('state', on);
      resolve(s);
    };
    h.on('state', on);
  });
}

test('a valid config: starting, then running on the port asked for; a login is relayed as events; stop ends the child', async () => {
  const h = newHost();
  const seen: HostState['kind'][] = [];
  h.on('state', (s: HostState) => seen.push(s.kind));
  const events: ServerEvent[] = [];
  h.on('event', (e: ServerEvent) => events.push(e));
  const s = await h.start(join(dir, 'upgrade.ini'), { port: 0, host: '127.0.0.1' });
  assert.equal(s.kind, 'running', JSON.stringify(s));
  assert.deepEqual(seen, ['starting', 'running']);
  if (s.kind !== 'running') return;
  assert.equal(s.host, '127.0.0.1');
  assert.ok(s.port > 0);
  assert.equal(s.config, join(dir, 'upgrade.ini'));

  const report = await simulateFleet({ target: { host: s.host, port: s.port }, clients: [{ version: '5.10.3', count: 1, decline: 0, apps: [], keepOpen: 0 }] });
  assert.equal(report.clients[0].action, 'patch');
  // The decision the child relayed is the one the client got.
  const decision = events.find((e) => e.type === 'decision');
  assert.ok(decision && decision.type === 'decision', `events: ${events.map((e) => e.type).join(', ')}`);
  assert.equal(decision.version, '5.10.3');
  assert.equal(decision.action, 'patch');
  assert.ok(events.some((e) => e.type === 'transfer-done'), 'the patch transfer is relayed');

  const pid = s.pid;
  await h.stop();
  assert.equal(h.state.kind, 'stopped');
  assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the child process is gone');
});

test('a config with errors: failed, reason config, with the problems and their lines', async () => {
  const h = newHost();
  const s = await h.start(join(dir, 'broken.ini'), { port: 0 });
  assert.equal(s.kind, 'failed');
  if (s.kind !== 'failed') return;
  assert.equal(s.reason, 'config', s.message);
  assert.ok((s.problems?.length ?? 0) >= 3, `problems: ${JSON.stringify(s.problems)}`);
  const port = s.problems?.find((p) => p.code.includes('port') || /port/i.test(p.message));
  assert.ok(port, 'the out-of-range port is among the problems');
  assert.equal(port.line, 5);
  assert.equal(h.state.kind, 'failed');
});

test('a port in use: failed, reason port-in-use, with the message the UI shows', async () => {
  const blocker = createServer();
  blockers.push(blocker);
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const taken = (blocker.address() as { port: number }).port;
  const h = newHost();
  const s = await h.start(join(dir, 'upgrade.ini'), { port: taken, host: '127.0.0.1' });
  assert.equal(s.kind, 'failed');
  if (s.kind !== 'failed') return;
  assert.equal(s.reason, 'port-in-use', s.message);
  assert.match(s.message, /already in use/);
  assert.equal(h.state.kind, 'failed');
});

test('right after a failed start (port in use), a start on another port forks a fresh child and runs', async () => {
  const blocker = createServer();
  blockers.push(blocker);
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const taken = (blocker.address() as { port: number }).port;
  const h = newHost();
  const s = await h.start(join(dir, 'upgrade.ini'), { port: taken, host: '127.0.0.1' });
  assert.equal(s.kind, 'failed');
  const again = await h.start(join(dir, 'upgrade.ini'), { port: 0, host: '127.0.0.1' });
  assert.equal(again.kind, 'running', JSON.stringify(again));
  await h.stop();
});

test('a crash of the running server: failed, reason crash, saying how it ended', async () => {
  const h = newHost();
  const s = await h.start(join(dir, 'upgrade.ini'), { port: 0, host: '127.0.0.1' });
  assert.equal(s.kind, 'running');
  if (s.kind !== 'running') return;
  const failed = nextState(h, 'failed');
  process.kill(s.pid, 'SIGKILL');
  const f = await failed;
  assert.equal(f.kind, 'failed');
  if (f.kind !== 'failed') return;
  assert.equal(f.reason, 'crash');
  assert.match(f.message, /SIGKILL/);
});

test('a second start while running returns the running state and forks nothing new', async () => {
  const h = newHost();
  const s = await h.start(join(dir, 'upgrade.ini'), { port: 0, host: '127.0.0.1' });
  assert.equal(s.kind, 'running');
  const again = await h.start(join(dir, 'upgrade.ini'), { port: 0, host: '127.0.0.1' });
  assert.deepEqual(again, s);
  await h.stop();
  assert.equal(h.state.kind, 'stopped');
});

test('the server does not outlive its window: the parent killed with SIGKILL, the child exits by itself', async () => {
  const parent = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'fixtures', 'e2e', 'hostParent.ts'), join(dir, 'upgrade.ini')], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let out = '';
    parent.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const line = await Promise.race([
      new Promise<string>((resolve) => parent.stdout.on('data', () => out.includes('\n') && resolve(out.split('\n')[0]))),
      once(parent, 'exit').then(() => Promise.reject(new Error(`the parent exited early: ${out}`))),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no state from the parent within 20 s')), 20_000)),
    ]);
    const s = JSON.parse(line) as HostState;
    assert.equal(s.kind, 'running', line);
    if (s.kind !== 'running') return;
    assert.doesNotThrow(() => process.kill(s.pid, 0), 'the child runs');
    parent.kill('SIGKILL');
    await once(parent, 'exit');
    // The child notices its IPC channel closing and exits; bounded wait.
    const deadline = Date.now() + 10_000;
    let alive = true;
    while (alive && Date.now() < deadline) {
      try {
        process.kill(s.pid, 0);
        await new Promise((r) => setTimeout(r, 50));
      } catch {
        alive = false;
      }
    }
    assert.equal(alive, false, `upgrade server ${s.pid} still runs 10 s after its parent died`);
  } finally {
    if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
  }
});
