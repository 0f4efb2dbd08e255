// Spec section 8: the state file. Atomic replace (a process killed with
// SIGKILL in the middle of saves leaves the old or the new state, never half
// of one), at most one save a second and one at shutdown, a file that cannot
// be read set aside and reported (never fatal), and the state surviving a
// restart of the real server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkState, readStateFile, StateSaver, writeFileAtomic } from '../../server/src/upgrade/stateFile';
import type { StateData } from '../../server/src/upgrade/rolloutState';
import type { ServerEvent } from '../../server/src/upgrade/events';
import { tempDir } from '../tempDir';
import { configText, failedUpgrade, hello, makeFixture, start } from './helpers';

const NOW = new Date('2026-03-03T09:00:00.250Z');
const EMPTY: StateData = { nsupgradeState: 1, rollout: null, clients: [] };

test('writeFileAtomic then readStateFile: the same state; no file is empty state; temporary files of a killed process are removed', async () => {
  const dir = tempDir('nsu-state-');
  const path = join(dir, 'upgrade-state.json');
  assert.deepEqual(await readStateFile(path, NOW), { kind: 'missing' });
  const data: StateData = {
    nsupgradeState: 1,
    rollout: { currentVersion: '5.20.12', failures: 2, offers: [['desk-1', '2026-03-03T08:30:00.000Z']] },
    clients: [{ name: 'Desk-1', lastLogin: '2026-03-03T08:30:00.000Z', address: '10.1.2.3', version: '5.10.3', decision: { action: 'patch', reason: 'patchable', mode: 'forced' }, outcome: 'failed' }],
  };
  await writeFileAtomic(path, JSON.stringify(data));
  writeFileSync(`${path}.4242.7.tmp`, '{"half');
  writeFileSync(join(dir, 'other.json.1.2.tmp'), 'not ours');
  assert.deepEqual(await readStateFile(path, NOW), { kind: 'ok', data });
  assert.deepEqual(readdirSync(dir).sort(), ['other.json.1.2.tmp', 'upgrade-state.json']);
});

test('a file that is not a state file is set aside as .corrupt-<time> and reported with where it is wrong', async () => {
  const dir = tempDir('nsu-state-');
  const path = join(dir, 'upgrade-state.json');
  writeFileSync(path, '{"nsupgradeState": 1, "rollout": null, "clients": [');
  const first = await readStateFile(path, NOW);
  assert.equal(first.kind, 'corrupt');
  assert.equal(first.kind === 'corrupt' && first.setAside, `${path}.corrupt-2026-03-03T09-00-00Z`);
  assert.match(first.kind === 'corrupt' ? first.message : '', /^not JSON/);
  assert.equal(existsSync(path), false);
  assert.equal(readFileSync(`${path}.corrupt-2026-03-03T09-00-00Z`, 'utf8'), '{"nsupgradeState": 1, "rollout": null, "clients": [', 'kept as it was, for a person to look at');
  // A second one in the same second gets its own name.
  writeFileSync(path, JSON.stringify({ ...EMPTY, clients: [{ name: 'a', lastLogin: NOW.toISOString(), address: '', version: 5, decision: { action: 'allow', reason: 'current' } }] }));
  const second = await readStateFile(path, NOW);
  assert.deepEqual(second, { kind: 'corrupt', message: 'clients[0]: version must be a string', setAside: `${path}.corrupt-2026-03-03T09-00-00Z-2` });
});

