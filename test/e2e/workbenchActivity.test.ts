// What the workbench child tells the views of a running server (issue 11):
// each activity line with its level for the server log; counts and recent
// activity that stay after clients from elsewhere (`nsupgrade simulate
// HOST:PORT`, a garbage connection) have gone; the config in force (loaded
// when, CurrentVersion, a short hash of its text, the setup files' snapshots)
// against the file on disk (a refused change, a deleted setup file still
// served from the snapshot, a file put back); Restart with a broken file keeps
// the running server. The real dist/workbench.js through the extension's
// WorkbenchHost, real sockets, the real CLI; no browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { WorkbenchHost } from '../../client/src/workbenchHost';
import type { ActivityEntry, ServerView, WorkbenchState } from '../../server/src/views/messages';
import { tempDir } from '../tempDir';

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'dist', 'workbench.js');
const CLI = join(ROOT, 'dist', 'cli.js');

let dir: string;
const hosts: WorkbenchHost[] = [];

function newHost(): { host: WorkbenchHost; activity: ActivityEntry[] } {
  const host = new WorkbenchHost(SCRIPT);
  hosts.push(host);
  // Each snapshot carries the activity since the one before: keep all of it, as the log does.
  const activity: ActivityEntry[] = [];
  host.on('snapshot', (s: WorkbenchState) => activity.push(...s.activity));
  return { host, activity };
}

function config(name: string): string {
  const d = join(dir, name);
  mkdirSync(join(d, 'files'), { recursive: true });
  for (const f of ['Netphone_520.exe', 'NP_Update.exe']) copyFileSync(join(ROOT, 'examples', 'files', f), join(d, 'files', f));
  writeFileSync(join(d, 'upgrade.ini'), readFileSync(join(ROOT, 'examples', 'upgrade.ini')));
  return join(d, 'upgrade.ini');
}

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

before(() => {
  assert.ok(existsSync(SCRIPT), `${SCRIPT} is missing: run npm run build first`);
  dir = tempDir('nsu-activity-');
});

after(async () => {
  await Promise.all(hosts.map((h) => h.dispose()));
});

