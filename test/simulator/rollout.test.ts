// Simulated desks with names against [Rollout] configs: the names a fleet
// gives (desk-001..., the fleet file's name column), the new reasons in the
// report, MaxPerHour counting each desk once, --at for the simulated time of
// the logins (ForcedHours), and a dry run that never writes the state file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { simulateFleet, simulateLogin, SimulatedTimeError } from '../../server/src/simulator';
import { deskNames, expandFleet, FleetError, parseFleetCsv, parseFleetSpec, type FleetEntry } from '../../server/src/simulator/fleet';
import { seededRandom } from '../../server/src/simulator/random';
import { configText, makeFixture, start } from '../upgrade/helpers';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

const row = (version: string, count: number, more: Partial<FleetEntry> = {}): FleetEntry => ({ version, count, decline: 0, apps: [], keepOpen: 0, ...more });

function rolloutFixture(rollout: string, mode = 'Forced') {
  return makeFixture(`${configText({ mode })}[Rollout]\n${rollout}\n`);
}

test('desk names: VERSION:COUNT gives desk-001, desk-002... across the fleet; a name column names a desk, or NAME-001... for several', () => {
  assert.deepEqual(deskNames(parseFleetSpec('5.10.3:2,4.0:1')), ['desk-001', 'desk-002', 'desk-003']);
  const big = deskNames(parseFleetSpec('5.10.3:1000,4.0:1'));
  assert.deepEqual([big[0], big[999], big[1000]], ['desk-0001', 'desk-1000', 'desk-1001'], 'as wide as the fleet needs');
  const entries = parseFleetCsv('version,count,name\n5.10.3,1,Reception-PC\n5.10.3,3,ops\n4.0,2,\n');
  assert.deepEqual(entries.map((e) => e.name), ['Reception-PC', 'ops', undefined]);
  assert.deepEqual(deskNames(entries), ['Reception-PC', 'ops-001', 'ops-002', 'ops-003', 'desk-005', 'desk-006']);
});

