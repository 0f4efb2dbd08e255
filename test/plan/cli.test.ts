// `nsupgrade plan` (spec section 9) through the built command: text, JSON with
// every field of the spec, and clear refusals of bad input.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { tempDir } from '../tempDir';
import { main } from '../../server/src/cli';

const CLI = resolve(__dirname, '../../dist/cli.js');
const FULL = 1_000_000;
let dir = '';
let ini = '';

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return runIn('UTC', ...args);
}

/** With the process in zone `tz`: without [Rollout] TimeZone, the plan's clock (spec 7). */
function runIn(tz: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1', TZ: tz } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  dir = tempDir('nsupgrade-plan-cli-');
  mkdirSync(join(dir, 'files'));
  const full = Buffer.alloc(FULL, 7);
  writeFileSync(join(dir, 'files', 'Netphone_520.exe'), full);
  writeFileSync(join(dir, 'files', 'NP_Update.exe'), Buffer.alloc(1000, 3));
  ini = join(dir, 'upgrade.ini');
  writeFileSync(
    ini,
    `[Server]\nFileRoot = files\nMaxTransfers = 2\n[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = Netphone_520.exe\nFullSetupSha256 = ${createHash('sha256').update(full).digest('hex')}\nPatchFile = NP_Update.exe\nPatchable = 5.10.*\n`,
  );
  writeFileSync(join(dir, 'fleet.csv'), 'version,count,apps\n4.0,4,Chat\n5.10.3,2,\n5.20.12,3,\n');
});

test('JSON: the fields of spec 9, times ISO 8601 with an offset, totals that add up', () => {
  const r = run('plan', ini, '--clients', `@${join(dir, 'fleet.csv')}`, '--start', '2025-12-01T08:00:00Z', '--logins-over', '90s', '--link', '8MB', '--setup-time', '30s', '--restart-time', '2m', '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { start: string; clients: Record<string, unknown>[]; totals: Record<string, unknown> };
  assert.deepEqual(Object.keys(out), ['start', 'clients', 'totals']);
  assert.equal(out.start, '2025-12-01T08:00:00+00:00');
  assert.equal(out.clients.length, 9);
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?[+-]\d{2}:\d{2}$/;
  for (const c of out.clients) {
    const upgraded = c.action === 'full' || c.action === 'patch';
    const keys = ['name', 'version', 'login', 'action', 'reason', ...(upgraded ? ['mode'] : []), 'queuedSeconds', ...(upgraded ? ['downloadStart', 'downloadEnd'] : []), 'back', 'downMinutes'];
    assert.deepEqual(Object.keys(c), keys);
    for (const k of ['login', 'downloadStart', 'downloadEnd', 'back']) if (k in c) assert.match(String(c[k]), iso, k);
  }
  assert.deepEqual(Object.keys(out.totals), ['clients', 'byAction', 'bytes', 'makespanSeconds', 'peakQueue', 'downMinutes', 'downMinutesInBusinessHours']);
  assert.deepEqual(out.totals.byAction, { allow: 3, patch: 2, full: 4, reject: 0 });
  assert.equal(out.totals.bytes, 4 * FULL + 2 * 1000);
  // Logins 10 s apart (90 s / 9 desks); every Chat desk restarts (RestartIfBusy defaults to Yes).
  const logins = out.clients.map((c) => Date.parse(String(c.login)) - Date.parse(out.start));
  assert.deepEqual(logins, [0, 10, 20, 30, 40, 50, 60, 70, 80].map((s) => s * 1000));
  for (const c of out.clients.filter((x) => x.action === 'full')) {
    const back = (Date.parse(String(c.back)) - Date.parse(String(c.downloadEnd))) / 1000;
    assert.equal(back, 30 + 120, `${String(c.name)}: setup and restart`);
    assert.equal(c.downMinutes, Math.round(((Date.parse(String(c.back)) - Date.parse(String(c.login))) / 60_000) * 100) / 100);
  }
  const lastBack = Math.max(...out.clients.map((c) => Date.parse(String(c.back))));
  assert.equal(out.totals.makespanSeconds, (lastBack - Date.parse(out.start)) / 1000);
});

test('text in the process zone: totals, a line per version, the slowest desks', () => {
  const r = runIn('Europe/Berlin', 'plan', ini, '--clients', '4.0:6,5.20.12:2', '--start', '2025-12-01T07:00Z', '--link', '16Mbit');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /8 desks logging in at once from Mon 2025-12-01 08:00 \+01:00/);
  assert.match(r.stdout, /Link 2 MB\/s \(16 Mbit\/s\) shared by at most 2 transfers/);
  assert.match(r.stdout, /^ {2}4\.0 +6 {2}full forced/m);
  assert.match(r.stdout, /^ {2}5\.20\.12 +2 {2}allow current/m);
  // 6 MB over 2 MB/s, then a minute of Setup: the last desk is back at 08:01:03 local.
  assert.match(r.stdout, /Makespan +63s \(the last desk is back at 08:01:03\)/);
  assert.match(r.stdout, /Down +6\.2 desk-minutes/);
  assert.match(r.stdout, /Peak queue +4 desks/);
  assert.match(r.stdout, /Slowest desks/);
});

