// Hover with the file checks: the files' size and hash, and what a client
// whose version a Patchable item matches receives (from `decide`).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { loadConfigText } from '../../server/src/config';
import { createState, type DocumentState } from '../../server/src/language/documentState';
import { hover } from '../../server/src/language/hover';
import { tempDir } from '../tempDir';

const FULL = Buffer.alloc(123_456, 1);
const PATCH = Buffer.alloc(4_321, 2);
const hash = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
let dir: string;

before(() => {
  dir = tempDir('nsu-hover-');
  mkdirSync(join(dir, 'files'));
  writeFileSync(join(dir, 'files', 'Netphone_520.exe'), FULL);
  writeFileSync(join(dir, 'files', 'NP_Update.exe'), PATCH);
});

const TEXT = '; Zürich 🙂\r\n[Server]\r\nFileRoot = files\r\n[Upgrade]\r\nCurrentVersion = 5.20.12\r\nMode = Optional\r\nFullSetup = Netphone_520.exe\r\nPatchFile = NP_Update.exe\r\nPatchable = 5.10.*, 5.11.1 - 5.11.99, >=5.12 <5.13\r\n';

async function hoverAt(text: string, needle: string, delta = 1): Promise<string> {
  const loaded = await loadConfigText(text, join(dir, 'upgrade.ini'));
  const state: DocumentState = createState('file:///h.ini', 1, text, loaded);
  const h = hover(state, text.indexOf(needle) + delta);
  return h ? JSON.stringify(h.contents) : '';
}

test('FullSetup and PatchFile: size and SHA-256 of the file on disk', async () => {
  const full = await hoverAt(TEXT, 'Netphone_520.exe');
  assert.match(full, /123,456 bytes/);
  assert.match(full, new RegExp(hash(FULL)));
  const patch = await hoverAt(TEXT, 'NP_Update.exe');
  assert.match(patch, /4,321 bytes/);
  assert.match(patch, new RegExp(hash(PATCH)));
  const current = await hoverAt(TEXT, '5.20.12');
  assert.match(current, /5\.20\.12/);
});

test('a missing file says so instead of a size', async () => {
  const h = await hoverAt(TEXT.replace('NP_Update.exe', 'nothere.exe'), 'nothere.exe');
  assert.match(h, /not available/);
  assert.doesNotMatch(h, /bytes/);
});

test('a Patchable item: what it matches and what such a client receives, in the configured mode', async () => {
  const range = await hoverAt(TEXT, '5.11.1 - 5.11.99', 3);
  assert.match(range, /5\.11\.1 <= version <= 5\.11\.99/);
  assert.match(range, /NP_Update\.exe/);
  assert.match(range, /4,321 bytes/);
  assert.match(range, /optional/);
  const comparators = await hoverAt(TEXT, '>=5.12 <5.13', 5);
  assert.match(comparators, /5\.12 <= version < 5\.13/);
  const wildcard = await hoverAt(TEXT, '5.10.*', 2);
  assert.match(wildcard, /5\.10 <= version < 5\.11/);
});

test('no hover on comments, blank lines and unknown keys', async () => {
  assert.equal(await hoverAt(TEXT, 'Zürich'), '');
  assert.equal(await hoverAt(`${TEXT}Colour = blue\r\n`, 'Colour'), '');
});
