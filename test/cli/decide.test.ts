// nsupgrade decide with the login flags of spec section 6 (--client-name,
// --at, --offered-last-hour, --failures): each gate of section 5 steps 5-8
// reached through the flags, the JSON fields of section 6 (modeReason,
// bucket), and every flag's bad value refused with a usage error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../tempDir';
import { nsupgrade, type Run } from './run';

/** Spec section 7's bucket, written from its text: the first four bytes of SHA-256("5.20.12/" + lowercase name), big-endian, times 100 over 2^32. */
function bucket(name: string): number {
  const u = createHash('sha256').update(`5.20.12/${name.toLowerCase()}`, 'utf8').digest().readUInt32BE(0);
  return Math.floor((u * 100) / 2 ** 32);
}

const dir = tempDir('nsu-decide-');
writeFileSync(join(dir, 'Netphone_520.exe'), 'full');
writeFileSync(join(dir, 'NP_Update.exe'), 'patch');
const PLAIN = join(dir, 'plain.ini');
writeFileSync(PLAIN, '[Upgrade]\nCurrentVersion = 5.20.12\nMode = Forced\nFullSetup = Netphone_520.exe\nPatchFile = NP_Update.exe\nPatchable = 5.10.*\n');
const ROLLOUT = join(dir, 'rollout.ini');
writeFileSync(
  ROLLOUT,
  [
    '[Upgrade]',
    'CurrentVersion = 5.20.12',
    'Mode = Forced',
    'FullSetup = Netphone_520.exe',
    'PatchFile = NP_Update.exe',
    'Patchable = 5.10.*',
    '[Rollout]',
    'Pilot = boss-pc',
    'Exclude = console-*',
    'Percent = 50',
    'MaxPerHour = 10',
    'PauseAfterFailures = 3',
    'ForcedHours = Mon-Fri 19:00-07:00',
    'TimeZone = Europe/Berlin',
    '',
  ].join('\n'),
);

/** Desk names on either side of Percent = 50, found by the spec's bucket. */
const names = Array.from({ length: 200 }, (_, i) => `desk-${i}`);
const IN = names.find((n) => bucket(n) < 50)!;
const OUT = names.find((n) => bucket(n) >= 50)!;
// Tuesday 3 March 2026: 22:00 in Berlin is inside the window, 10:00 outside.
const NIGHT = '2026-03-03T22:00+01:00';
const DAY = '2026-03-03T09:00Z';

