// Spec section 8, the counts behind the gates of section 5 (steps 6 and 8),
// with the time passed in: a sliding 60-minute window of distinct clients,
// failures that pause, resume, a new CurrentVersion, and the inventory. The
// configs are built as objects (the [Rollout] parser is tested in test/unit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, decide, type ConfigFiles, type RolloutSettings, type UpgradeConfig } from '../../server/src/config';
import type { ServerEvent } from '../../server/src/upgrade/events';
import { clientName, MAX_INVENTORY, OfferWindow, RolloutState } from '../../server/src/upgrade/rolloutState';

const FILES: ConfigFiles = {
  fullSetup: { key: 'FullSetup', relPath: 'Netphone_520.exe', absPath: '/srv/Netphone_520.exe', size: 1000, sha256: 'a'.repeat(64), mtimeMs: 0 },
  patchFile: { key: 'PatchFile', relPath: 'NP_Update.exe', absPath: '/srv/NP_Update.exe', size: 10, sha256: 'b'.repeat(64), mtimeMs: 0 },
};

const T0 = Date.parse('2026-03-02T09:00:00Z');
const MIN = 60_000;
const at = (minutes: number): Date => new Date(T0 + minutes * MIN);

function config(rollout: Partial<RolloutSettings> | null, current = '5.20.12'): UpgradeConfig {
  const a = analyze(`[Upgrade]\nCurrentVersion = ${current}\nFullSetup = Netphone_520.exe\nPatchFile = NP_Update.exe\nPatchable = 5.10.*\n`);
  assert.equal(a.diagnostics.filter((d) => d.severity === 'error').length, 0);
  if (rollout === null) return a.config;
  return { ...a.config, rollout: { pilot: [], exclude: [], percent: 100, maxPerHour: null, pauseAfterFailures: null, forcedHours: null, timeZone: null, ...rollout } };
}

function state(cfg: UpgradeConfig, now = at(0)): { s: RolloutState; events: ServerEvent[]; changes: () => number } {
  const events: ServerEvent[] = [];
  let changes = 0;
  const s = new RolloutState((e) => events.push(e), () => changes++);
  s.useConfig(cfg, now);
  return { s, events, changes: () => changes };
}

/** One login the way the server does it: counts, decide, record; the action and reason it got. */
function login(s: RolloutState, cfg: UpgradeConfig, name: string, version: string, when: Date): { action: string; reason: string } {
  const d = decide(cfg, FILES, { version, name, at: when, rollout: s.counts(name, when) });
  s.decided(name, '10.0.0.1', version, d, when);
  return { action: d.action, reason: d.reason };
}

test('clientName: the name sent, else the address as text (an IPv4 client on a dual-stack socket shows as 10.1.2.3)', () => {
  assert.equal(clientName('desk-12', '10.1.2.3'), 'desk-12');
  assert.equal(clientName(undefined, '10.1.2.3'), '10.1.2.3');
  assert.equal(clientName('', '::ffff:10.1.2.3'), '10.1.2.3');
  assert.equal(clientName('   ', '::1'), '::1');
  assert.equal(clientName(undefined, '::ffff:abcd'), '::ffff:abcd');
});

test('OfferWindow: an offer counts while less than 60 minutes old; a name offered again moves, never counts twice', () => {
  const w = new OfferWindow();
  w.add('a', T0);
  w.add('b', T0 + 10 * MIN);
  w.add('a', T0 + 20 * MIN);
  assert.equal(w.size, 2);
  w.prune(T0 + 69 * MIN);
  assert.equal(w.size, 2, 'b (10 min) is 59 min old, a was offered again at 20 min');
  w.prune(T0 + 70 * MIN);
  assert.deepEqual(w.entries().map(([k]) => k), ['a'], 'b is now exactly 60 minutes old: out');
  assert.equal(w.nextExpiry(), T0 + 80 * MIN);
});

