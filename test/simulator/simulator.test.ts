// Simulated Net Phone desks against a real upgrade server on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decide, loginOf, loadConfig } from '../../server/src/config';
import { simulateFleet, parseFleetSpec, FleetError, type ClientReport } from '../../server/src/simulator';
import { parseFleetCsv } from '../../server/src/simulator/fleet';
import { runSetup } from '../../server/src/simulator/setup';
import { encodeControl, encodeDataHeader, FrameDecoder } from '../../server/src/upgrade/codec';
import { bytes, configText, makeFixture, sha256 } from '../upgrade/helpers';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

function count(clients: ClientReport[], outcome: string): number {
  return clients.filter((c) => c.outcome === outcome).length;
}

test('a fleet covering every outcome gives exactly the expected counts', async () => {
  const fx = makeFixture(configText({ mode: 'Optional' }), 600_000);
  const fleet = [
    { version: '5.20.12', count: 3, decline: 0, apps: [], keepOpen: 0 }, // let-in
    { version: '6.1', count: 1, decline: 0, apps: [], keepOpen: 0 }, // let-in (newer)
    { version: '5.10.3', count: 4, decline: 0, apps: [], keepOpen: 0 }, // patch, upgraded
    { version: '5.10.7', count: 2, decline: 0, apps: ['Chat'], keepOpen: 1 }, // patch, restart-required
    { version: '5.11.5', count: 2, decline: 0, apps: ['DSS'], keepOpen: 0 }, // patch, user exits: upgraded
    { version: '4.0', count: 3, decline: 1, apps: [], keepOpen: 0 }, // full, declined
    { version: '4.5', count: 2, decline: 0, apps: [], keepOpen: 0, dropAt: 40 }, // full, resumed, upgraded
    { version: 'garbage', count: 1, decline: 0, apps: [], keepOpen: 0 }, // rejected
  ];
  const r = await simulateFleet({ target: { configPath: fx.ini }, clients: fleet, concurrency: 5 });
  assert.equal(r.clients.length, 18);
  assert.deepEqual(
    { letIn: count(r.clients, 'let-in'), upgraded: count(r.clients, 'upgraded'), restart: count(r.clients, 'restart-required'), declined: count(r.clients, 'declined'), rejected: count(r.clients, 'rejected') },
    { letIn: 4, upgraded: 4 + 2 + 2, restart: 2, declined: 3, rejected: 1 },
  );
  assert.deepEqual([r.totals.allow, r.totals.patch, r.totals.full, r.totals.reject], [4, 8, 5, 1]);
  assert.equal(r.failures, 0);
  const resumed = r.clients.filter((c) => c.version === '4.5');
  assert.ok(resumed.every((c) => c.resumes === 1 && c.outcome === 'upgraded' && c.bytes === fx.full.length));
  const restart = r.clients.find((c) => c.outcome === 'restart-required')!;
  assert.match(restart.warning ?? '', /Chat/);
});

test('every decision agrees with decide() for the same version', async () => {
  const fx = makeFixture();
  const loaded = await loadConfig(fx.ini);
  const versions = ['5.20.12', '5.20.12.1', '5.20', '5.10', '5.10.65535', '5.11.1', '5.11.99', '5.11.100', '5.9', '1', '0.0.0.1', 'x.y', '70000'];
  const r = await simulateFleet({ target: { configPath: fx.ini }, clients: versions.map((version) => ({ version, count: 1, decline: 0, apps: [], keepOpen: 0 })) });
  for (const c of r.clients) assert.equal(c.action, decide(loaded.config, loaded.files, loginOf(c.version)).action, c.version);
});

