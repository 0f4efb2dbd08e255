// The extension's WorkbenchHost against the real workbench child
// (dist/workbench.js, forked with IPC), without a browser. WorkbenchHost
// imports no `vscode`, so it runs here exactly as in the extension host:
// the ways a start ends, a second config (never a silent mix-up), simulations
// against the config asked for, progress and cancel, snapshots instead of
// events, and the child's life (crash, parent gone, last message).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fork, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { SimulationError, WorkbenchHost, type HostState } from '../../client/src/workbenchHost';
import { InventoryFollower, knownNames, type InventoryShown } from '../../client/src/inventory';
import { failedUpgrade, hello } from '../upgrade/helpers';
import { ProtocolClient } from '../../server/src/upgrade/client';
import type { WorkbenchMessage, WorkbenchState } from '../../server/src/views/messages';
import { tempDir } from '../tempDir';

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'dist', 'workbench.js');

let dir: string;
const hosts: WorkbenchHost[] = [];
const blockers: Server[] = [];

function newHost(): WorkbenchHost {
  const h = new WorkbenchHost(SCRIPT);
  hosts.push(h);
  return h;
}

/** A config folder: examples/upgrade.ini (or `text`) with the example files. */
function config(name: string, text?: string): string {
  const d = join(dir, name);
  mkdirSync(join(d, 'files'), { recursive: true });
  for (const f of ['Netphone_520.exe', 'NP_Update.exe']) copyFileSync(join(ROOT, 'examples', 'files', f), join(d, 'files', f));
  writeFileSync(join(d, 'upgrade.ini'), text ?? readFileSync(join(ROOT, 'examples', 'upgrade.ini')));
  return join(d, 'upgrade.ini');
}

before(() => {
  assert.ok(existsSync(SCRIPT), `${SCRIPT} is missing: run npm run build first`);
  dir = tempDir('nsu-workbench-');
});

after(async () => {
  await Promise.all(hosts.map((h) => h.dispose()));
  await Promise.all(blockers.map((s) => new Promise((r) => s.close(r))));
});