test('MaxPerHour: the (cap+1)th distinct client in 60 minutes is throttled; one already counted is offered again; 60 minutes later there is room', () => {
  const cfg = config({ maxPerHour: 2 });
  const { s, events } = state(cfg);
  assert.equal(login(s, cfg, 'desk-1', '5.10.3', at(0)).action, 'patch');
  assert.equal(login(s, cfg, 'desk-2', '4.0', at(5)).action, 'full');
  const throttled = events.filter((e) => e.type === 'rollout-throttled');
  assert.deepEqual(throttled, [{ type: 'rollout-throttled', currentVersion: '5.20.12', maxPerHour: 2, until: at(60).toISOString() }]);
  assert.deepEqual(login(s, cfg, 'desk-3', '5.10.3', at(10)), { action: 'allow', reason: 'throttled' });
  // A dropped download resumes: the client is one of the two, in any case of its name.
  assert.equal(login(s, cfg, 'DESK-1', '5.10.3', at(30)).action, 'patch');
  assert.deepEqual(s.counts('desk-3', at(30)), { offeredLastHour: 2, alreadyOffered: false, failures: 0 });
  assert.deepEqual(s.counts('desk-1', at(30)), { offeredLastHour: 1, alreadyOffered: true, failures: 0 });
  // desk-2 (offered at 5) leaves the window at 65; desk-1 was offered again at 30.
  assert.deepEqual(login(s, cfg, 'desk-3', '5.10.3', at(64)), { action: 'allow', reason: 'throttled' });
  assert.equal(login(s, cfg, 'desk-3', '5.10.3', at(65)).action, 'patch');
  assert.equal(s.status(at(65)).offeredLastHour, 2);
  assert.equal(events.filter((e) => e.type === 'rollout-throttled').length, 2, 'full again after room was made');
  // Allowed clients are not offers.
  login(s, cfg, 'desk-9', '5.20.12', at(66));
  assert.equal(s.status(at(66)).offeredLastHour, 2);
});

test('failed results reach PauseAfterFailures: paused (an event says so), every out-of-date client let in with reason paused', () => {
  const cfg = config({ pauseAfterFailures: 2 });
  const { s, events } = state(cfg);
  const v = cfg.upgrade.currentVersion;
  login(s, cfg, 'a', '5.10.3', at(0));
  s.outcome('a', 'failed', at(1), v);
  s.outcome('a', 'upgraded', at(1), v);
  s.outcome('a', 'restart-required', at(1), v);
  s.outcome('a', 'declined', at(1), v);
  assert.equal(s.status(at(1)).paused, false, 'only failed results count');
  assert.equal(s.status(at(1)).failures, 1);
  assert.equal(login(s, cfg, 'b', '4.0', at(1)).action, 'full');
  s.outcome('b', 'failed', at(2), v);
  assert.deepEqual(events.filter((e) => e.type === 'rollout-paused'), [{ type: 'rollout-paused', currentVersion: '5.20.12', failures: 2, pauseAfterFailures: 2, since: at(2).toISOString() }]);
  assert.equal(s.status(at(2)).paused, true);
  assert.deepEqual(login(s, cfg, 'c', '5.10.3', at(2)), { action: 'allow', reason: 'paused' });
  assert.deepEqual(login(s, cfg, 'd', '5.20.12', at(2)), { action: 'allow', reason: 'current' });
  // Resume: the count starts again.
  assert.equal(s.resume(), true);
  assert.deepEqual(events.filter((e) => e.type === 'rollout-resumed'), [{ type: 'rollout-resumed', currentVersion: '5.20.12', reason: 'command' }]);
  assert.equal(s.status(at(3)).failures, 0);
  assert.equal(login(s, cfg, 'c', '5.10.3', at(3)).action, 'patch');
  assert.equal(s.resume(), false, 'not paused: nothing to resume');
  assert.equal(events.filter((e) => e.type === 'rollout-resumed').length, 1);
});

test('a failure of an older CurrentVersion does not count against the new one', () => {
  const cfg = config({ pauseAfterFailures: 1 });
  const { s } = state(cfg);
  const old = config({ pauseAfterFailures: 1 }, '5.20.11').upgrade.currentVersion;
  s.outcome('a', 'failed', at(1), old);
  s.outcome('a', 'failed', at(1), null);
  assert.equal(s.status(at(0)).failures, 0);
  s.outcome('a', 'failed', at(1), config(null, '5.20.0012.0').upgrade.currentVersion);
  assert.equal(s.status(at(0)).paused, true, '5.20.0012.0 is 5.20.12');
});

test('a changed CurrentVersion starts a new count and ends a pause; the same version written differently does not', () => {
  const cfg = config({ pauseAfterFailures: 1, maxPerHour: 5 });
  const { s, events } = state(cfg);
  login(s, cfg, 'a', '5.10.3', at(0));
  s.outcome('a', 'failed', at(1), cfg.upgrade.currentVersion);
  assert.equal(s.status(at(0)).paused, true);
  s.useConfig(config({ pauseAfterFailures: 1, maxPerHour: 5 }, '5.20.12.0'), at(1));
  assert.equal(s.status(at(1)).paused, true);
  assert.equal(s.status(at(1)).offeredLastHour, 1);
  const next = config({ pauseAfterFailures: 1, maxPerHour: 5 }, '5.21');
  s.useConfig(next, at(2));
  assert.deepEqual(s.status(at(2)), { currentVersion: '5.21', offeredLastHour: 0, maxPerHour: 5, failures: 0, pauseAfterFailures: 1, paused: false });
  assert.deepEqual(events.filter((e) => e.type === 'rollout-resumed'), [{ type: 'rollout-resumed', currentVersion: '5.21', reason: 'new-version' }]);
});