test('a tampered download is caught before installing, and reported as failed', async () => {
  const real = bytes(10_000, 3);
  const tampered = Buffer.from(real);
  tampered[5000] ^= 0xff;
  const results: unknown[] = [];
  const fake = createServer((socket) => {
    // A fake peer on purpose: only a lying server can provoke this.
    const d = new FrameDecoder();
    socket.on('data', (chunk) => {
      for (const f of d.push(chunk)) {
        if (f.kind !== 'control') continue;
        const m = f.json as { type: string };
        if (m.type === 'hello') socket.write(encodeControl({ type: 'welcome', protocol: 1, server: 'fake' }));
        if (m.type === 'login') {
          socket.write(encodeControl({ type: 'decision', action: 'full', reason: 'not-patchable', mode: 'forced' }));
          socket.write(encodeControl({ type: 'offer', kind: 'full', mode: 'forced', file: 'x.exe', size: real.length, sha256: sha256(real), version: '9.0', setup: { conflictingApps: [], restartIfBusy: true } }));
        }
        if (m.type === 'accept') {
          socket.write(encodeControl({ type: 'start', offset: 0, size: real.length, sha256: sha256(real) }));
          socket.write(Buffer.concat([encodeDataHeader(tampered.length), tampered]));
          socket.write(encodeControl({ type: 'done', bytes: tampered.length }));
        }
        if (m.type === 'result') results.push(m);
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  try {
    const port = (fake.address() as { port: number }).port;
    const r = await simulateFleet({ target: { host: '127.0.0.1', port }, clients: '1.0' });
    assert.equal(r.clients[0].outcome, 'hash-mismatch');
    assert.equal(r.failures, 1);
    assert.ok(!r.clients[0].story.some((s) => s.startsWith('Setup installed')), 'never installed');
    assert.equal(r.clients[0].finalVersion, '1.0');
    await new Promise((res) => setTimeout(res, 50));
    assert.deepEqual(results, [{ type: 'result', previousVersion: '1.0', outcome: 'failed', errorCode: 'hash-mismatch', downloadMs: (results[0] as { downloadMs: number }).downloadMs }]);
  } finally {
    await new Promise((r) => fake.close(r));
  }
});

test('a full setup that does not bring clients to CurrentVersion is an upgrade loop', async () => {
  const fx = makeFixture();
  // The admin copied last release's setup: it installs 5.19.
  const old = bytes(50_000, 5);
  Buffer.from('MZ\r\nNetPhone-Version: 5.19.0\r\n').copy(old);
  writeFileSync(join(fx.dir, 'files', 'Netphone_520.exe'), old);
  const r = await simulateFleet({ target: { configPath: fx.ini }, clients: '4.0:2,5.10.3' });
  const full = r.clients.filter((c) => c.version === '4.0');
  assert.ok(full.every((c) => c.outcome === 'loop' && c.finalVersion === '5.19.0'));
  assert.match(full[0].error ?? '', /FullSetup does not bring clients to CurrentVersion/);
  assert.equal(r.clients.find((c) => c.version === '5.10.3')?.outcome, 'upgraded');
  assert.equal(r.failures, 2);
});

test('Setup: conflicting apps, the user, and RestartIfBusy', () => {
  const s = { conflictingApps: ['Chat', 'DSS'], restartIfBusy: true };
  assert.equal(runSetup(s, [], false).outcome, 'upgraded');
  assert.equal(runSetup(s, ['Excel'], false).outcome, 'upgraded');
  assert.equal(runSetup(s, ['chat'], true).outcome, 'upgraded');
  assert.equal(runSetup(s, ['Chat', 'DSS'], false).outcome, 'restart-required');
  assert.equal(runSetup({ ...s, restartIfBusy: false }, ['DSS'], false).outcome, 'upgraded');
  assert.match(runSetup(s, ['DSS'], false).warning ?? '', /DSS/);
});

test('fleet specs and files: counts, columns, and errors that say where', () => {
  assert.deepEqual(parseFleetSpec('5.10.3:200, 4.90:50,5.20.12').map((e) => [e.version, e.count]), [['5.10.3', 200], ['4.90', 50], ['5.20.12', 1]]);
  assert.throws(() => parseFleetSpec('5.1:2,,4.0'), (e: unknown) => e instanceof FleetError && /column 7/.test(e.message));
  assert.throws(() => parseFleetSpec('5.1:0'), FleetError);
  const csv = 'version,count,decline,apps,keepOpen,dropAt\n5.10.3,3,0.5,Chat;DSS,yes,25\n# note\n4.0,1,,,,\n';
  const entries = parseFleetCsv(csv);
  assert.deepEqual(entries[0], { version: '5.10.3', count: 3, decline: 0.5, apps: ['Chat', 'DSS'], keepOpen: 1, dropAt: 25 });
  assert.throws(() => parseFleetCsv('version,count,colour\n'), (e: unknown) => e instanceof FleetError && /fleet:1:15: unknown column "colour"/.test(e.message));
  assert.throws(() => parseFleetCsv('version,count,dropAt\n5.0,1,150\n'), (e: unknown) => e instanceof FleetError && /fleet:2:7/.test(e.message));
});

test('the same seed gives the same run', async () => {
  const fx = makeFixture(configText({ mode: 'Optional' }));
  const fleet = [{ version: '5.10.3', count: 30, decline: 0.5, apps: ['Chat'], keepOpen: 0.5 }];
  const a = await simulateFleet({ target: { configPath: fx.ini }, clients: fleet, seed: 9 });
  const b = await simulateFleet({ target: { configPath: fx.ini }, clients: fleet, seed: 9 });
  assert.deepEqual(a.clients.map((c) => c.outcome), b.clients.map((c) => c.outcome));
  assert.ok(new Set(a.clients.map((c) => c.outcome)).size >= 2, 'the chances really vary the outcomes');
});

test('nsupgrade simulate against nsupgrade serve running in another process', async () => {
  const fx = makeFixture();
  const serve = spawn(process.execPath, [CLI, 'serve', fx.ini, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 10000);
      serve.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
    const r = spawnSync(process.execPath, [CLI, 'simulate', `127.0.0.1:${port}`, '--clients', '5.10.3:3,4.0:2,5.20.12:2', '--format', 'json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { clients: { id: number; version: string; action: string; outcome: string }[]; totals: Record<string, number> };
    assert.deepEqual([report.totals.allow, report.totals.patch, report.totals.full], [2, 3, 2]);
    assert.deepEqual(Object.keys(report.clients[0]).slice(0, 4), ['id', 'version', 'action', 'outcome']);
    const text = spawnSync(process.execPath, [CLI, 'simulate', `127.0.0.1:${port}`, '--clients', '4.0'], { encoding: 'utf8' });
    assert.match(text.stdout, /4\.0\s+1\s+full\s+upgraded 1/);
  } finally {
    serve.kill('SIGINT');
    const code = await new Promise<number | null>((r) => serve.on('exit', r));
    assert.equal(code, 0, 'serve stops cleanly on Ctrl+C');
  }
});

test('fleet CSV: quoted cells, repeated columns, empty and semicolon files', () => {
  const entries = parseFleetCsv('version,count,apps\n5.10.3,2,"Chat;DSS"\n"4.0",1,"Chat ""Pro"""\n');
  assert.deepEqual(entries.map((e) => [e.version, e.count, e.apps]), [['5.10.3', 2, ['Chat', 'DSS']], ['4.0', 1, ['Chat "Pro"']]]);
  assert.throws(() => parseFleetCsv('version,count,count\n'), (e: unknown) => e instanceof FleetError && /fleet:1:15: the column "count" appears twice/.test(e.message));
  assert.throws(() => parseFleetCsv(''), (e: unknown) => e instanceof FleetError && /empty/.test(e.message));
  assert.throws(() => parseFleetCsv('version;count\n5.1;2\n'), (e: unknown) => e instanceof FleetError && /semicolons/.test(e.message));
  assert.throws(() => parseFleetCsv('version,count\n"5.1,2\n'), (e: unknown) => e instanceof FleetError && /fleet:2:1: a quoted cell has no closing quote/.test(e.message));
});

test('a port where something else answers: could not run (exit 2), not a fleet of failures', async () => {
  const other = createServer((s) => {
    s.on('error', () => undefined);
    s.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  try {
    const port = (other.address() as { port: number }).port;
    const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'simulate', `127.0.0.1:${port}`, '--clients', '5.0:3'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (status) => resolve({ status, stderr }));
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /answers, but not as an upgrade server/);
  } finally {
    // Not awaited: the half-closed peer socket keeps close() from calling back.
    other.close();
  }
});