test('checkState names what is wrong', () => {
  assert.equal(checkState(EMPTY), null);
  assert.equal(checkState([]), 'not an nsupgrade state file (no "nsupgradeState": 1)');
  assert.equal(checkState({ nsupgradeState: 2, rollout: null, clients: [] }), 'not an nsupgrade state file (no "nsupgradeState": 1)');
  assert.equal(checkState({ ...EMPTY, rollout: { currentVersion: '5.20.12', failures: -1, offers: [] } }), 'rollout.failures must be a whole number');
  assert.equal(checkState({ ...EMPTY, rollout: { currentVersion: '5.20.12', failures: 0, offers: [['a', 'yesterday']] } }), 'rollout.offers[0] must be [name, time]');
  assert.equal(checkState({ ...EMPTY, rollout: { currentVersion: '5.20.12', failures: 1, offers: [], pausedAt: 'at lunch' } }), 'rollout.pausedAt must be a time');
  assert.equal(checkState({ ...EMPTY, rollout: { currentVersion: '5.20.12', failures: 1, offers: [], pausedAt: NOW.toISOString() } }), null);
  assert.equal(checkState({ ...EMPTY, clients: [{ name: 'a', lastLogin: NOW.toISOString(), address: '', version: '1', decision: { action: 'wait', reason: 'x' } }] }), 'clients[0]: decision must have an action and a reason');
  assert.equal(checkState({ ...EMPTY, clients: [{ name: 'a', lastLogin: NOW.toISOString(), address: '', version: '1', decision: { action: 'allow', reason: 'x' }, outcome: 'exploded' }] }), 'clients[0]: unknown outcome "exploded"');
});