test('[Server] MaxRate is the default link; --start without an offset is wall-clock time in [Rollout] TimeZone', () => {
  const rated = join(dir, 'rated.ini');
  writeFileSync(rated, `${readFileSync(ini, 'utf8').replace('MaxTransfers = 2', 'MaxTransfers = 2\nMaxRate = 2MB')}[Rollout]\nTimeZone = America/New_York\n`);
  const r = run('plan', rated, '--clients', '4.0:4', '--start', '2025-12-01T08:00', '--setup-time', '0s', '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { start: string; totals: { makespanSeconds: number } };
  assert.equal(out.start, '2025-12-01T08:00:00-05:00');
  // 4 MB over 2 MB/s.
  assert.equal(out.totals.makespanSeconds, 2);
  const faster = JSON.parse(run('plan', rated, '--clients', '4.0:4', '--start', '2025-12-01T08:00', '--setup-time', '0s', '--link', '4MB', '--format', 'json').stdout) as typeof out;
  assert.equal(faster.totals.makespanSeconds, 1, '--link wins over MaxRate');
});

test('bad arguments: exit 2 with a message that names the flag', () => {
  const cases: [string[], RegExp][] = [
    [['--clients', '4.0', '--link', '10Mbps'], /--link: "Mbps" is not a rate unit/],
    [['--clients', '4.0', '--link', '10mb'], /--link: "mb" could be bits or bytes/],
    [['--clients', '4.0', '--client-link', '0MB'], /--client-link: a rate of 0MB would never send anything/],
    [['--clients', '4.0', '--logins-over', '5x'], /--logins-over: "5x" is not a duration/],
    [['--clients', '4.0', '--start', 'Monday'], /--start must be an ISO 8601 time/],
    [['--clients', '4.0', '--seed', '-1'], /--seed must be a whole number/],
    [['--clients', '4.0', '--format', 'xml'], /--format must be text or json/],
    [['--clients', '4.0', '--frobnicate'], /unknown option '--frobnicate'/],
    [[], /required option '--clients <SPEC>' not specified/],
    [['--clients', '4.0,,5.0'], /--clients: empty item at column 5/],
    [['--clients', '@/nonexistent/fleet.csv'], /cannot read the fleet file \/nonexistent\/fleet.csv/],
  ];
  for (const [args, message] of cases) {
    const r = run('plan', ini, ...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(r.stdout, '');
  }
  const missing = run('plan', join(dir, 'nope.ini'), '--clients', '4.0');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.ini/);
});

test('--report writes one HTML file; a folder that does not exist is exit 2 and no file', () => {
  const out = join(dir, 'plan.html');
  const r = run('plan', ini, '--clients', '4.0:3', '--report', out);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`Report: ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  const html = readFileSync(out, 'utf8');
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /<script type="application\/json" id="plan-data">\{"title":"upgrade\.ini: 3 desks/);
  const missing = join(dir, 'no-such-folder', 'plan.html');
  const bad = run('plan', ini, '--clients', '4.0:3', '--report', missing);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /cannot write the report .*no-such-folder.*: its folder does not exist/);
  assert.equal(bad.stdout, '');
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left behind');
});

test('a config with errors: exit 1, its errors printed, no plan', () => {
  const bad = join(dir, 'bad.ini');
  writeFileSync(bad, '[Upgrade]\nCurrentVersion = 5.x\n');
  const r = run('plan', bad, '--clients', '4.0');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no plan is made for a config with errors/);
  assert.equal(r.stdout, '');
});

test('without --start the plan starts next Monday 08:00 (the clock of the process zone here)', async () => {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => (text += d.toString()));
  const saturday = Date.UTC(2026, 10, 28, 12, 0);
  const code = await main(['plan', ini, '--clients', '5.20.12', '--format', 'json'], { stdout, stderr, now: () => saturday });
  assert.equal(code, 0);
  const start = Date.parse((JSON.parse(text) as { start: string }).start);
  const d = new Date(start);
  // Monday, 08:00 wall clock in the process zone, within two days of Saturday noon.
  assert.equal(d.getDay(), 1);
  assert.equal(d.getHours(), 8);
  assert.ok(start > saturday && start - saturday < 3 * 86_400_000);
});
