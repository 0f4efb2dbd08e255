// The library API the CLI and the VS Code extension call, against the real
// upgrade server on 127.0.0.1: decisions for any version agree with decide(),
// a drop at any point of the download resumes where it stopped, progress and
// cancellation, one-desk logins, and a patch that loops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { decide, loginOf, loadConfig } from '../../server/src/config';
import { SimulationCancelledError, simulateFleet, simulateLogin } from '../../server/src/simulator';
import type { FleetEntry } from '../../server/src/simulator/fleet';
import { bytes, configText, makeFixture, start } from '../upgrade/helpers';

const desk = (version: string, more: Partial<FleetEntry> = {}): FleetEntry => ({ version, count: 1, decline: 0, apps: [], keepOpen: 0, ...more });

// Versions near the fixture's boundaries (CurrentVersion 5.20.12, Patchable
// 5.10.*, 5.11.1 - 5.11.99), anything else, and text that is not a version.
const versionArb = fc.oneof(
  fc.tuple(fc.constantFrom(4, 5, 6), fc.constantFrom(0, 9, 10, 11, 19, 20, 21), fc.constantFrom(0, 1, 11, 12, 13, 99, 100, 65535)).map((p) => p.join('.')),
  fc.array(fc.integer({ min: 0, max: 70000 }), { minLength: 1, maxLength: 5 }).map((p) => p.join('.')),
  fc.string({ maxLength: 12 }).filter((s) => !s.includes(',') && s.trim() === s && s.length > 0),
);

test('for any client version, the simulated decision is the one decide() makes', async () => {
  const fx = makeFixture(configText({ mode: 'Optional' }));
  const loaded = await loadConfig(fx.ini);
  const versions = fc.sample(fc.array(versionArb, { minLength: 150, maxLength: 150 }), { numRuns: 1, seed: 42 })[0];
  const r = await simulateFleet({ target: { configPath: fx.ini }, clients: versions.map((v) => desk(v)), concurrency: 20 });
  assert.equal(r.clients.length, versions.length);
  const seen = new Set<string>();
  for (const c of r.clients) {
    const d = decide(loaded.config, loaded.files, loginOf(c.version));
    seen.add(d.action);
    assert.equal(c.action, d.action, c.version);
    assert.equal(c.reason, d.reason, c.version);
    if (d.action === 'patch' || d.action === 'full') {
      assert.equal(c.mode, d.mode, c.version);
      assert.equal(c.file, basename(d.file), c.version);
      assert.equal(c.outcome, 'upgraded', c.version);
    } else assert.equal(c.outcome, d.action === 'allow' ? 'let-in' : 'rejected', c.version);
  }
  assert.deepEqual([...seen].sort(), ['allow', 'full', 'patch', 'reject'], 'the sample reaches every decision');
  assert.equal(r.totals.allow + r.totals.patch + r.totals.full + r.totals.reject, versions.length);
});

test('a drop at any point of the download resumes where it stopped and verifies', async () => {
  const fx = makeFixture(configText(), 400_000);
  const { server, port, events } = await start(fx, { chunkBytes: 16 * 1024 });
  try {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 99 }), async (dropAt) => {
        const before = events.length;
        const r = await simulateFleet({ target: { host: '127.0.0.1', port }, clients: [desk('4.0', { dropAt })] });
        const c = r.clients[0];
        assert.equal(c.outcome, 'upgraded', c.story.join('\n'));
        assert.equal(c.resumes, 1);
        assert.equal(c.bytes, fx.full.length, 'every byte once');
        const starts = events.slice(before).filter((e) => e.type === 'transfer-start');
        assert.equal(starts.length, 2);
        const offset = starts[1].type === 'transfer-start' ? starts[1].offset : -1;
        // The desk cut at the first chunk that reached dropAt% and resumed there.
        assert.ok(offset >= Math.floor((fx.full.length * dropAt) / 100) && offset < fx.full.length, `resumed at ${offset} for dropAt ${dropAt}`);
      }),
      { numRuns: 12, seed: 5 },
    );
  } finally {
    await server.close();
  }
});

