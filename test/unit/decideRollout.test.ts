// Spec sections 5 and 7: the [Rollout] gates of the decision, in order
// (excluded, paused, held-back, throttled), forced hours, and the bucket
// computed here from section 7's definition with node:crypto, not by the
// code under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { analyze, decide, loginOf, type ConfigFiles, type Decision, type Login, type UpgradeConfig } from '../../server/src/config';

const FILES: ConfigFiles = {
  fullSetup: { key: 'FullSetup', relPath: 'Netphone_520.exe', absPath: '/srv/Netphone_520.exe', size: 1000, sha256: 'a'.repeat(64), mtimeMs: 0 },
  patchFile: { key: 'PatchFile', relPath: 'NP_Update.exe', absPath: '/srv/NP_Update.exe', size: 10, sha256: 'b'.repeat(64), mtimeMs: 0 },
};

function config(rollout: string | null, upgradeExtra = '', current = '5.20.12'): UpgradeConfig {
  const patch = current === '5.20.12' ? 'PatchFile = NP_Update.exe\nPatchable = 5.10.*\n' : '';
  const text = `[Upgrade]\nCurrentVersion = ${current}\nFullSetup = Netphone_520.exe\n${patch}${upgradeExtra}\n${rollout === null ? '' : `[Rollout]\n${rollout}\n`}`;
  const a = analyze(text);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error'), [], `the test config must be valid:\n${text}`);
  return a.config;
}

/** Section 7: floor(u * 100 / 2^32), u the first 4 bytes (big-endian) of SHA-256(CANON + "/" + lowercase(name)). */
function specBucket(canon: string, name: string): number {
  const d = createHash('sha256').update(`${canon}/${name.toLowerCase()}`, 'utf8').digest();
  const u = ((d[0] * 256 + d[1]) * 256 + d[2]) * 256 + d[3];
  return Math.floor((u * 100) / 2 ** 32);
}

const MONDAY_NOON_UTC = new Date('2025-01-06T12:00:00Z');

function login(version: string, name: string, counts: Partial<Login['rollout']> = {}, at = MONDAY_NOON_UTC): Login {
  return { version, name, at, rollout: { offeredLastHour: 0, alreadyOffered: false, failures: 0, ...counts } };
}

/** Names whose bucket (by the spec) is below / at or above `percent` for CANON `canon`. */
function namesBy(canon: string, percent: number): { inside: string; outside: string } {
  let inside: string | undefined;
  let outside: string | undefined;
  for (let i = 0; !inside || !outside; i++) {
    const name = `desk-${i}`;
    if (specBucket(canon, name) < percent) inside ??= name;
    else outside ??= name;
  }
  return { inside, outside };
}

const strip = (d: Decision): Omit<Decision, 'bucket'> => {
  const { bucket: _bucket, ...rest } = d;
  return rest;
};

test('bucket: the value of section 7, with CANON from CurrentVersion (leading zeros and trailing zero components dropped)', () => {
  const names = ['desk-001', 'DESK-001', 'Reception', '10.1.2.3', '', 'Bürо-Ünïcode', 'a/b', 'x'.repeat(300)];
  for (const [current, canon] of [
    ['5.20.0012.0', '5.20.12'],
    ['5.20.12', '5.20.12'],
    ['6.0', '6'],
    ['6', '6'],
    ['0.0.0.0', '0'],
    ['05.00.01', '5.0.1'],
  ] as const) {
    const c = config('Percent = 50', '', current);
    for (const name of names) {
      const d = decide(c, FILES, login('not a version', name));
      assert.equal(d.bucket, specBucket(canon, name), `${current} ${name}`);
    }
  }
  // lowercase(name): the same desk whatever the case it sends
  const c = config('Percent = 50');
  assert.equal(decide(c, FILES, login('1.0', 'DESK-7')).bucket, decide(c, FILES, login('1.0', 'desk-7')).bucket);
});

test('a new CurrentVersion draws a new order: buckets differ between versions for most desks', () => {
  let differ = 0;
  for (let i = 0; i < 200; i++) if (specBucket('5.20.12', `desk-${i}`) !== specBucket('5.30', `desk-${i}`)) differ++;
  const a = config('Percent = 50', '', '5.20.12');
  const b = config('Percent = 50', '', '5.30');
  let codeDiffer = 0;
  for (let i = 0; i < 200; i++) if (decide(a, FILES, login('1.0', `desk-${i}`)).bucket !== decide(b, FILES, login('1.0', `desk-${i}`)).bucket) codeDiffer++;
  assert.equal(codeDiffer, differ);
  assert.ok(differ > 150);
});

