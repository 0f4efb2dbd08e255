// Spec sections 4 and 8: [Server] StateFile is a path relative to the folder
// of the .ini (not FileRoot), may be absolute, `None` keeps the state in
// memory; its folder must exist (error), the file itself need not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, loadConfig, type LoadedConfig } from '../../server/src/config';
import { tempDir, where, type Where } from './helpers';

const tmp = tempDir();
before(() => {
  mkdirSync(join(tmp.dir, 'files'));
  mkdirSync(join(tmp.dir, 'state'));
  mkdirSync(join(tmp.dir, 'state', 'a-folder.json'));
  writeFileSync(join(tmp.dir, 'files', 'Netphone_520.exe'), 'setup');
});
after(() => tmp.cleanup());

let n = 0;
async function load(serverLines: string[]): Promise<{ loaded: LoadedConfig; errs: Where[] }> {
  const text = ['[Server]', 'FileRoot = files', ...serverLines, '[Upgrade]', 'CurrentVersion = 5.20.12', 'FullSetup = Netphone_520.exe', ''].join('\n');
  const path = join(tmp.dir, `s${n++}.ini`);
  writeFileSync(path, text);
  const loaded = await loadConfig(path);
  return { loaded, errs: loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => where(loaded.text, d)) };
}

test('default: upgrade-state.json in the folder of the .ini', async () => {
  assert.equal(analyze('[Upgrade]\n').config.server.stateFile, 'upgrade-state.json');
  const { loaded, errs } = await load([]);
  assert.deepEqual(errs, []);
  assert.equal(loaded.stateFile, join(tmp.dir, 'upgrade-state.json'));
});

test('a relative StateFile is relative to the .ini, not to FileRoot; the file need not exist', async () => {
  const { loaded, errs } = await load(['StateFile = state/rollout.json']);
  assert.deepEqual(errs, []);
  assert.equal(loaded.config.server.stateFile, 'state/rollout.json');
  assert.equal(loaded.stateFile, join(tmp.dir, 'state', 'rollout.json'));
  const back = await load(['StateFile = state\\rollout.json']);
  assert.equal(back.loaded.stateFile, join(tmp.dir, 'state', 'rollout.json'), 'a backslash separates folders too');
});

test('an absolute StateFile is allowed (unlike served paths)', async () => {
  const abs = join(tmp.dir, 'state', 'abs.json');
  const { loaded, errs } = await load([`StateFile = ${abs}`]);
  assert.deepEqual(errs, []);
  assert.equal(loaded.stateFile, abs);
});

test('StateFile = None (any case): memory only, no file check', async () => {
  for (const v of ['None', 'none', 'NONE']) {
    const { loaded, errs } = await load([`StateFile = ${v}`]);
    assert.deepEqual(errs, []);
    assert.equal(loaded.config.server.stateFile, null);
    assert.equal(loaded.stateFile, null);
  }
});

test('a StateFile whose folder does not exist: state-folder-not-found on the value', async () => {
  const { errs } = await load(['StateFile = nowhere/rollout.json ; note']);
  assert.equal(errs.length, 1, JSON.stringify(errs));
  assert.deepEqual([errs[0].code, errs[0].line, errs[0].col, errs[0].marked], ['state-folder-not-found', 3, 13, 'nowhere/rollout.json']);
  // a "folder" that is a file
  const viaFile = await load(['StateFile = files/Netphone_520.exe/state.json']);
  assert.deepEqual(viaFile.errs.map((e) => e.code), ['state-folder-not-found']);
});

test('a StateFile that is a folder: not-a-file', async () => {
  const { errs } = await load(['StateFile = state/a-folder.json']);
  assert.deepEqual(errs.map((e) => [e.code, e.marked]), [['not-a-file', 'state/a-folder.json']]);
});

test('StateFile with no value: empty-value on the key', async () => {
  const { errs } = await load(['StateFile =']);
  assert.deepEqual(errs.map((e) => [e.code, e.marked]), [['empty-value', 'StateFile']]);
});

test('a StateFile that is this .ini or a served file: state-file-conflict (the saves would overwrite it)', async () => {
  const self = await load([`StateFile = s${n}.ini`]);
  assert.deepEqual(self.errs.map((e) => [e.code, e.marked]), [['state-file-conflict', `s${n - 1}.ini`]]);
  const served = await load(['StateFile = files/Netphone_520.exe']);
  assert.deepEqual(served.errs.map((e) => [e.code, e.marked]), [['state-file-conflict', 'files/Netphone_520.exe']]);
  const other = await load(['StateFile = files/state.json']);
  assert.deepEqual(other.errs, []);
});