function decideJson(file: string, ...flags: string[]): Record<string, unknown> {
  const r = nsupgrade('decide', file, '--format', 'json', ...flags);
  assert.equal(r.code, 0, `${flags.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

test('without [Rollout]: the fields of v1, no bucket, whatever the flags', () => {
  const d = decideJson(PLAIN, '--client-version', '5.10.3', '--client-name', OUT, '--at', DAY, '--offered-last-hour', '99', '--failures', '99');
  assert.deepEqual(Object.keys(d), ['action', 'reason', 'mode', 'file', 'size', 'sha256']);
  assert.deepEqual([d.action, d.reason, d.mode, d.file, d.size], ['patch', 'patchable', 'forced', 'NP_Update.exe', 5]);
});

test('with [Rollout]: bucket on every decision, as spec section 7 computes it', () => {
  for (const [version, action] of [['5.10.3', 'patch'], ['4.0', 'full'], ['5.20.12', 'allow'], ['five', 'reject']] as const) {
    const d = decideJson(ROLLOUT, '--client-version', version, '--client-name', IN, '--at', NIGHT);
    assert.equal(d.action, action, version);
    assert.equal(d.bucket, bucket(IN), version);
    assert.equal(Object.keys(d).at(-1), 'bucket');
  }
  // No --client-name: the empty name, and its bucket.
  assert.equal(decideJson(ROLLOUT, '--client-version', '5.20.12').bucket, bucket(''));
});

test('--client-name: Exclude, Pilot (any case) and Percent by bucket', () => {
  assert.deepEqual(decideJson(ROLLOUT, '--client-version', '5.10.3', '--client-name', 'console-7', '--at', NIGHT), { action: 'allow', reason: 'excluded', bucket: bucket('console-7') });
  assert.equal(decideJson(ROLLOUT, '--client-version', '5.10.3', '--client-name', OUT, '--at', NIGHT).reason, 'held-back');
  assert.equal(decideJson(ROLLOUT, '--client-version', '5.10.3', '--client-name', IN, '--at', NIGHT).action, 'patch');
  const boss = decideJson(ROLLOUT, '--client-version', '5.10.3', '--client-name', 'Boss-PC', '--at', NIGHT);
  assert.equal(boss.action, 'patch');
  assert.equal(boss.bucket, bucket('Boss-PC'));
});

test('--at: forced inside ForcedHours (Berlin time), optional with modeReason outside', () => {
  const night = decideJson(ROLLOUT, '--client-version', '4.0', '--client-name', IN, '--at', NIGHT);
  assert.equal(night.mode, 'forced');
  assert.equal('modeReason' in night, false);
  const day = decideJson(ROLLOUT, '--client-version', '4.0', '--client-name', IN, '--at', DAY);
  assert.deepEqual([day.mode, day.modeReason], ['optional', 'outside-forced-hours']);
  // In the order of spec section 6.
  assert.deepEqual(Object.keys(day), ['action', 'reason', 'mode', 'modeReason', 'file', 'size', 'sha256', 'bucket']);
  const text = nsupgrade('decide', ROLLOUT, '--client-version', '4.0', '--client-name', IN, '--at', DAY);
  assert.match(text.stdout, /^ {2}mode {4}optional \(outside-forced-hours: 2026-03-03T09:00:00\.000Z is outside \[Rollout\] ForcedHours/m);
  assert.match(text.stdout, new RegExp(`^ {2}bucket {2}${bucket(IN)} `, 'm'));
});

test('--offered-last-hour: MaxPerHour = 10 other clients throttle; 9 do not', () => {
  assert.equal(decideJson(ROLLOUT, '--client-version', '5.10.3', '--client-name', IN, '--at', NIGHT, '--offered-last-hour', '9').action, 'patch');
  assert.deepEqual(decideJson(ROLLOUT, '--client-version', '5.10.3', '--client-name', IN, '--at', NIGHT, '--offered-last-hour', '10'), { action: 'allow', reason: 'throttled', bucket: bucket(IN) });
});

test('--failures: PauseAfterFailures = 3 pauses the rollout; 2 does not', () => {
  assert.equal(decideJson(ROLLOUT, '--client-version', '5.10.3', '--client-name', IN, '--at', NIGHT, '--failures', '2').action, 'patch');
  assert.equal(decideJson(ROLLOUT, '--client-version', '5.10.3', '--client-name', OUT, '--at', NIGHT, '--failures', '3').reason, 'paused');
});

test('every flag refuses a bad value with a usage error (exit 2) that names it', () => {
  const refused = (flags: string[], message: string): void => {
    const r: Run = nsupgrade('decide', ROLLOUT, '--client-version', '5.10.3', ...flags);
    assert.equal(r.code, 2, `${flags.join(' ')}: ${r.stdout}`);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.startsWith(`nsupgrade decide: ${message}`), `${flags.join(' ')}: ${r.stderr}`);
  };
  for (const at of ['2026-03-03T10:00', '2026-03-03', 'tomorrow', '2026-02-30T10:00Z', '2026-03-03T24:00Z', '2026-03-03T10:00+1']) refused(['--at', at], `--at must be an ISO 8601 time with an offset or Z, such as 2026-03-03T10:00+01:00, not "${at}"`);
  for (const k of ['-1', '1.5', 'ten', '', '1e3']) refused(['--offered-last-hour', k], `--offered-last-hour must be a whole number from 0 to 1000000000, not "${k}"`);
  for (const f of ['-2', 'x']) refused(['--failures', f], `--failures must be a whole number from 0 to 1000000000, not "${f}"`);
  refused(['--client-name', 'desk\n2'], '--client-name must not hold control characters (U+000A at character 5)');
  refused(['--client-name', 'x'.repeat(129)], '--client-name has at most 128 characters, not 129');
  refused(['--at'], "option '--at <TIME>' argument missing");
});

test('--at accepts seconds, fractions and any offset', () => {
  for (const at of ['2026-03-03T21:00:00Z', '2026-03-03T21:00:00.5Z', '2026-03-03T16:00-05:00']) {
    assert.equal(decideJson(ROLLOUT, '--client-version', '4.0', '--client-name', IN, '--at', at).mode, 'forced', at);
  }
});
