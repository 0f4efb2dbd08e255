// Spec section 1: line ends LF, CRLF or lone CR; LSP positions are 0-based
// UTF-16 code units.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineMap } from '../../server/src/config';
import { oraclePosition } from './helpers';

test('LF, CRLF and lone CR each end one line', () => {
  const text = 'a\nbb\r\nccc\rdddd';
  const m = new LineMap(text);
  assert.deepEqual(m.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(m.positionAt(1), { line: 0, character: 1 }); // on the \n: end of line 0
  assert.deepEqual(m.positionAt(2), { line: 1, character: 0 });
  assert.deepEqual(m.positionAt(4), { line: 1, character: 2 }); // on the \r of \r\n
  assert.deepEqual(m.positionAt(6), { line: 2, character: 0 });
  assert.deepEqual(m.positionAt(9), { line: 2, character: 3 }); // on the lone \r
  assert.deepEqual(m.positionAt(10), { line: 3, character: 0 });
  assert.deepEqual(m.positionAt(text.length), { line: 3, character: 4 });
});

test('\\n\\r is two line ends (LF then lone CR), not one', () => {
  const m = new LineMap('a\n\rb');
  assert.deepEqual(m.positionAt(3), { line: 2, character: 0 });
});

test('a text ending in a line end has an empty last line', () => {
  for (const eol of ['\n', '\r\n', '\r']) {
    const text = `x${eol}`;
    const m = new LineMap(text);
    assert.deepEqual(m.positionAt(text.length), { line: 1, character: 0 }, JSON.stringify(eol));
  }
});

test('characters are UTF-16 code units: an emoji counts 2, é counts 1', () => {
  const text = 'é😀=x\n';
  const m = new LineMap(text);
  assert.deepEqual(m.positionAt(text.indexOf('=')), { line: 0, character: 3 });
  assert.equal(m.offsetAt({ line: 0, character: 3 }), 3);
});

test('offsetAt is the inverse of positionAt on every offset that is not inside a CRLF', () => {
  const text = '[Upgrade]\r\nA = b\rC=d\n\n😀 x\r\n';
  const m = new LineMap(text);
  for (let off = 0; off <= text.length; off++) {
    if (text[off - 1] === '\r' && text[off] === '\n') continue;
    assert.equal(m.offsetAt(m.positionAt(off)), off, `offset ${off}`);
  }
});

test('property: positionAt agrees with an independent line/column oracle', () => {
  const chars = fc.constantFrom('a', ' ', '\n', '\r', '\r\n', 'é', '😀', '=', '[');
  fc.assert(
    fc.property(fc.array(chars, { maxLength: 40 }).map((a) => a.join('')), fc.nat(), (text, n) => {
      const off = text.length === 0 ? 0 : n % (text.length + 1);
      if (text[off - 1] === '\r' && text[off] === '\n') return; // inside a CRLF: no column exists
      const m = new LineMap(text);
      const p = m.positionAt(off);
      const o = oraclePosition(text, off);
      assert.deepEqual({ line: p.line + 1, col: p.character + 1 }, o);
    }),
    { numRuns: 500 },
  );
});