test('fleet names: a name used twice (in any case) and a name too long for the protocol are errors that say where', () => {
  assert.throws(() => parseFleetCsv('version,count,name\n5.1,1,boss\n5.2,1,BOSS\n', 'f.csv'), (e: unknown) => e instanceof FleetError && e.message === 'f.csv:3:7: the name "BOSS" is already used on line 2');
  assert.throws(() => parseFleetCsv(`version,count,name\n5.1,1,${'x'.repeat(129)}\n`, 'f.csv'), (e: unknown) => e instanceof FleetError && /^f\.csv:2:7: a desk name has at most 128 characters/.test(e.message));
  assert.throws(() => parseFleetCsv(`version,count,name\n5.1,2,${'x'.repeat(125)}\n`, 'f.csv'), (e: unknown) => e instanceof FleetError && /at most 128 characters \(with its -NNN/.test(e.message));
  assert.doesNotThrow(() => parseFleetCsv(`version,count,name\n5.1,1,${'x'.repeat(128)}\n`));
});

test('the server sees each desk by its name: Pilot takes one desk in, Percent = 0 holds the rest back; the report counts the reasons', async () => {
  const fx = rolloutFixture('Percent = 0\nPilot = desk-002, ops-*\nExclude = Reception-PC');
  const report = await simulateFleet({
    target: { configPath: fx.ini },
    clients: [row('5.10.3', 3), row('5.10.3', 1, { name: 'Reception-PC' }), row('4.0', 2, { name: 'ops' })],
  });
  const by = Object.fromEntries(report.clients.map((c) => [c.name, `${c.reason}:${c.outcome}`]));
  assert.deepEqual(by, {
    'desk-001': 'held-back:let-in',
    'desk-002': 'patchable:upgraded',
    'desk-003': 'held-back:let-in',
    'Reception-PC': 'excluded:let-in',
    'ops-001': 'not-patchable:upgraded',
    'ops-002': 'not-patchable:upgraded',
  });
  assert.deepEqual(report.reasons, { 'held-back': 2, patchable: 1, excluded: 1, 'not-patchable': 2 });
  assert.equal(report.failures, 0);
  assert.match(report.clients[0].story.join('\n'), /^desk-001 logged in with 5\.10\.3: allow \(held-back\)\nlet in: not in the rollout yet/);
});

test('MaxPerHour = 3 with 5 desks: 3 are offered and upgraded, 2 throttled; desks whose downloads break off come back by name, not counted twice', async () => {
  const fx = rolloutFixture('MaxPerHour = 3');
  // One at a time, so the order is known; the full setup is several chunks, so the drop at 50 % happens.
  const report = await simulateFleet({ target: { configPath: fx.ini }, clients: [row('4.0', 3, { dropAt: 50 }), row('4.0', 2)], concurrency: 1 });
  assert.deepEqual(report.clients.map((c) => [c.name, c.reason, c.outcome, c.resumes]), [
    ['desk-001', 'not-patchable', 'upgraded', 1],
    ['desk-002', 'not-patchable', 'upgraded', 1],
    ['desk-003', 'not-patchable', 'upgraded', 1],
    ['desk-004', 'throttled', 'let-in', 0],
    ['desk-005', 'throttled', 'let-in', 0],
  ]);
  assert.deepEqual(report.reasons, { 'not-patchable': 3, throttled: 2 });
  assert.deepEqual(readdirSync(fx.dir).sort(), ['files', 'upgrade.ini'], 'a dry run against a FILE writes no state file');
});

test('--at sets the simulated time of the logins: outside ForcedHours the offer is optional (declined by policy), inside it is forced', async () => {
  const fx = rolloutFixture('ForcedHours = Mon-Fri 18:00-07:00\nTimeZone = Europe/Berlin');
  const day = await simulateFleet({ target: { configPath: fx.ini }, clients: [row('5.10.3', 2, { decline: 1 })], at: new Date('2026-03-03T10:00:00+01:00') });
  assert.deepEqual(day.clients.map((c) => [c.mode, c.modeReason, c.outcome]), [
    ['optional', 'outside-forced-hours', 'declined'],
    ['optional', 'outside-forced-hours', 'declined'],
  ]);
  assert.equal(day.at, '2026-03-03T09:00:00.000Z');
  const night = await simulateFleet({ target: { configPath: fx.ini }, clients: [row('5.10.3', 2, { decline: 1 })], at: new Date('2026-03-03T20:00:00+01:00') });
  assert.deepEqual(night.clients.map((c) => [c.mode, c.modeReason, c.outcome]), [
    ['forced', undefined, 'upgraded'],
    ['forced', undefined, 'upgraded'],
  ]);
  const one = await simulateLogin({ target: { configPath: fx.ini }, version: '4.0', name: 'boss-pc', at: new Date('2026-03-07T12:00:00Z') });
  assert.deepEqual([one.name, one.mode, one.modeReason], ['boss-pc', 'optional', 'outside-forced-hours']);
});

test('--at against a running server is refused: it keeps its own clock', async () => {
  const fx = makeFixture();
  const { server, port } = await start(fx);
  try {
    await assert.rejects(simulateFleet({ target: { host: '127.0.0.1', port }, clients: '5.10.3', at: new Date() }), SimulatedTimeError);
    assert.equal(server.connections, 0, 'not one desk was sent');
  } finally {
    await server.close();
  }
});

test('nsupgrade simulate --at: applies with a FILE; with HOST:PORT or a time without an offset, exit 2 saying why', () => {
  const fx = rolloutFixture('ForcedHours = Mon-Fri 18:00-07:00\nTimeZone = UTC');
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'simulate', ...args], { encoding: 'utf8', timeout: 60_000 });
  const ok = run(fx.ini, '--clients', '5.10.3:2', '--at', '2026-03-03T10:00Z', '--format', 'json');
  assert.equal(ok.status, 0, ok.stderr);
  const report = JSON.parse(ok.stdout) as { at: string; reasons: Record<string, number>; clients: { name: string; modeReason?: string }[] };
  assert.equal(report.at, '2026-03-03T10:00:00.000Z');
  assert.deepEqual(report.clients.map((c) => [c.name, c.modeReason]), [['desk-001', 'outside-forced-hours'], ['desk-002', 'outside-forced-hours']]);
  const text = run(fx.ini, '--clients', '5.10.3:2', '--at', '2026-03-03T10:00Z');
  assert.match(text.stdout, /, logins at 2026-03-03T10:00:00\.000Z\n/);
  assert.match(text.stdout, /^ {2}patch\s+2 {2}patchable 2$/m);
  const remote = run('127.0.0.1:9', '--clients', '5.10.3', '--at', '2026-03-03T10:00Z');
  assert.equal(remote.status, 2);
  assert.match(remote.stderr, /--at needs a config FILE \(served for the run with that clock\): the server at 127\.0\.0\.1:9 keeps its own clock/);
  const local = run(fx.ini, '--clients', '5.10.3', '--at', '2026-03-03T10:00');
  assert.equal(local.status, 2);
  assert.match(local.stderr, /--at must be an ISO 8601 time with an offset or Z/);
});

