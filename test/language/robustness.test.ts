// Bad input never crashes a feature: every feature at every offset of
// generated documents (broken lines, every line end, surrogate pairs) returns
// a result whose ranges lie inside the document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Range } from 'vscode-languageserver-types';
import { createState } from '../../server/src/language/documentState';
import { completion } from '../../server/src/language/completion';
import { hover } from '../../server/src/language/hover';
import { codeActions } from '../../server/src/language/codeActions';
import { documentSymbols } from '../../server/src/language/symbols';
import { foldingRanges } from '../../server/src/language/folding';
import { formatting } from '../../server/src/language/formatting';
import { toLspDiagnostics } from '../../server/src/language/diagnostics';

const line = fc.oneof(
  fc.constantFrom('', ' ', '; 🙂 note', '[Upgrade]', '[upgrade] ; ü', '[Server', '[]', '[Setup]', '[Stup]', '=', 'garbage', '"', 'Patchable', 'x = "open'),
  fc
    .tuple(
      fc.constantFrom('CurrentVersion', 'Patchable', 'patchable', 'FullSetup', 'PatchFile', 'FullSetupSha256', 'Mode', 'Enabled', 'Port', 'Bind', 'FileRoot', 'Colour', ''),
      fc.constantFrom('=', ' = ', '= '),
      fc.constantFrom('', '5.20.12', '5.10.*, 5.10.3', '>=5.0', '5.🙂, 5.1 -', '5.11.9 - 5.11.1,', ',,', '"5.1, 5.2"', '- 5.1', '<', 'a'.repeat(64), 'Yess', 'x ; c', '..\\up.exe', '6.0, 5.*'),
    )
    .map(([k, eq, v]) => `${k}${eq}${v}`),
);
const docs = fc.tuple(fc.array(line, { maxLength: 10 }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean()).map(([ls, eol, end]) => ls.join(eol) + (end ? eol : ''));

function inside(r: Range, lines: string[]): void {
  for (const p of [r.start, r.end]) {
    assert.ok(p.line >= 0 && p.line < lines.length, `line ${p.line} of ${lines.length}`);
    assert.ok(p.character >= 0 && p.character <= lines[p.line].length, `character ${p.character} of ${lines[p.line].length}`);
  }
  assert.ok(r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character), 'start before end');
}

test('every feature at every offset: no exception, ranges inside the document', () => {
  fc.assert(
    fc.property(docs, (text) => {
      const state = createState('untitled:r', 1, text);
      const lines = text.split(/\r\n|\r|\n/);
      for (const d of toLspDiagnostics(state)) inside(d.range, lines);
      for (const s of documentSymbols(state)) {
        inside(s.range, lines);
        inside(s.selectionRange, lines);
        for (const c of s.children ?? []) inside(c.range, lines);
      }
      for (const f of foldingRanges(state)) assert.ok(f.startLine < f.endLine && f.endLine < lines.length);
      for (const e of formatting(state)) inside(e.range, lines);
      for (let offset = 0; offset <= text.length; offset++) {
        for (const i of completion(state, offset).items) if (i.textEdit && 'range' in i.textEdit) inside(i.textEdit.range, lines);
        const h = hover(state, offset);
        if (h?.range) inside(h.range, lines);
        const p = state.map.positionAt(offset);
        for (const a of codeActions(state, { start: p, end: p })) for (const e of a.edit?.changes?.['untitled:r'] ?? []) inside(e.range, lines);
      }
    }),
    { numRuns: 300 },
  );
});