test('StateSaver: many changes at once are one save; the next save starts no sooner than a second after; flush saves what is pending; a failure is said once', async () => {
  const dir = tempDir('nsu-state-');
  const path = join(dir, 'state.json');
  let version = 0;
  const saves: { at: number; version: number }[] = [];
  const errors: string[] = [];
  const saver = new StateSaver({
    path,
    snapshot: () => ({ ...EMPTY, rollout: { currentVersion: '1', failures: version, offers: [] } }),
    onError: (m) => errors.push(m),
    onSaved: (d) => saves.push({ at: performance.now(), version: d.rollout?.failures ?? -1 }),
  });
  for (version = 1; version <= 50; version++) saver.changed();
  await saver.flush();
  assert.deepEqual(saves.map((s) => s.version), [51], 'one save, of the latest state');
  const firstStart = performance.now();
  version = 60;
  saver.changed();
  const deadline = Date.now() + 5000;
  while (saves.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(saves.length, 2);
  assert.ok(saves[1].at - firstStart >= 900, `the second save waited for the interval (${Math.round(saves[1].at - firstStart)} ms)`);
  version = 70;
  saver.changed();
  await saver.flush();
  assert.equal(JSON.parse(readFileSync(path, 'utf8')).rollout.failures, 70, 'flush saves at once, whatever the interval');
  rmSync(dir, { recursive: true });
  for (version = 80; version < 83; version++) {
    saver.changed();
    await saver.flush();
  }
  assert.equal(errors.length, 1, 'a folder that went away is said once, not at every save');
  assert.match(errors[0], /^ENOENT/);
});

test('kill -9 in the middle of saves: the next start reads the old or the new state, never a half-written one', async () => {
  const dir = tempDir('nsu-kill-');
  const path = join(dir, 'upgrade-state.json');
  const script = join(__dirname, 'fixtures', 'stateWriter.ts');
  for (let round = 0; round < 6; round++) {
    const child = spawn(process.execPath, ['--import', 'tsx', script, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let saved = -1;
    let savedCount = 0;
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout.on('data', (b: Buffer) => {
      for (const m of b.toString().matchAll(/saved (\d+)/g)) {
        saved = Number(m[1]);
        savedCount++;
      }
    });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
    // Wait for a few saves, then kill at a moment that varies from round to round.
    const deadline = Date.now() + 20_000;
    while (savedCount < 2 + round && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.ok(savedCount >= 2, `the writer saved (${stderr})`);
    await new Promise((r) => setTimeout(r, 3 + round * 7));
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    const read = await readStateFile(path, NOW);
    assert.equal(read.kind, 'ok', `round ${round}: ${read.kind === 'corrupt' ? read.message : read.kind}`);
    if (read.kind !== 'ok') return;
    // The old state or a newer one: at least the last save the writer finished.
    const failures = read.data.rollout?.failures ?? -1;
    assert.ok(failures >= saved, `round ${round}: the file holds ${failures} failures, the last finished save ${saved}`);
    assert.equal(read.data.clients.length, 10_000);
    // The next writer starts from empty state again and counts up anew.
    rmSync(path);
  }
});

// ------------------------------------------------ through the real server

function withState(rollout = 'PauseAfterFailures = 1'): string {
  return `${configText()}[Rollout]\n${rollout}\n`;
}

async function decisionReason(port: number, name: string): Promise<string> {
  const c = await hello(port);
  c.send({ type: 'login', version: '4.0', name });
  const d = await c.message();
  c.close();
  return d.type === 'decision' ? d.reason : d.type;
}

test('the state survives a restart (still paused since the same time, the inventory kept); a restart with the state file deleted starts afresh (resumed)', async () => {
  const fx = makeFixture(withState());
  const statePath = join(fx.dir, 'upgrade-state.json');
  let { server, port } = await start(fx, { now: () => NOW });
  await failedUpgrade(port, '4.0', 'desk-1');
  assert.equal(server.rolloutStatus().paused, true);
  await server.close();
  const saved = JSON.parse(readFileSync(statePath, 'utf8')) as StateData;
  assert.deepEqual(saved.rollout, { currentVersion: '5.20.12', failures: 1, offers: [['desk-1', NOW.toISOString()]], pausedAt: NOW.toISOString() }, 'saved at shutdown');

  // Restarted an hour later: the pause is still the one from before, not the start.
  const later = new Date(NOW.getTime() + 3_600_000);
  ({ server, port } = await start(fx, { now: () => later }));
  const events: ServerEvent[] = [];
  server.on('event', (e: ServerEvent) => events.push(e));
  try {
    assert.equal(server.rolloutStatus().paused, true);
    assert.equal(server.rolloutStatus().pausedAt, NOW.toISOString());
    assert.deepEqual(server.inventory().map((c) => [c.name, c.outcome]), [['desk-1', 'failed']]);
    assert.equal(await decisionReason(port, 'desk-2'), 'paused');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(events.filter((e) => e.type === 'rollout-paused'), [{ type: 'rollout-paused', currentVersion: '5.20.12', failures: 1, pauseAfterFailures: 1, since: NOW.toISOString() }], 'a listener hears the pause found at start, with its first time');
  } finally {
    await server.close();
  }

  rmSync(statePath);
  ({ server, port } = await start(fx, { now: () => NOW }));
  try {
    assert.equal(server.rolloutStatus().paused, false);
    assert.equal(await decisionReason(port, 'desk-2'), 'not-patchable');
  } finally {
    await server.close();
  }
});

test('a corrupt state file: the server starts with empty state, sets the file aside, says so, and saves a good one', async () => {
  const fx = makeFixture(withState());
  const statePath = join(fx.dir, 'upgrade-state.json');
  writeFileSync(statePath, 'garbage\u0000');
  const { server, port, events } = await start(fx, { now: () => NOW });
  try {
    await new Promise((r) => setImmediate(r));
    const corrupt = events.find((e) => e.type === 'state-file-corrupt');
    assert.deepEqual(corrupt && { ...corrupt, message: corrupt.type === 'state-file-corrupt' && corrupt.message.startsWith('not JSON') }, {
      type: 'state-file-corrupt',
      path: statePath,
      setAside: `${statePath}.corrupt-2026-03-03T09-00-00Z`,
      message: true,
    });
    assert.equal(readFileSync(`${statePath}.corrupt-2026-03-03T09-00-00Z`, 'utf8'), 'garbage\u0000');
    assert.equal(await decisionReason(port, 'desk-1'), 'not-patchable', 'serves as usual');
  } finally {
    await server.close();
  }
  assert.equal(checkState(JSON.parse(readFileSync(statePath, 'utf8'))), null, 'a good state file replaced it');
});

test('StateFile = None keeps the state in memory: nothing is written', async () => {
  const fx = makeFixture(withState().replace('[Server]\n', '[Server]\nStateFile = None\n'));
  const { server, port } = await start(fx, { now: () => NOW });
  await failedUpgrade(port, '4.0', 'desk-1');
  await server.close();
  assert.deepEqual(readdirSync(fx.dir).sort(), ['files', 'upgrade.ini']);
});