test('the fail column: Setup fails on those desks after a verified download; they report it, keep their version, and PauseAfterFailures pauses the rollout for the desks after them', async () => {
  const fx = rolloutFixture('PauseAfterFailures = 2');
  // One at a time, so that both failures are counted before the next desks log in.
  const report = await simulateFleet({ target: { configPath: fx.ini }, clients: [row('4.0', 2, { name: 'bad', fail: 1 }), row('5.10.3', 2)], concurrency: 1 });
  const by = Object.fromEntries(report.clients.map((c) => [c.name, `${c.reason}:${c.outcome}:${c.finalVersion}`]));
  assert.deepEqual(by, {
    'bad-001': 'not-patchable:setup-failed:4.0',
    'bad-002': 'not-patchable:setup-failed:4.0',
    'desk-003': 'paused:let-in:5.10.3',
    'desk-004': 'paused:let-in:5.10.3',
  });
  assert.equal(report.failures, 2);
  const story = report.clients[0].story.join('\n');
  assert.match(story, /downloaded and verified \(SHA-256 [0-9a-f]{12}\.\.\.\)\nSetup failed on the desk \(the fleet's fail column\): it stays on 4\.0/);
  assert.ok(report.clients[0].bytes > 0, 'the file was downloaded before Setup failed');
});

test('the fail column is read as a chance (yes, no, 0-1) and said where when wrong; a fleet without failures draws the same chances as before the column existed', () => {
  const entries = parseFleetCsv('version,count,fail\n4.0,1,yes\n4.0,1,0.25\n4.0,1,\n', 'f.csv');
  assert.deepEqual(entries.map((e) => e.fail), [1, 0.25, undefined]);
  assert.throws(() => parseFleetCsv('version,count,fail\n4.0,1,often\n', 'f.csv'), (e: unknown) => e instanceof FleetError && e.message === 'f.csv:2:7: expected yes, no or a chance from 0 to 1, not "often"');
  assert.throws(() => parseFleetCsv('version,count,fails\n4.0,1,1\n', 'f.csv'), (e: unknown) => e instanceof FleetError && /unknown column "fails"; known: .*dropAt, fail$/.test(e.message));
  // The same seed: declines and kept-open apps drawn as without the column.
  const without = parseFleetCsv('version,count,decline,apps,keepOpen\n4.0,40,0.5,Chat,0.5\n');
  const withZero = parseFleetCsv('version,count,decline,apps,keepOpen,fail\n4.0,40,0.5,Chat,0.5,0\n');
  const draw = (e: FleetEntry[]) => expandFleet(e, seededRandom(7)).map((s) => `${s.declines}/${s.keepsAppsOpen}/${s.failsSetup}`);
  assert.deepEqual(draw(withZero), draw(without));
  assert.ok(new Set(draw(without)).size > 1, 'the chances vary between desks');
  const some = expandFleet(parseFleetCsv('version,count,fail\n4.0,200,0.25\n'), seededRandom(7)).filter((s) => s.failsSetup).length;
  assert.ok(some > 25 && some < 75, `about a quarter of 200 desks fail (${some})`);
});