test('a reload that raises PauseAfterFailures above the count resumes; one that lowers it to the count pauses', () => {
  const { s, events } = state(config({ pauseAfterFailures: 3 }));
  const v = config(null).upgrade.currentVersion;
  s.outcome('x', 'failed', at(1), v);
  s.outcome('x', 'failed', at(1), v);
  s.useConfig(config({ pauseAfterFailures: 2 }), at(1));
  assert.equal(s.status(at(1)).paused, true);
  s.useConfig(config({ pauseAfterFailures: 5 }), at(2));
  assert.equal(s.status(at(2)).paused, false);
  s.useConfig(config(null), at(3));
  assert.deepEqual(
    events.filter((e) => e.type.startsWith('rollout-')).map((e) => e.type + ('reason' in e ? `:${e.reason}` : '')),
    ['rollout-paused', 'rollout-resumed:config'],
  );
});

test('inventory: the last login of each name (case-insensitive), its outcome, by version; the least recently seen go first beyond MAX_INVENTORY', () => {
  const cfg = config({ pauseAfterFailures: 10 });
  const { s, events } = state(cfg);
  login(s, cfg, 'Desk-1', '5.10.3', at(0));
  login(s, cfg, 'desk-2', '5.20.12', at(1));
  s.outcome('desk-1', 'downloaded', at(1));
  s.outcome('DESK-1', 'upgraded', at(1), cfg.upgrade.currentVersion);
  assert.deepEqual(s.inventory(), [
    { name: 'Desk-1', lastLogin: at(0).toISOString(), address: '10.0.0.1', version: '5.10.3', decision: { action: 'patch', reason: 'patchable', mode: 'forced' }, outcome: 'upgraded' },
    { name: 'desk-2', lastLogin: at(1).toISOString(), address: '10.0.0.1', version: '5.20.12', decision: { action: 'allow', reason: 'current' }, outcome: 'let-in' },
  ]);
  assert.deepEqual(s.inventoryByVersion(), { '5.10.3': 1, '5.20.12': 1 });
  login(s, cfg, 'desk-1', '5.20.12', at(2));
  assert.deepEqual(s.inventoryByVersion(), { '5.20.12': 2 });
  assert.deepEqual(s.inventory().map((e) => e.name), ['desk-2', 'desk-1'], 'most recently seen last');
  assert.equal(events.filter((e) => e.type === 'inventory').length, 5);
  assert.deepEqual(s.inventory(1).map((e) => e.name), ['desk-1']);

  for (let i = 0; i < MAX_INVENTORY; i++) s.decided(`pc-${i}`, '10.0.0.2', '5.10.3', { action: 'allow', reason: 'throttled' }, at(3));
  assert.equal(s.inventorySize, MAX_INVENTORY);
  assert.equal(s.inventory(MAX_INVENTORY)[0].name, 'pc-0', 'desk-1 and desk-2 were seen least recently');
  assert.deepEqual(s.inventoryByVersion(), { '5.10.3': MAX_INVENTORY });
});

test('toData / restore: the counts and the inventory survive; offers older than 60 minutes at restore are dropped', () => {
  const cfg = config({ pauseAfterFailures: 2, maxPerHour: 10 });
  const { s } = state(cfg);
  login(s, cfg, 'a', '5.10.3', at(0));
  login(s, cfg, 'b', '4.0', at(30));
  s.outcome('a', 'failed', at(1), cfg.upgrade.currentVersion);
  const data = JSON.parse(JSON.stringify(s.toData(at(31))));
  assert.deepEqual(data.rollout, { currentVersion: '5.20.12', failures: 1, offers: [['a', at(0).toISOString()], ['b', at(30).toISOString()]] });

  const again = new RolloutState(() => undefined);
  again.restore(data, at(45));
  again.useConfig(cfg, at(45));
  assert.deepEqual(again.status(at(45)), { currentVersion: '5.20.12', offeredLastHour: 2, maxPerHour: 10, failures: 1, pauseAfterFailures: 2, paused: false });
  assert.deepEqual(again.inventory(), s.inventory());
  assert.equal(again.status(at(60)).offeredLastHour, 1);

  // Restored under a new CurrentVersion: a new count, the inventory kept.
  const other = new RolloutState(() => undefined);
  other.restore(data, at(45));
  other.useConfig(config({ pauseAfterFailures: 2 }, '5.21'), at(45));
  assert.equal(other.status(at(45)).failures, 0);
  assert.equal(other.status(at(45)).offeredLastHour, 0);
  assert.equal(other.inventory().length, 2);
});