test('bucket rides on every decision of a config with [Rollout] (reject and allow too), never without one', () => {
  const c = config('Percent = 50');
  for (const v of ['x', '5.20.12', '9.0', '5.10.3', '1.0']) assert.equal(decide(c, FILES, login(v, 'desk-1')).bucket, specBucket('5.20.12', 'desk-1'), v);
  for (const v of ['x', '5.20.12', '9.0', '5.10.3', '1.0']) assert.equal('bucket' in decide(config(null), FILES, login(v, 'desk-1')), false, v);
});

test('steps 1-4 come before the rollout: bad version, disabled, current and newer are decided whatever [Rollout] says', () => {
  const c = config('Exclude = *\nPercent = 0\nPauseAfterFailures = 1');
  assert.deepEqual(strip(decide(c, FILES, login('5.x', 'a', { failures: 5 }))), { action: 'reject', reason: 'bad-version' });
  assert.deepEqual(strip(decide(c, FILES, login('5.20.12', 'a', { failures: 5 }))), { action: 'allow', reason: 'current' });
  assert.deepEqual(strip(decide(c, FILES, login('6.0', 'a', { failures: 5 }))), { action: 'allow', reason: 'newer' });
  const off = config('Exclude = *', 'Enabled = No');
  assert.deepEqual(strip(decide(off, FILES, login('1.0', 'a'))), { action: 'allow', reason: 'upgrades-disabled' });
});

test('5. Exclude (whole name, any case, * and ?) wins over everything after it: pilot, paused, held back, throttled', () => {
  const c = config('Pilot = boss-pc\nExclude = boss-*, op-0?\nPercent = 0\nMaxPerHour = 1\nPauseAfterFailures = 1');
  for (const name of ['boss-pc', 'BOSS-PC', 'boss-', 'op-01', 'OP-0x']) {
    assert.deepEqual(strip(decide(c, FILES, login('5.10.3', name, { failures: 9, offeredLastHour: 9 }))), { action: 'allow', reason: 'excluded' }, name);
  }
  // whole name only: no partial matches; ? is exactly one character
  for (const name of ['xboss-pc', 'op-011', 'op-0']) {
    assert.notEqual(decide(c, FILES, login('5.10.3', name)).reason, 'excluded', name);
  }
});

test('`?` is one character, also outside the Basic Multilingual Plane (regression: it matched one UTF-16 unit)', () => {
  const c = config('Exclude = desk-?\nPercent = 100');
  assert.equal(decide(c, FILES, login('5.10.3', 'desk-😀')).reason, 'excluded');
  assert.equal(decide(c, FILES, login('5.10.3', 'desk-ab')).reason, 'patchable');
});

test('6. paused when the failures reach PauseAfterFailures: before held-back and throttled', () => {
  const c = config('Percent = 0\nMaxPerHour = 1\nPauseAfterFailures = 3');
  assert.deepEqual(strip(decide(c, FILES, login('5.10.3', 'desk-1', { failures: 3, offeredLastHour: 5 }))), { action: 'allow', reason: 'paused' });
  assert.deepEqual(strip(decide(c, FILES, login('5.10.3', 'desk-1', { failures: 2 }))), { action: 'allow', reason: 'held-back' });
  // no PauseAfterFailures: failures never pause
  assert.equal(decide(config('Percent = 100'), FILES, login('5.10.3', 'desk-1', { failures: 1000 })).action, 'patch');
});

test('7. held back unless Pilot or bucket < Percent; Percent = 0 holds everyone back but Pilot, Percent = 100 takes everyone', () => {
  const { inside, outside } = namesBy('5.20.12', 30);
  const c = config('Pilot = pilot-*\nPercent = 30');
  assert.equal(decide(c, FILES, login('5.10.3', inside)).action, 'patch');
  assert.deepEqual(strip(decide(c, FILES, login('5.10.3', outside))), { action: 'allow', reason: 'held-back' });
  assert.equal(decide(c, FILES, login('4.0', 'PILOT-7')).action, 'full');
  const none = config('Pilot = reception\nPercent = 0');
  assert.equal(decide(none, FILES, login('5.10.3', inside)).reason, 'held-back');
  assert.equal(decide(none, FILES, login('5.10.3', 'Reception')).reason, 'patchable');
  const all = config('Percent = 100');
  assert.equal(decide(all, FILES, login('5.10.3', outside)).reason, 'patchable');
});

