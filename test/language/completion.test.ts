// Completion beyond features.test.ts: anywhere in a Patchable list (property),
// on CRLF lines with surrogate pairs, the file's hash, and replace ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { CompletionItemKind, type CompletionItem, type TextEdit } from 'vscode-languageserver-types';
import { compareVersions, loadConfigText, parseVersion } from '../../server/src/config';
import { createState } from '../../server/src/language/documentState';
import { completion } from '../../server/src/language/completion';
import { applyLspEdits, at, crlf } from './cursor';
import { tempDir } from '../tempDir';

const edit = (i: CompletionItem): TextEdit => {
  assert.ok(i.textEdit && 'range' in i.textEdit, `${i.label} carries a plain text edit`);
  return i.textEdit;
};

test('no version at or above CurrentVersion, wherever the cursor is in the list (only "<" may name it)', () => {
  const items = fc.constantFrom('5.10.3', '5.10.*', '5.11.1 - 5.11.99', '>=5.12 <5.19', '5.19.4', '4.*', '5.20.12', '6.0', '5.x', '', ' 5.13 ');
  const current = fc.constantFrom('5.20.12', '5.11', '5.0', '6.0');
  fc.assert(
    fc.property(fc.array(items, { maxLength: 6 }), current, fc.nat(), fc.constantFrom('\n', '\r\n'), (list, cur, pick, eol) => {
      const value = list.join(', ');
      const head = `; ü 🙂${eol}[Upgrade]${eol}CurrentVersion = ${cur}${eol}FullSetup = Netphone_5.19.9.exe${eol}PatchFile = NP.exe${eol}Patchable = `;
      const offset = head.length + (pick % (value.length + 1));
      const text = `${head}${value}${eol}`;
      const state = createState('untitled:p', 1, text);
      const currentVersion = parseVersion(cur)!;
      const cursor = state.map.positionAt(offset);
      for (const i of completion(state, offset).items) {
        const e = edit(i);
        assert.equal(e.range.start.line, cursor.line, 'edits stay on the cursor line');
        assert.ok(e.range.start.character <= cursor.character && e.range.end.character >= cursor.character, 'the replaced range contains the cursor');
        if (i.kind !== CompletionItemKind.Constant) continue;
        const v = parseVersion(i.label);
        assert.ok(v, `${i.label} is a version`);
        const order = compareVersions(v, currentVersion);
        const afterLess = /<\s*$/.test(text.slice(0, state.map.offsetAt(e.range.start)));
        assert.ok(order < 0 || (order === 0 && afterLess), `${i.label} offered in ${JSON.stringify(text.slice(head.length, offset))}|${JSON.stringify(text.slice(offset))} with CurrentVersion ${cur}`);
      }
    }),
    { numRuns: 600 },
  );
});

test('accepting a version on a CRLF line after a surrogate pair lands exactly at the cursor', () => {
  const textWithCursor = crlf('; 🙂\n[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = a.exe\nPatchFile = b.exe\nPatchable = 5.🙂, 5.10.3, 5.11.1 - |, 5.11.50 - 5.11.99\n');
  const { state, offset } = at(textWithCursor);
  const list = completion(state, offset);
  const versions = list.items.filter((i) => i.kind === CompletionItemKind.Constant);
  assert.deepEqual(versions.map((i) => i.label), ['5.11.50'], 'the one known bound a range from 5.11.1 reaches without swallowing an item');
  const out = applyLspEdits(state.text, [edit(versions[0])]);
  assert.ok(out.includes('Patchable = 5.🙂, 5.10.3, 5.11.1 - 5.11.50, 5.11.50 - 5.11.99\r\n'), JSON.stringify(out));
});

test('a key typed halfway is replaced, not appended to', () => {
  const { state, offset } = at('[Upgrade]\r\nCurrentVersion = 5.20.12\r\nPatchF|\r\n');
  const item = completion(state, offset).items.find((i) => i.label === 'PatchFile')!;
  const out = applyLspEdits(state.text, [edit(item)]);
  assert.match(out, /\r\nPatchFile = \$\{1:[^}]*\}\r\n$/, 'a snippet with a placeholder for the value');
  const { state: s2, offset: o2 } = at('[Upgrade]\r\nCurrentVersion = 5.20.12\r\nPatc|hFile = x\r\n');
  const rename = completion(s2, o2).items.find((i) => i.label === 'Patchable')!;
  assert.equal(applyLspEdits(s2.text, [edit(rename)]), '[Upgrade]\r\nCurrentVersion = 5.20.12\r\nPatchable = x\r\n', 'on an existing key only the key is replaced');
});

test('a value is replaced as a whole, its comment kept', () => {
  const { state, offset } = at('[Upgrade]\nCurrentVersion = 5.20.12\nMode = Fo|rc ; ask first\n');
  const item = completion(state, offset).items.find((i) => i.label === 'Optional')!;
  assert.equal(applyLspEdits(state.text, [edit(item)]), '[Upgrade]\nCurrentVersion = 5.20.12\nMode = Optional ; ask first\n');
});

test('a SHA-256 key offers the real hash of its file', async () => {
  const dir = tempDir('nsu-compl-');
  mkdirSync(join(dir, 'files'));
  const bytes = Buffer.from('the patch');
  writeFileSync(join(dir, 'files', 'NP_Update.exe'), bytes);
  writeFileSync(join(dir, 'files', 'Netphone_520.exe'), 'full');
  const textWithCursor = '[Server]\nFileRoot = files\n[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = Netphone_520.exe\nPatchFile = NP_Update.exe\nPatchFileSha256 = |\nPatchable = 5.10.*\n';
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.replace('|', '');
  const loaded = await loadConfigText(text, join(dir, 'upgrade.ini'));
  const items = completion(createState('file:///c.ini', 1, text, loaded), offset).items;
  assert.deepEqual(items.map((i) => i.label), [createHash('sha256').update(bytes).digest('hex')]);
});
