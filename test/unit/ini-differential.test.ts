// Differential test against npm `ini` 5.0.0: on files where the dialect and
// `ini` agree (no duplicates, no inline comments, no dotted or array keys, no
// quotes, no escapes, no values `ini` turns into booleans/null), both must
// read the same section -> key -> value maps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as ini from 'ini';
import { parseDocument } from '../../server/src/config';

const nameChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'.split(''), 'é', 'Ü');
const name = fc.array(nameChar, { minLength: 1, maxLength: 10 }).map((a) => a.join(''));
const valueChar = fc.constantFrom(...'abcXYZ019 .-_/:,*<>=+'.split(''), 'é', '😀');
const value = fc
  .array(valueChar, { maxLength: 20 })
  .map((a) => a.join('').trim())
  .filter((v) => !['true', 'false', 'null'].includes(v));
const blanks = fc.constantFrom('', ' ', '  ', '\t');
const eol = fc.constantFrom('\n', '\r\n');

/** Keys unique case-insensitively (the dialect's rule), so no duplicates at all. */
function uniqueCi(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const k = n.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const section = fc.record({
  name,
  entries: fc.array(fc.tuple(name, value, blanks, blanks), { maxLength: 6 }),
});
const file = fc.record({
  sections: fc.array(section, { minLength: 1, maxLength: 5 }),
  eol,
  comments: fc.array(fc.constantFrom('; note', '# note', '', '   '), { maxLength: 3 }),
});

type Maps = Record<string, Record<string, string>>;

test('dialect and ini 5.0.0 read the same section/key/value maps', () => {
  fc.assert(
    fc.property(file, ({ sections, eol: nl, comments }) => {
      const lines: string[] = [...comments];
      const expected: Maps = {};
      const sectionNames = uniqueCi(sections.map((s) => s.name));
      for (const s of sections) {
        if (!sectionNames.includes(s.name) || s.name in expected) continue;
        lines.push(`[${s.name}]`);
        const keys = uniqueCi(s.entries.map((e) => e[0]));
        expected[s.name] = {};
        for (const [k, v, b1, b2] of s.entries) {
          if (!keys.includes(k) || k in expected[s.name]) continue;
          lines.push(`${b1}${k}${b2}=${b1}${v}`);
          expected[s.name][k] = v;
        }
        lines.push(...comments);
      }
      const text = lines.join(nl) + nl;

      const doc = parseDocument(text);
      assert.deepEqual(doc.syntaxDiagnostics, [], text);
      const ours: Maps = {};
      for (const s of doc.sections) {
        ours[s.name] = {};
        for (const e of s.entries) ours[s.name][e.name] = e.value;
      }
      // ini builds null-prototype objects: compare plain copies
      const theirs = JSON.parse(JSON.stringify(ini.parse(text))) as Maps;
      assert.deepEqual(ours, theirs, text);
      assert.deepEqual(ours, expected, text);
    }),
    { numRuns: 1500 },
  );
});
