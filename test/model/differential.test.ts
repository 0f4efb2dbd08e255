// Where our dialect and npm `ini` agree (no duplicates, no inline comments, no
// quotes, no dotted or array keys), both must read the same values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse as iniParse } from 'ini';
import { parseDocument } from '../../server/src/config';

const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,11}$/);
// Values without the characters where the two dialects differ on purpose.
const value = fc.stringMatching(/^[A-Za-z0-9_.,:*<>= -]{0,20}$/).map((s) => s.trim()).filter((s) => !/^(true|false|null)$/i.test(s));
const blanks = fc.constantFrom('', ' ', '  ', '\t');

const file = fc
  .uniqueArray(fc.tuple(name, fc.uniqueArray(fc.tuple(name, value), { selector: ([k]) => k.toLowerCase(), maxLength: 6 })), {
    selector: ([s]) => s.toLowerCase(),
    minLength: 1,
    maxLength: 5,
  })
  .chain((sections) =>
    fc.tuple(fc.constant(sections), fc.array(fc.tuple(blanks, blanks), { minLength: 40, maxLength: 40 }), fc.constantFrom('\n', '\r\n')),
  );

test('our parser and ini.parse read the same sections, keys and values', () => {
  fc.assert(
    fc.property(file, ([sections, pads, eol]) => {
      let i = 0;
      const pad = (): [string, string] => pads[i++ % pads.length];
      const lines: string[] = ['; generated'];
      for (const [section, entries] of sections) {
        lines.push(`[${section}]`);
        for (const [k, v] of entries) {
          const [a, b] = pad();
          lines.push(`${k}${a}=${b}${v}`);
        }
      }
      const text = lines.join(eol) + eol;
      const theirs = iniParse(text) as Record<string, Record<string, string>>;
      const ours: Record<string, Record<string, string>> = {};
      for (const s of parseDocument(text).sections) {
        ours[s.name] = {};
        for (const e of s.entries) ours[s.name][e.name] = e.value;
      }
      assert.deepEqual(ours, JSON.parse(JSON.stringify(theirs)));
    }),
    { numRuns: 500 },
  );
});