test('8. throttled once MaxPerHour other clients were offered in the last hour, unless this client is one of them', () => {
  const c = config('MaxPerHour = 2');
  assert.equal(decide(c, FILES, login('5.10.3', 'd', { offeredLastHour: 1 })).action, 'patch');
  assert.deepEqual(strip(decide(c, FILES, login('5.10.3', 'd', { offeredLastHour: 2 }))), { action: 'allow', reason: 'throttled' });
  assert.equal(decide(c, FILES, login('5.10.3', 'd', { offeredLastHour: 7, alreadyOffered: true })).action, 'patch', 'a resuming client is not throttled');
  // no MaxPerHour: never throttled
  assert.equal(decide(config('Percent = 100'), FILES, login('5.10.3', 'd', { offeredLastHour: 100000 })).action, 'patch');
  // held back comes first
  const { outside } = namesBy('5.20.12', 50);
  assert.equal(decide(config('Percent = 50\nMaxPerHour = 1'), FILES, login('5.10.3', outside, { offeredLastHour: 1 })).reason, 'held-back');
});

test('forced hours: Mode = Forced forces only inside ForcedHours (in TimeZone); outside the offer is optional with modeReason', () => {
  const c = config('ForcedHours = Mon-Fri 18:00-07:00\nTimeZone = Europe/Berlin');
  const at = (iso: string): Decision => decide(c, FILES, login('5.10.3', 'd', {}, new Date(iso)));
  // Monday 13:00 in Berlin (CET, UTC+1): business hours
  assert.deepEqual(strip(at('2025-01-06T12:00:00Z')), { action: 'patch', reason: 'patchable', mode: 'optional', modeReason: 'outside-forced-hours', file: 'NP_Update.exe', size: 10, sha256: 'b'.repeat(64), matched: '5.10.*' });
  // Monday 19:30 Berlin: inside, forced, no modeReason
  const inside = at('2025-01-06T18:30:00Z');
  assert.ok(inside.action === 'patch' && inside.mode === 'forced' && inside.modeReason === undefined);
  // Tuesday 06:59 Berlin: still Monday's window; Tuesday 07:00: outside (end exclusive)
  assert.equal((at('2025-01-07T05:59:00Z') as { mode: string }).mode, 'forced');
  assert.equal((at('2025-01-07T06:00:00Z') as { mode: string }).mode, 'optional');
  // Monday 06:30 Berlin: Sunday is not in Mon-Fri, so no window runs into Monday morning
  assert.equal((at('2025-01-06T05:30:00Z') as { mode: string }).mode, 'optional');
  // Saturday 06:30 Berlin: Friday's window
  assert.equal((at('2025-01-11T05:30:00Z') as { mode: string }).mode, 'forced');
  // Monday 18:00 Berlin in summer (CEST, UTC+2) = 16:00Z: inside
  assert.equal((at('2025-07-07T16:00:00Z') as { mode: string }).mode, 'forced');
  assert.equal((at('2025-07-07T15:59:00Z') as { mode: string }).mode, 'optional');
});

test('Mode = Optional with ForcedHours: optional at every hour, without modeReason; no ForcedHours: Forced at every hour', () => {
  const opt = config('ForcedHours = Sat', 'Mode = Optional');
  for (const iso of ['2025-01-06T12:00:00Z', '2025-01-11T12:00:00Z']) {
    const d = decide(opt, FILES, login('4.0', 'd', {}, new Date(iso)));
    assert.ok(d.action === 'full' && d.mode === 'optional' && d.modeReason === undefined, JSON.stringify(d));
  }
  const always = config('Percent = 100');
  const d = decide(always, FILES, login('4.0', 'd', {}, new Date('2025-01-06T12:00:00Z')));
  assert.ok(d.action === 'full' && d.mode === 'forced' && d.modeReason === undefined);
});

test('a file without [Rollout] decides exactly as before: name, time and counts change nothing, and no bucket', () => {
  const c = config(null, 'Mode = Forced');
  const times = ['2025-01-06T12:00:00Z', '2025-03-30T01:30:00Z', '1970-01-01T00:00:00Z'].map((t) => new Date(t));
  for (const v of ['x', '1.0', '5.10.3', '5.20.12', '6']) {
    const base = decide(c, FILES, loginOf(v));
    for (const name of ['', 'desk-1', 'boss-pc']) {
      for (const at of times) {
        for (const counts of [{}, { offeredLastHour: 1e6, failures: 1e6 }, { alreadyOffered: true }]) {
          assert.deepEqual(decide(c, FILES, login(v, name, counts, at)), base, `${v} ${name} ${at.toISOString()}`);
        }
      }
    }
  }
  assert.deepEqual(decide(c, FILES, loginOf('5.10.3')), { action: 'patch', reason: 'patchable', mode: 'forced', file: 'NP_Update.exe', size: 10, sha256: 'b'.repeat(64), matched: '5.10.*' });
});
