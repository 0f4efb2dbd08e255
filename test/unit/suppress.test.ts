// Spec section 1: `; nsupgrade-disable-next-line CODE[, CODE]` silences those
// warnings and information on the next line; `; nsupgrade-disable CODE` for the
// whole file. Errors cannot be silenced.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../server/src/config';
import { codes, diags, tempDir, UPGRADE } from './helpers';

test('disable-next-line silences that code on the next line only', () => {
  const text = `${UPGRADE}; nsupgrade-disable-next-line unknown-key\nFoo = 1\nBar = 2\n`;
  const d = diags(text).filter((x) => x.code === 'unknown-key');
  assert.deepEqual(d.map((x) => x.marked), ['Bar']);
});

test('disable-next-line does not silence another code', () => {
  const text = `${UPGRADE}[Server]\n; nsupgrade-disable-next-line unknown-key\nBind = 0.0.0.0\n`;
  assert.deepEqual(codes(text), ['network-bind']);
});

test('disable-next-line with several codes, comma-separated', () => {
  const text = `${UPGRADE}PatchFile = p.exe\n; nsupgrade-disable-next-line network-bind, redundant-patchable-item\nPatchable = 5.1.*, 5.1.2\n`;
  assert.deepEqual(codes(text), []);
  const text2 = `${UPGRADE}PatchFile = p.exe\n; nsupgrade-disable-next-line network-bind,redundant-patchable-item\nPatchable = 5.1.*, 5.1.2\n`;
  assert.deepEqual(codes(text2), []);
});

test('disable (whole file) silences every occurrence, before and after the comment', () => {
  const text = `${UPGRADE}Foo = 1\n; nsupgrade-disable unknown-key\nBar = 2\n[Nope]\n`;
  assert.deepEqual(codes(text), ['unknown-section']);
});

test('information can be silenced', () => {
  const text = `; nsupgrade-disable network-bind\n${UPGRADE}[Server]\nBind = ::\n`;
  assert.deepEqual(codes(text), []);
});

test('errors cannot be silenced, neither per line nor per file', () => {
  const perLine = `${UPGRADE}; nsupgrade-disable-next-line invalid-mode\nMode = Sometimes\n`;
  assert.deepEqual(codes(perLine), ['invalid-mode']);
  const perFile = `; nsupgrade-disable invalid-line, duplicate-key\n${UPGRADE}junk\nFullSetup = y.exe\n`;
  assert.deepEqual(codes(perFile).sort(), ['duplicate-key', 'invalid-line']);
});

test('a suppression comment that is not on the line before does nothing', () => {
  const text = `${UPGRADE}; nsupgrade-disable-next-line unknown-key\n\nFoo = 1\n`;
  assert.deepEqual(codes(text), ['unknown-key']);
});

const tmp = tempDir();
after(() => tmp.cleanup());

test('loadConfig honours the same comments for file diagnostics (warnings/hints), never for file errors', async () => {
  writeFileSync(join(tmp.dir, 'setup.exe'), 'x');
  const path = join(tmp.dir, 'u.ini');
  writeFileSync(
    path,
    '; nsupgrade-disable missing-sha256, file-not-found\n[Upgrade]\nCurrentVersion = 1.0\nFullSetup = setup.exe\nPatchFile = none.exe\nPatchable = 0.9\n',
  );
  const loaded = await loadConfig(path);
  assert.deepEqual(loaded.diagnostics.map((d) => d.code), ['file-not-found']);
});

test('suppression comments work with CRLF and lone CR line ends, and with # comments and extra blanks', () => {
  assert.deepEqual(codes(`${UPGRADE}; nsupgrade-disable-next-line unknown-key\rFoo = 1\rBar = 2\r`), ['unknown-key']);
  assert.deepEqual(codes(`${UPGRADE.replace(/\n/g, '\r\n')}; nsupgrade-disable-next-line unknown-key\r\nFoo = 1\r\n`), []);
  assert.deepEqual(codes(`${UPGRADE}   ;   nsupgrade-disable-next-line   unknown-key  \nFoo = 1\n`), []);
});

test('an unknown code in a suppression comment silences nothing', () => {
  assert.deepEqual(codes(`${UPGRADE}; nsupgrade-disable-next-line bogus-code\nFoo = 1\n`), ['unknown-key']);
});