function snapshotWhere(h: WorkbenchHost, pred: (s: WorkbenchState) => boolean, what: string, ms = 15_000): Promise<WorkbenchState> {
  if (pred(h.snapshot)) return Promise.resolve(h.snapshot);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no snapshot with ${what} within ${ms} ms; last: ${JSON.stringify(h.snapshot.servers[0] ?? null).slice(0, 2000)}`)), ms);
    const on = (s: WorkbenchState): void => {
      if (!pred(s)) return;
      clearTimeout(timer);
      h.off('snapshot', on);
      resolve(s);
    };
    h.on('snapshot', on);
  });
}

const view = (s: WorkbenchState): ServerView => s.servers[0];

/** `nsupgrade simulate HOST:PORT --clients SPEC`: desks that are not the extension's own. */
async function cliSimulate(port: number, clients: string): Promise<string> {
  const child = spawn(process.execPath, [CLI, 'simulate', `127.0.0.1:${port}`, '--clients', clients], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  assert.equal(code, 0, err);
  return out;
}

test('the server log: every line with its level; a login at info with name, address, version, decision and outcome; the listening line first', async () => {
  const ini = config('levels');
  const { host, activity } = newHost();
  const s = await host.start({ config: ini, port: 0, host: '127.0.0.1' });
  assert.equal(s.kind, 'running', JSON.stringify(s));
  if (s.kind !== 'running') return;
  const report = await host.simulate({ config: ini, clients: [{ version: '5.20.12', count: 1, name: 'desk-7', decline: 0, apps: [], keepOpen: 0 }] }).report;
  assert.equal(report.clients[0].outcome, 'let-in');
  await snapshotWhere(host, () => activity.some((a) => a.event.type === 'closed'), 'the session closed');
  assert.equal(activity[0].event.type, 'listening', 'the log starts with where the server listens');
  assert.equal(activity[0].level, 'info');
  assert.match(activity[0].text, new RegExp(`listening on 127\\.0\\.0\\.1:${s.port}`));
  const info = activity.filter((a) => a.level === 'info' && a.event.type === 'inventory');
  assert.equal(info.length, 1, `one info line for the login: ${JSON.stringify(activity.map((a) => [a.level, a.text]))}`);
  assert.match(info[0].text, /desk-7/);
  assert.match(info[0].text, /127\.0\.0\.1/);
  assert.match(info[0].text, /5\.20\.12/);
  assert.match(info[0].text, /allow \(current\)/);
  assert.match(info[0].text, /let-in/);
  // The protocol's steps are there for whoever turns the level down to debug.
  for (const type of ['connection', 'login', 'decision', 'closed']) assert.equal(activity.find((a) => a.event.type === type)?.level, 'debug', type);
});

test('clients not the extension\'s own leave a trace: counts since start, errors and recent activity stay when they are gone', async () => {
  const ini = config('foreign');
  const { host } = newHost();
  const s = await host.start({ config: ini, port: 0, host: '127.0.0.1' });
  assert.equal(s.kind, 'running');
  if (s.kind !== 'running') return;
  // 20 desks from a terminal, as an administrator would try it.
  const out = await cliSimulate(s.port, '5.10.3:5,4.0:5,5.20.12:10');
  assert.match(out, /Simulated 20 Net Phone clients/);
  // A connection that sends a frame header announcing 2 GB: answered frame-too-large and closed.
  const garbage = connect(s.port, '127.0.0.1');
  garbage.on('error', () => undefined);
  await new Promise<void>((r) => garbage.once('connect', () => r()));
  garbage.write(Buffer.from([0x7f, 0xff, 0xff, 0xff, 0x01]));
  garbage.resume();
  await new Promise<void>((r) => garbage.once('close', () => r()));
  const snap = await snapshotWhere(host, (x) => view(x)?.counts.errors >= 1 && view(x)?.clientCount === 0 && view(x)?.counts.results.upgraded === 10, 'the garbage counted and everyone gone');
  const v = view(snap);
  assert.equal(v.clientCount, 0, 'nobody is connected any more');
  // 20 first logins, the 10 upgraded desks log in again: 30 logins; the garbage one more connection
  // (and the simulator's own check that the server answers, before its desks).
  assert.equal(v.counts.logins, 30);
  assert.ok(v.counts.connections >= 31, String(v.counts.connections));
  assert.deepEqual(v.counts.decisions, { allow: 20, reject: 0, patch: 5, full: 5 });
  assert.equal(v.counts.errors, 1);
  const error = v.recent.find((r) => r.level === 'error');
  assert.ok(error, `the error is in the recent activity: ${JSON.stringify(v.recent)}`);
  assert.match(error.text, /frame-too-large/);
  assert.ok(v.recent.every((r) => r.level !== 'debug' && r.level !== 'trace'), 'recent activity is the info lines and above');
  assert.ok(v.recent.length <= 40);
});

test('the config in force: loaded when, CurrentVersion, a short hash of its text, the files served; a refused change leaves all of it', async () => {
  const ini = config('inforce');
  const { host, activity } = newHost();
  const s = await host.start({ config: ini, port: 0, host: '127.0.0.1' });
  assert.equal(s.kind, 'running');
  if (s.kind !== 'running') return;
  const first = view(await snapshotWhere(host, (x) => view(x) !== undefined, 'the server'));
  const text = readFileSync(ini, 'utf8');
  assert.equal(first.inForce.hash, sha256(text).slice(0, 8));
  assert.equal(first.inForce.currentVersion, '5.20.12');
  assert.ok(!Number.isNaN(Date.parse(first.inForce.loadedAt)));
  const files = Object.fromEntries(first.inForce.files.map((f) => [f.key, f]));
  const patch = readFileSync(join(dir, 'inforce', 'files', 'NP_Update.exe'));
  assert.equal(files.PatchFile?.sha256, sha256(patch));
  assert.equal(files.PatchFile?.size, patch.length);
  assert.equal(files.FullSetup?.sha256, sha256(readFileSync(join(dir, 'inforce', 'files', 'Netphone_520.exe'))));
  assert.equal(first.lastReload, undefined);

  // A change with an error: refused; the config in force is still the one loaded.
  writeFileSync(ini, text.replace(/^CurrentVersion = .*$/m, 'CurrentVersion = 5.20.x'));
  const refused = view(await snapshotWhere(host, (x) => view(x)?.lastReload?.ok === false, 'the change refused'));
  assert.equal(refused.lastReload?.errorCount, 1);
  assert.match(refused.lastReload?.problems?.[0].message ?? '', /5\.20\.x/);
  assert.deepEqual(refused.inForce, first.inForce);
  const warn = activity.find((a) => a.event.type === 'config-rejected');
  assert.equal(warn?.level, 'warn');
  assert.match(warn?.text ?? '', /refused, the previous config stays in force/);

  // The file put back exactly as it was: the disk and the config in force agree again, and it is said.
  writeFileSync(ini, text);
  const back = view(await snapshotWhere(host, (x) => view(x)?.lastReload?.ok === true, 'the reload after the file was put back'));
  assert.equal(back.inForce.hash, first.inForce.hash);
  assert.ok(back.inForce.loadedAt >= refused.lastReload!.at);
  assert.equal(activity.filter((a) => a.event.type === 'config-reloaded').at(-1)?.level, 'info');

  // A new CurrentVersion: a new hash, a new time.
  writeFileSync(ini, text.replace(/^CurrentVersion = .*$/m, 'CurrentVersion = 5.20.13').replace(/<5\.20\.12/g, '<5.20.13'));
  const changed = view(await snapshotWhere(host, (x) => view(x)?.inForce.currentVersion === '5.20.13', 'the new CurrentVersion'));
  assert.notEqual(changed.inForce.hash, first.inForce.hash);
  assert.equal(changed.inForce.hash, sha256(readFileSync(ini, 'utf8')).slice(0, 8));
});

test('a deleted setup file: the change is refused and the file goes on being served from the snapshot in force', async () => {
  const ini = config('deleted');
  const { host } = newHost();
  const s = await host.start({ config: ini, port: 0, host: '127.0.0.1' });
  assert.equal(s.kind, 'running');
  if (s.kind !== 'running') return;
  const setup = join(dir, 'deleted', 'files', 'NP_Update.exe');
  renameSync(setup, `${setup}.away`);
  const v = view(await snapshotWhere(host, (x) => view(x)?.lastReload?.ok === false, 'the deletion refused'));
  assert.match(JSON.stringify(v.lastReload?.problems), /NP_Update\.exe/);
  assert.ok(v.inForce.files.some((f) => f.name === 'NP_Update.exe'), 'the snapshot of the deleted file is still in force');
  const report = await host.simulate({ config: ini, clients: [{ version: '5.10.3', count: 1, decline: 0, apps: [], keepOpen: 0 }] }).report;
  assert.equal(report.clients[0].action, 'patch');
  assert.equal(report.clients[0].outcome, 'upgraded', 'served from the snapshot');
  renameSync(`${setup}.away`, setup);
  await snapshotWhere(host, (x) => view(x)?.lastReload?.ok === true, 'the file put back reloads');
});

test('Restart with a broken file keeps the running server (same process, port, config in force) and says why; with a good file it restarts', async () => {
  const ini = config('restart');
  const { host } = newHost();
  const s = await host.start({ config: ini, port: 0, host: '127.0.0.1' });
  assert.equal(s.kind, 'running');
  if (s.kind !== 'running') return;
  const before = view(await snapshotWhere(host, (x) => view(x) !== undefined, 'the server'));
  const text = readFileSync(ini, 'utf8');
  writeFileSync(ini, text.replace(/^Port = .*$/m, 'Port = 87670'));
  const r = await host.restart({ config: ini, port: 0, host: '127.0.0.1' });
  assert.equal(r.kind, 'kept', JSON.stringify(r));
  if (r.kind !== 'kept') return;
  assert.equal(r.reason, 'config');
  assert.equal(r.problems[0]?.line, text.split('\n').findIndex((l) => l.startsWith('Port =')) + 1);
  assert.match(r.message, /keeps the config loaded at/);
  assert.deepEqual(host.state, s, 'still running as before');
  const report = await host.simulate({ config: ini, clients: [{ version: '5.10.3', count: 1, decline: 0, apps: [], keepOpen: 0 }] }).report;
  assert.equal(report.privateServer, false, 'the kept server answers');
  assert.equal(report.clients[0].outcome, 'upgraded');
  const after = view(await snapshotWhere(host, (x) => view(x)?.counts.logins === 2, 'the logins'));
  assert.equal(after.inForce.hash, before.inForce.hash);

  writeFileSync(ini, text);
  const again = await host.restart({ config: ini, port: 0, host: '127.0.0.1' });
  assert.equal(again.kind, 'running', JSON.stringify(again));
  const fresh = view(await snapshotWhere(host, (x) => view(x)?.counts.logins === 0, 'a fresh server'));
  assert.ok(fresh.inForce.loadedAt > before.inForce.loadedAt);
});
