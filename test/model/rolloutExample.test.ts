// examples/pilot-rollout.ini: valid as shipped, and it decides what its comments
// (and examples/README.md) say, at login times chosen on the office's clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { decide, loadConfig, type Decision, type Login } from '../../server/src/config';

const ROOT = join(__dirname, '..', '..');
const FILE = join(ROOT, 'examples', 'pilot-rollout.ini');

function login(name: string, iso: string, counts: Partial<Login['rollout']> = {}, version = '5.10.3'): Login {
  return { version, name, at: new Date(iso), rollout: { offeredLastHour: 0, alreadyOffered: false, failures: 0, ...counts } };
}

// Tuesday 7 January 2025 in Berlin (CET, UTC+1): 10:00 is 09:00Z, 22:00 is 21:00Z.
const TUESDAY_10 = '2025-01-07T09:00:00Z';
const TUESDAY_22 = '2025-01-07T21:00:00Z';
const SATURDAY_10 = '2025-01-11T09:00:00Z';

test('nsupgrade check examples/pilot-rollout.ini and examples/rollout.ini: nothing to say, exit 0', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'check', FILE, join(ROOT, 'examples', 'rollout.ini')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.stdout, '');
});

test('examples/pilot-rollout.ini decides as its comments say', async () => {
  const loaded = await loadConfig(FILE);
  assert.ok(loaded.ok, JSON.stringify(loaded.diagnostics));
  assert.equal(loaded.config.server.maxRate, 6_250_000, '50Mbit');
  assert.equal(loaded.stateFile, null);
  const d = (l: Login): Decision => decide(loaded.config, loaded.files, l);
  const brief = (x: Decision): string => [x.action, x.reason, 'mode' in x ? x.mode : '', 'modeReason' in x ? (x.modeReason ?? '') : ''].join(' ').trim();
  // pilot desks: in the rollout although Percent = 0; forced at night, optional by day
  assert.equal(brief(d(login('reception-01', TUESDAY_10))), 'patch patchable optional outside-forced-hours');
  assert.equal(brief(d(login('Pilot-07', TUESDAY_22))), 'patch patchable forced');
  assert.equal(brief(d(login('pilot-2', SATURDAY_10, {}, '4.0'))), 'full not-patchable forced');
  // everyone else waits for a higher Percent; operators never
  assert.equal(brief(d(login('desk-001', TUESDAY_22))), 'allow held-back');
  assert.equal(brief(d(login('operator-3', TUESDAY_22))), 'allow excluded');
  // 30 other desks offered in the last hour: throttled; three failures: paused
  assert.equal(brief(d(login('pilot-3', TUESDAY_22, { offeredLastHour: 30 }))), 'allow throttled');
  assert.equal(brief(d(login('pilot-3', TUESDAY_22, { failures: 3 }))), 'allow paused');
  // the same file with Percent = 100: every desk but the operators
  const all = { ...loaded.config, rollout: { ...loaded.config.rollout!, percent: 100 } };
  assert.equal(decide(all, loaded.files, login('desk-001', TUESDAY_22)).action, 'patch');
});
