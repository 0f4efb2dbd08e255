// Formatting on text an admin's Windows editor writes: CRLF or lone CR, tabs,
// non-ASCII comments, quoted values; edits only where a line changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/config';
import { createState } from '../../server/src/language/documentState';
import { formatting } from '../../server/src/language/formatting';
import { documentSymbols } from '../../server/src/language/symbols';
import { applyLspEdits } from './cursor';

test('canonical lines, line ends and non-ASCII comments kept, only changed lines edited', () => {
  const text = '\t; Zürich 🙂 desks\r[upgrade]\t; 🙂 main\rcurrentversion\t=\t5.20.12\rFullSetup = "Net phone 520.exe" ; ü\rpatchable=5.10.*,5.11.1-5.11.99\rPatchFile = NP.exe\r# done\r';
  const state = createState('untitled:f', 1, text);
  const edits = formatting(state);
  assert.deepEqual(edits.map((e) => e.range.start.line), [0, 1, 2, 4], 'FullSetup, PatchFile and "# done" are canonical already');
  const out = applyLspEdits(text, edits);
  assert.equal(out, '; Zürich 🙂 desks\r[Upgrade] ; 🙂 main\rCurrentVersion = 5.20.12\rFullSetup = "Net phone 520.exe" ; ü\rPatchable = 5.10.*, 5.11.1 - 5.11.99\rPatchFile = NP.exe\r# done\r');
  const strip = (v: unknown): string => JSON.stringify(v, (k, x) => (k === 'span' || k === 'text' ? undefined : x));
  assert.equal(strip(analyze(out).config), strip(analyze(text).config), 'same meaning');
  assert.deepEqual(formatting(createState('untitled:f', 2, out)), [], 'idempotent');
});

test('a line with an error is left exactly as written', () => {
  const text = '[Upgrade]\nCurrentVersion=5.20.12\nPatchable=5.10.*,5.x\nMode=forced\n';
  const out = applyLspEdits(text, formatting(createState('untitled:e', 1, text)));
  assert.equal(out, '[Upgrade]\nCurrentVersion = 5.20.12\nPatchable=5.10.*,5.x\nMode = forced\n');
});

test('outline names and selections on non-ASCII text', () => {
  const text = '; 🙂\r\n[Zürich] ; 🙂\r\nDésk = 1\r\n[Upgrade]\r\nCurrentVersion = 5.2\r\n';
  const symbols = documentSymbols(createState('untitled:o', 1, text));
  assert.deepEqual(symbols.map((s) => [s.name, s.selectionRange, s.children?.map((c) => [c.name, c.selectionRange.end.character, c.detail])]), [
    ['Zürich', { start: { line: 1, character: 1 }, end: { line: 1, character: 7 } }, [['Désk', 4, '1']]],
    ['Upgrade', { start: { line: 3, character: 1 }, end: { line: 3, character: 8 } }, [['CurrentVersion', 14, '5.2']]],
  ]);
});
