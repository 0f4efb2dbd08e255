// FullSetup, PatchFile and FileRoot as links to what is on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfigText } from '../../server/src/config';
import { createState } from '../../server/src/language/documentState';
import { documentLinks } from '../../server/src/language/links';
import { tempDir } from '../tempDir';

const TEXT = '[Server]\r\nFileRoot = files ; the setups\r\n[Upgrade]\r\nCurrentVersion = 5.20.12\r\nFullSetup = "Net phone 520.exe"\r\nPatchFile = missing.exe\r\nPatchable = 5.10.*\r\n';

test('links point at the real files, over the value only; a missing file has none', async () => {
  const dir = realpathSync(tempDir('nsu-links-'));
  mkdirSync(join(dir, 'files'));
  writeFileSync(join(dir, 'files', 'Net phone 520.exe'), 'x');
  const loaded = await loadConfigText(TEXT, join(dir, 'upgrade.ini'));
  const links = documentLinks(createState(pathToFileURL(join(dir, 'upgrade.ini')).toString(), 1, TEXT, loaded));
  const byLine = new Map(links.map((l) => [l.range.start.line, l]));
  assert.deepEqual([...byLine.keys()].sort(), [1, 4]);
  const full = byLine.get(4)!;
  assert.equal(full.target, pathToFileURL(join(dir, 'files', 'Net phone 520.exe')).toString(), 'spaces are escaped in the URL');
  assert.deepEqual(full.range, { start: { line: 4, character: 13 }, end: { line: 4, character: 30 } }, 'inside the quotes');
  const root = byLine.get(1)!;
  assert.equal(root.target, pathToFileURL(join(dir, 'files')).toString());
  assert.deepEqual(root.range, { start: { line: 1, character: 11 }, end: { line: 1, character: 16 } }, 'not the comment');
});

test('a document that is not on disk has no links', () => {
  assert.deepEqual(documentLinks(createState('untitled:1', 1, TEXT)), []);
});
