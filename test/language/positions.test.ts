// Offsets to LSP ranges and back: UTF-16 code units, every line-end style.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineMap } from '../../server/src/config';
import { overlaps, toRange, toSpan } from '../../server/src/language/positions';

test('toRange counts UTF-16 code units: a surrogate pair is two characters', () => {
  const text = '; 🙂 Zürich\r\nPatchable = 5.🙂, 5.10.3\rnext\nlast';
  const map = new LineMap(text);
  const start = text.indexOf('5.10.3');
  assert.deepEqual(toRange(map, { start, end: start + 6 }), { start: { line: 1, character: 18 }, end: { line: 1, character: 24 } });
  // Lone CR ends a line too.
  const next = text.indexOf('next');
  assert.deepEqual(toRange(map, { start: next, end: next + 4 }).start, { line: 2, character: 0 });
  const last = text.indexOf('last');
  assert.deepEqual(toRange(map, { start: last, end: text.length }), { start: { line: 3, character: 0 }, end: { line: 3, character: 4 } });
});

test('a position past the end of a line or the text is clamped, never inside a CRLF', () => {
  const text = 'a = 1\r\nb = 2';
  const map = new LineMap(text);
  assert.equal(map.offsetAt({ line: 0, character: 99 }), 5, 'before the \\r\\n');
  assert.equal(map.offsetAt({ line: 9, character: 0 }), text.length);
  assert.deepEqual(toSpan(map, { start: { line: 0, character: 2 }, end: { line: 1, character: 99 } }), { start: 2, end: text.length });
});

test('toSpan inverts toRange for every offset that is not inside a line end', () => {
  const chars = fc.constantFrom('a', '=', ' ', '\n', '\r\n', '\r', 'ü', '🙂', ';', '5.1');
  fc.assert(
    fc.property(fc.array(chars, { maxLength: 40 }), fc.nat(), fc.nat(), (parts, x, y) => {
      const text = parts.join('');
      const map = new LineMap(text);
      const valid: number[] = [];
      for (let i = 0; i <= text.length; i++) if (!(text[i - 1] === '\r' && text[i] === '\n')) valid.push(i);
      const a = valid[x % valid.length];
      const b = valid[y % valid.length];
      const span = { start: Math.min(a, b), end: Math.max(a, b) };
      assert.deepEqual(toSpan(map, toRange(map, span)), span);
    }),
    { numRuns: 500 },
  );
});

test('overlaps: touching spans overlap (a cursor at the end of a problem still gets its fixes)', () => {
  assert.equal(overlaps({ start: 2, end: 5 }, { start: 5, end: 5 }), true);
  assert.equal(overlaps({ start: 2, end: 5 }, { start: 2, end: 2 }), true);
  assert.equal(overlaps({ start: 2, end: 5 }, { start: 6, end: 9 }), false);
  assert.equal(overlaps({ start: 6, end: 9 }, { start: 2, end: 5 }), false);
});