test('progress comes once per desk, in order, with the desk', async () => {
  const fx = makeFixture();
  const seen: { done: number; total: number; id?: number }[] = [];
  const r = await simulateFleet({ target: { configPath: fx.ini }, clients: '5.20.12:6,5.10.3:3,4.0:2', concurrency: 4, onProgress: (p) => seen.push({ done: p.done, total: p.total, id: p.client?.id }) });
  assert.deepEqual(seen.map((p) => p.done), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.ok(seen.every((p) => p.total === 11));
  assert.deepEqual(seen.map((p) => p.id).sort((a, b) => (a ?? 0) - (b ?? 0)), r.clients.map((c) => c.id));
});

test('cancelling stops the fleet: no new desks start, and the run rejects', async () => {
  const fx = makeFixture();
  const ac = new AbortController();
  let calls = 0;
  const run = simulateFleet({
    target: { configPath: fx.ini },
    clients: '5.20.12:400',
    concurrency: 2,
    signal: ac.signal,
    onProgress: () => {
      if (++calls === 5) ac.abort();
    },
  });
  await assert.rejects(run, (err: unknown) => {
    assert.ok(err instanceof SimulationCancelledError, String(err));
    // What finished before the cancel is kept, marked cancelled (issue 11 observation 14).
    assert.equal(err.partial.clients.length, 5, 'the 5 desks that finished before the cancel; those cut off are not in it');
    assert.deepEqual(err.partial.cancelled, { done: 5, total: 400 });
    assert.ok(err.partial.clients.every((c) => c.outcome === 'let-in'), JSON.stringify(err.partial.totals));
    return /cancelled/.test(err.message);
  });
  assert.ok(calls >= 5 && calls <= 7, `${calls} desks finished; at most the 2 running when cancelled may finish after`);
});

test('one desk (Simulate Client Login): its story, Setup warning and outcome', async () => {
  const fx = makeFixture();
  const busy = await simulateLogin({ target: { configPath: fx.ini }, version: '4.0', apps: ['Chat', 'Excel'], keepsAppsOpen: true });
  assert.equal(busy.action, 'full');
  assert.equal(busy.outcome, 'restart-required');
  assert.match(busy.warning ?? '', /Chat/);
  assert.doesNotMatch(busy.warning ?? '', /Excel/, 'only ConflictingApps are named');
  assert.equal(busy.finalVersion, '5.20.12');
  assert.ok(busy.story.length >= 4, busy.story.join('\n'));
  assert.match(busy.story[busy.story.length - 1], /logged in again with 5\.20\.12: let in/);

  const exits = await simulateLogin({ target: { configPath: fx.ini }, version: '5.10.3', apps: ['DSS'], keepsAppsOpen: false });
  assert.equal(exits.outcome, 'upgraded');
  assert.match(exits.warning ?? '', /the user did/);

  assert.equal((await simulateLogin({ target: { configPath: fx.ini }, version: '5.20.12' })).outcome, 'let-in');
  assert.equal((await simulateLogin({ target: { configPath: fx.ini }, version: 'five' })).outcome, 'rejected');
});

test('an optional upgrade declined by policy downloads nothing; a forced one cannot be declined', async () => {
  const optional = makeFixture(configText({ mode: 'Optional' }));
  const o = await simulateFleet({ target: { configPath: optional.ini }, clients: [desk('4.0', { decline: 1, count: 3 })] });
  assert.deepEqual(o.clients.map((c) => [c.outcome, c.bytes, c.finalVersion]), Array(3).fill(['declined', 0, '4.0']));
  const forced = makeFixture(configText({ mode: 'Forced' }));
  const f = await simulateFleet({ target: { configPath: forced.ini }, clients: [desk('4.0', { decline: 1 })] });
  assert.equal(f.clients[0].outcome, 'upgraded');
});

test('a patch that installs an older version than CurrentVersion is an upgrade loop', async () => {
  const fx = makeFixture();
  const stale = bytes(5_000, 31);
  Buffer.from('MZ\r\nNetPhone-Version: 5.11.40\r\n').copy(stale);
  writeFileSync(join(fx.dir, 'files', 'NP_Update.exe'), stale);
  const r = await simulateFleet({ target: { configPath: fx.ini }, clients: '5.10.3:2,4.0' });
  const patched = r.clients.filter((c) => c.version === '5.10.3');
  assert.deepEqual(patched.map((c) => [c.outcome, c.finalVersion]), [
    ['loop', '5.11.40'],
    ['loop', '5.11.40'],
  ]);
  assert.match(patched[0].error ?? '', /PatchFile does not bring clients to CurrentVersion/);
  assert.equal(r.clients.find((c) => c.version === '4.0')?.outcome, 'upgraded');
  assert.equal(r.failures, 2);
  assert.equal(r.totals.loop, 2);
});
