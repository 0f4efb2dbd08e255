// Spec section 5: the decision at login, every step in order of precedence.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, decide, loginOf, loadConfig, type ConfigFiles, type UpgradeConfig } from '../../server/src/config';
import { tempDir } from './helpers';

const FILES: ConfigFiles = {
  fullSetup: { key: 'FullSetup', relPath: 'Netphone_520.exe', absPath: '/srv/files/Netphone_520.exe', size: 1000, sha256: 'a'.repeat(64), mtimeMs: 0 },
  patchFile: { key: 'PatchFile', relPath: 'NP_Update.exe', absPath: '/srv/files/NP_Update.exe', size: 10, sha256: 'b'.repeat(64), mtimeMs: 0 },
};

function config(extra = '', patchable = '5.10.*, 5.11.1 - 5.11.99, >=5.12 <5.20'): UpgradeConfig {
  const text = `[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = Netphone_520.exe\nPatchFile = NP_Update.exe\nPatchable = ${patchable}\n${extra}\n`;
  const a = analyze(text);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error'), [], 'the test config must be valid');
  return a.config;
}

test('1. a version that does not parse: reject / bad-version (before everything else)', () => {
  for (const v of ['', 'abc', '5.20.12.1.1', '5..1', '5.70000', '5.*', '-1']) {
    assert.deepEqual(decide(config(), FILES, loginOf(v)), { action: 'reject', reason: 'bad-version' }, v);
    assert.deepEqual(decide(config('Enabled = No'), FILES, loginOf(v)), { action: 'reject', reason: 'bad-version' }, `${v}, disabled`);
  }
});

test('2. Enabled = No: allow / upgrades-disabled, whatever the version', () => {
  for (const v of ['1.0', '5.10.3', '5.20.12', '9.0']) {
    assert.deepEqual(decide(config('Enabled = No'), FILES, loginOf(v)), { action: 'allow', reason: 'upgrades-disabled' }, v);
  }
});

test('3. version = CurrentVersion (zero-filled, leading zeros): allow / current', () => {
  for (const v of ['5.20.12', '5.20.12.0', '05.020.00012']) {
    assert.deepEqual(decide(config(), FILES, loginOf(v)), { action: 'allow', reason: 'current' }, v);
  }
});

test('4. version > CurrentVersion: allow / newer (never downgrade)', () => {
  for (const v of ['5.20.12.1', '5.21', '6', '65535.65535.65535.65535']) {
    assert.deepEqual(decide(config(), FILES, loginOf(v)), { action: 'allow', reason: 'newer' }, v);
  }
});

test('5. version matches Patchable: patch with PatchFile, mode, size and SHA-256', () => {
  for (const [v, item] of [
    ['5.10', '5.10.*'],
    ['5.10.7.1', '5.10.*'],
    ['5.11.1', '5.11.1 - 5.11.99'],
    ['5.11.99', '5.11.1 - 5.11.99'],
    ['5.12', '>=5.12 <5.20'],
    ['5.19.65535', '>=5.12 <5.20'],
  ] as const) {
    const d = decide(config(), FILES, loginOf(v));
    assert.equal(d.action, 'patch', v);
    assert.ok(d.action === 'patch');
    assert.equal(d.reason, 'patchable');
    assert.equal(d.mode, 'forced');
    assert.equal(d.file, 'NP_Update.exe');
    assert.equal(d.size, 10);
    assert.equal(d.sha256, 'b'.repeat(64));
    if (d.matched !== undefined) assert.equal(d.matched, item);
  }
});

test('6. otherwise: full with FullSetup', () => {
  for (const v of ['1.0', '5.9', '5.11', '5.11.100', '5.20', '5.20.11.65535']) {
    const d = decide(config(), FILES, loginOf(v));
    assert.ok(d.action === 'full', `${v}: ${JSON.stringify(d)}`);
    assert.equal(d.reason, 'not-patchable');
    assert.equal(d.mode, 'forced');
    assert.equal(d.file, 'Netphone_520.exe');
    assert.equal(d.size, 1000);
    assert.equal(d.sha256, 'a'.repeat(64));
  }
});

test('an empty Patchable: every older client gets the full setup', () => {
  const text = '[Upgrade]\nCurrentVersion = 2.0\nFullSetup = Netphone_520.exe\n';
  const d = decide(analyze(text).config, { fullSetup: FILES.fullSetup }, loginOf('1.9'));
  assert.equal(d.action, 'full');
});

test('Mode = Optional is carried as optional on patch and full', () => {
  const c = config('Mode = Optional');
  const p = decide(c, FILES, loginOf('5.10.1'));
  const f = decide(c, FILES, loginOf('4.0'));
  assert.ok(p.action === 'patch' && p.mode === 'optional');
  assert.ok(f.action === 'full' && f.mode === 'optional');
});

test('Enabled = Yes (explicit) behaves as the default', () => {
  assert.equal(decide(config('Enabled = yes'), FILES, loginOf('4.0')).action, 'full');
});

// ------------------------------------------------------------ with real files

const tmp = tempDir();
const FULL = Buffer.from('the full setup');
const PATCH = Buffer.from('the patch');
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
before(() => {
  mkdirSync(join(tmp.dir, 'files'));
  writeFileSync(join(tmp.dir, 'files', 'Netphone_520.exe'), FULL);
  writeFileSync(join(tmp.dir, 'files', 'NP_Update.exe'), PATCH);
  writeFileSync(
    join(tmp.dir, 'upgrade.ini'),
    '[Server]\r\nFileRoot = files\r\n[Upgrade]\r\nCurrentVersion = 5.20.12\r\nMode = Optional\r\nFullSetup = Netphone_520.exe\r\nPatchFile = NP_Update.exe\r\nPatchable = 5.10.*\r\n',
  );
});
after(() => tmp.cleanup());

test('with a config loaded from disk: size and SHA-256 are the real file\'s', async () => {
  const loaded = await loadConfig(join(tmp.dir, 'upgrade.ini'));
  assert.equal(loaded.ok, true, JSON.stringify(loaded.diagnostics));
  const p = decide(loaded.config, loaded.files, loginOf('5.10.3'));
  assert.ok(p.action === 'patch');
  assert.deepEqual([p.file, p.size, p.sha256, p.mode], ['NP_Update.exe', PATCH.length, sha(PATCH), 'optional']);
  const f = decide(loaded.config, loaded.files, loginOf('5.9'));
  assert.ok(f.action === 'full');
  assert.deepEqual([f.file, f.size, f.sha256], ['Netphone_520.exe', FULL.length, sha(FULL)]);
});

test('steps 3 and 4 come before step 5: a current or newer client is never patched', () => {
  // such a Patchable is an error (spec 3), but the order of section 5 must hold on its own
  const text = '[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = Netphone_520.exe\nPatchFile = NP_Update.exe\nPatchable = >=5.0\n';
  const c = analyze(text).config;
  assert.deepEqual(decide(c, FILES, loginOf('5.20.12')), { action: 'allow', reason: 'current' });
  assert.deepEqual(decide(c, FILES, loginOf('6.0')), { action: 'allow', reason: 'newer' });
});

test('step 2 comes before step 3/4 and 5: disabled beats current, newer and patchable', () => {
  const c = config('Enabled = Off');
  for (const v of ['5.20.12', '5.21', '5.10.1']) assert.equal(decide(c, FILES, loginOf(v)).reason, 'upgrades-disabled', v);
});