/** Waits (bounded) for a snapshot that satisfies `pred`. */
function snapshotWhere(h: WorkbenchHost, pred: (s: WorkbenchState) => boolean, what: string, ms = 10_000): Promise<WorkbenchState> {
  if (pred(h.snapshot)) return Promise.resolve(h.snapshot);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no snapshot with ${what} within ${ms} ms`)), ms);
    const on = (s: WorkbenchState): void => {
      if (!pred(s)) return;
      clearTimeout(timer);
      h.off('snapshot', on);
      resolve(s);
    };
    h.on('snapshot', on);
  });
}

/** Whether process `pid` is gone within `ms` (polled). */
async function gone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

async function blockedPort(): Promise<number> {
  const blocker = createServer();
  blockers.push(blocker);
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  return (blocker.address() as { port: number }).port;
}

test('a valid config: starting, then running; a simulated login shows in the snapshots; stop stops the server, not the child', async () => {
  const ini = config('valid');
  const h = newHost();
  const seen: HostState['kind'][] = [];
  h.on('state', (s: HostState) => seen.push(s.kind));
  const s = await h.start({ config: ini, port: 0, host: '127.0.0.1' });
  assert.equal(s.kind, 'running', JSON.stringify(s));
  assert.deepEqual(seen, ['starting', 'running']);
  if (s.kind !== 'running') return;
  assert.equal(s.config, ini);
  assert.ok(s.port > 0);

  const sim = h.simulate({ config: ini, clients: [{ version: '5.10.3', count: 1, decline: 0, apps: [], keepOpen: 0 }] });
  const report = await sim.report;
  // examples/upgrade.ini: 5.10.3 is in Patchable.
  assert.equal(report.clients[0].action, 'patch');
  assert.equal(report.clients[0].outcome, 'upgraded');
  assert.equal(report.privateServer, false, 'against the server being served');
  const snap = await snapshotWhere(h, (x) => x.servers[0]?.counts.transfersDone === 1, 'the transfer counted');
  const view = snap.servers[0];
  assert.equal(view.config, ini);
  assert.equal(view.port, s.port);
  assert.equal(view.counts.decisions.patch, 1, 'the first login got the patch');
  assert.equal(view.counts.decisions.allow, 1, 'the second login, upgraded, was let in');

  await h.stop();
  assert.equal(h.state.kind, 'stopped');
  await assert.rejects(ProtocolClient.connect('127.0.0.1', s.port, 2000), 'nothing listens on the port any more');
  assert.doesNotThrow(() => process.kill(s.pid, 0), 'the workbench child lives on for the next start');
  await h.dispose();
  assert.equal(await gone(s.pid, 5000), true, 'dispose ends the child');
});

test('a config with errors: failed, reason config, with the problems and their lines', async () => {
  const h = newHost();
  const ini = config('broken', readFileSync(join(ROOT, 'examples', 'broken.ini'), 'utf8'));
  const s = await h.start({ config: ini, port: 0 });
  assert.equal(s.kind, 'failed');
  if (s.kind !== 'failed') return;
  assert.equal(s.reason, 'config', s.message);
  const port = s.problems?.find((p) => p.code === 'number-out-of-range');
  assert.ok(port, `the out-of-range port is among the problems: ${JSON.stringify(s.problems)}`);
  assert.equal(port.line, 5);
});

test('2,000 config errors all reach the host (the old child exited before its message was out)', async () => {
  const h = newHost();
  const lines = Array.from({ length: 2000 }, (_, i) => `not an entry ${i}`);
  const ini = config('many-errors', `[Server]\nFileRoot = files\n[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = Netphone_520.exe\n${lines.join('\n')}\n`);
  const s = await h.start({ config: ini, port: 0 });
  assert.equal(s.kind, 'failed', JSON.stringify(s).slice(0, 300));
  if (s.kind !== 'failed') return;
  assert.equal(s.reason, 'config', s.message);
  assert.equal(s.problems?.length, 2000);
  assert.deepEqual(s.problems?.slice(0, 2).map((p) => [p.line, p.code]), [
    [6, 'invalid-line'],
    [7, 'invalid-line'],
  ]);
  assert.equal(s.problems?.[1999].line, 2005);
});

test('the last message of a child that exits arrives whole, however large', async () => {
  const child = fork(join(ROOT, 'test', 'fixtures', 'e2e', 'bigLastMessage.ts'), ['3000000'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const got: WorkbenchMessage[] = [];
  child.on('message', (m: WorkbenchMessage) => got.push(m));
  const [code] = (await once(child, 'exit')) as [number];
  assert.equal(code, 3);
  assert.equal(got.length, 1);
  assert.equal(got[0].type === 'fatal' && got[0].message.length, 3_000_000);
});

test('a port in use: failed, port-in-use; right after, a start on another port runs', async () => {
  const ini = config('port');
  const h = newHost();
  const port = await blockedPort();
  const s = await h.start({ config: ini, port, host: '127.0.0.1' });
  assert.equal(s.kind === 'failed' && s.reason, 'port-in-use', JSON.stringify(s));
  // The words of nsupgrade serve (upgrade/server.ts portInUse): the port and the address (issue 11 item 7).
  assert.equal(s.kind === 'failed' ? s.message : '', `the port ${port} on 127.0.0.1 is already in use`);
  const again = await h.start({ config: ini, port: 0, host: '127.0.0.1' });
  assert.equal(again.kind, 'running', JSON.stringify(again));
});

test('a crash of the child: failed, reason crash, saying how it ended; the next start forks a fresh child', async () => {
  const ini = config('crash');
  const h = newHost();
  const s = await h.start({ config: ini, port: 0, host: '127.0.0.1' });
  assert.equal(s.kind, 'running');
  if (s.kind !== 'running') return;
  const failed = new Promise<HostState>((resolve) => h.on('state', (x: HostState) => x.kind === 'failed' && resolve(x)));
  process.kill(s.pid, 'SIGKILL');
  const f = await failed;
  assert.equal(f.kind === 'failed' && f.reason, 'crash');
  assert.match(f.kind === 'failed' ? f.message : '', /SIGKILL/);
  const again = await h.start({ config: ini, port: 0, host: '127.0.0.1' });
  assert.equal(again.kind, 'running');
  assert.notEqual(again.kind === 'running' && again.pid, s.pid);
});

test('a second config while one is served: busy, naming the one served; nothing else starts (never the other config for this one)', async () => {
  const production = config('production');
  const staging = config('staging');
  const h = newHost();
  const s = await h.start({ config: production, port: 0, host: '127.0.0.1' });
  assert.equal(s.kind, 'running');
  const again = await h.start({ config: staging, port: 0, host: '127.0.0.1' });
  assert.deepEqual(again, { kind: 'busy', config: staging, serving: production });
  assert.equal(h.state.kind === 'running' && h.state.config, production);
  const same = await h.start({ config: production, port: 0, host: '127.0.0.1' });
  assert.deepEqual(same, s, 'the config served: its running state');
});

test('simulating a config that is not the one served runs against that config, on a private server', async () => {
  const production = config('prod-sim');
  // Staging: CurrentVersion 5.10.3, so a 5.10.3 desk is current there (production patches it).
  const staging = config('staging-sim', readFileSync(join(ROOT, 'examples', 'upgrade.ini'), 'utf8').replace(/^CurrentVersion = .*$/m, 'CurrentVersion = 5.10.3').replace(/^Patchable = .*$/m, 'Patchable = 5.0'));
  const h = newHost();
  const s = await h.start({ config: production, port: 0, host: '127.0.0.1' });
  assert.equal(s.kind, 'running');
  const one = [{ version: '5.10.3', count: 1, decline: 0, apps: [], keepOpen: 0 }];
  const onStaging = await h.simulate({ config: staging, clients: one }).report;
  assert.equal(onStaging.privateServer, true);
  assert.equal(onStaging.config, staging);
  assert.deepEqual([onStaging.clients[0].action, onStaging.clients[0].reason], ['allow', 'current']);
  assert.notEqual(onStaging.target.port, s.kind === 'running' ? s.port : 0);
  const onProduction = await h.simulate({ config: production, clients: one }).report;
  assert.equal(onProduction.privateServer, false);
  assert.equal(onProduction.clients[0].action, 'patch');
});

test('a fleet reports progress in snapshots (far fewer than the events), and a cancel ends it as cancelled', async () => {
  const ini = config('fleet');
  const h = newHost();
  const s = await h.start({ config: ini, port: 0, host: '127.0.0.1' });
  assert.equal(s.kind, 'running');
  let snapshots = 0;
  h.on('snapshot', () => snapshots++);
  const progress: number[] = [];
  const fleet = h.simulate({ config: ini, clients: '5.10.3:100,4.0:50,5.20.12:50', concurrency: 20 }, (run) => progress.push(run.done));
  const report = await fleet.report;
  assert.equal(report.clientCount, 200);
  // examples/upgrade.ini: 5.10.3 patch, 4.0 full, 5.20.12 (CurrentVersion) let in; the upgraded ones end upgraded.
  assert.deepEqual([report.totals.patch, report.totals.full, report.totals.allow, report.totals.upgraded, report.totals['let-in']], [100, 50, 50, 150, 50], JSON.stringify(report.totals));
  assert.ok(progress.length > 0, 'progress was reported');
  assert.ok(progress.every((d, i) => i === 0 || d >= progress[i - 1]), 'progress only grows');
  const snap = await snapshotWhere(h, (x) => (x.servers[0]?.counts.connections ?? 0) >= 350, 'every connection counted');
  // 200 desks: at least 350 connections (the upgraded ones log in twice) and several events each.
  assert.ok(snapshots < snap.servers[0].counts.connections / 4, `${snapshots} snapshots for ${snap.servers[0].counts.connections} connections`);

  const big = h.simulate({ config: ini, clients: '4.0:400', concurrency: 4 });
  await snapshotWhere(h, (x) => x.runs.some((r) => r.id === big.run && r.done > 0), 'the run under way');
  h.cancel(big.run);
  await assert.rejects(big.report, (err: unknown) => err instanceof SimulationError && err.cancelled && /cancelled/.test(err.message));
  const after = await snapshotWhere(h, (x) => !x.runs.some((r) => r.id === big.run), 'the run gone');
  assert.deepEqual(after.runs, []);
});

test('the child does not outlive its window: the parent killed with SIGKILL, the child exits by itself', async () => {
  const ini = config('parent');
  const parent = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'fixtures', 'e2e', 'hostParent.ts'), ini], { stdio: ['ignore', 'pipe', 'inherit'] });
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
    const desk = await ProtocolClient.connect('127.0.0.1', s.port, 5000);
    parent.kill('SIGKILL');
    await once(parent, 'exit');
    // The child notices its IPC channel closing, tells its desks and exits; bounded wait.
    desk.send({ type: 'hello', protocol: 1, client: 'test' });
    const ended = await gone(s.pid, 10_000);
    desk.close();
    assert.equal(ended, true, `workbench ${s.pid} still runs 10 s after its parent died`);
  } finally {
    if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
  }
});

test('the rollout through the host (issue 12): a failed upgrade pauses it, the snapshot says since when, the inventory has buckets and escaped names, Resume resumes; the follower fetches on changes and clears on stop', async () => {
  const example = readFileSync(join(ROOT, 'examples', 'upgrade.ini'), 'utf8').replace('IdleTimeout = 30', 'IdleTimeout = 30\nStateFile = None');
  const ini = config('rollout', `${example}\n[Rollout]\nPilot = pilot-pc\nPercent = 0\nPauseAfterFailures = 1\n`);
  const h = newHost();
  const follower = new InventoryFollower(h, 0);
  const changes: (InventoryShown | null)[] = [];
  follower.on('changed', (x: InventoryShown | null) => changes.push(x));
  const s = await h.start({ config: ini, port: 0, host: '127.0.0.1' });
  assert.equal(s.kind, 'running', JSON.stringify(s));
  if (s.kind !== 'running') return;
  const before = await snapshotWhere(h, (x) => x.servers.length === 1, 'the server');
  assert.equal(before.servers[0].rollout.paused, false);
  assert.equal(before.servers[0].rolloutPausedAt, undefined);

  // A desk whose name carries an escape: shown escaped, its bucket from the name it sent.
  const odd = await hello(s.port);
  odd.send({ type: 'login', version: '5.20.12', name: 'odd\u001bdesk' });
  assert.equal((await odd.message()).type, 'decision');
  odd.close();
  await failedUpgrade(s.port, '4.0', 'pilot-pc');
  const paused = await snapshotWhere(h, (x) => x.servers[0]?.rollout.paused === true, 'the rollout paused');
  const view = paused.servers[0];
  assert.equal(view.rollout.failures, 1);
  assert.equal(view.rolloutConfigured, true);
  assert.ok(view.rolloutPausedAt && Date.parse(view.rolloutPausedAt) >= Date.parse(view.startedAt), view.rolloutPausedAt);
  assert.ok(view.inventoryChanges >= 3, `inventory changes counted: ${view.inventoryChanges}`);
  assert.deepEqual(view.inventoryByVersion, { '5.20.12': 1, '4.0': 1 });

  // The bucket as spec section 7 defines it, computed here.
  const bucket = (name: string): number => Math.floor((createHash('sha256').update(`5.20.12/${name.toLowerCase()}`).digest().readUInt32BE(0) * 100) / 2 ** 32);
  const inv = await h.inventory(ini);
  assert.ok(inv);
  assert.equal(inv.total, 2);
  assert.deepEqual(
    inv.clients.map((c) => [c.name, c.version, c.outcome, c.bucket]),
    [
      ['odd\\x1bdesk', '5.20.12', 'let-in', bucket('odd\u001bdesk')],
      ['pilot-pc', '4.0', 'failed', bucket('pilot-pc')],
    ],
  );
  // The follower asked too, once the snapshots said the inventory changed.
  if (!follower.current?.clients.some((c) => c.outcome === 'failed')) {
    await new Promise<void>((resolve) => {
      const on = (x: InventoryShown | null): void => {
        if (x?.clients.some((c) => c.outcome === 'failed')) resolve(follower.off('changed', on) && undefined);
      };
      follower.on('changed', on);
    });
  }
  assert.deepEqual(follower.current?.clients.map((c) => c.name), ['odd\\x1bdesk', 'pilot-pc']);
  assert.deepEqual(knownNames(follower.current?.clients ?? []), ['pilot-pc', 'odd\\x1bdesk']);

  const resumed = await h.resumeRollout(ini);
  assert.deepEqual(resumed && [resumed.wasPaused, resumed.rollout.paused, resumed.rollout.failures], [true, false, 0]);
  const after = await snapshotWhere(h, (x) => x.servers[0]?.rollout.paused === false, 'the rollout resumed');
  assert.equal(after.servers[0].rolloutPausedAt, undefined);
  assert.equal((await h.resumeRollout(ini))?.wasPaused, false, 'a second resume finds nothing paused');
  assert.equal(await h.inventory(join(dir, 'nowhere.ini')), null, 'a config not served has no inventory here');

  await h.stop();
  assert.equal(follower.current, null);
  assert.equal(changes.at(-1), null, 'the follower says the names are gone when the server stops');
  assert.equal(await h.resumeRollout(ini), null);
  follower.dispose();
});
