// The compact Patchable store (config/versionSetStore.ts): items as numbers in
// typed arrays, objects made from the text when asked. Spec sections 2-3 must
// read exactly as they did with one object per item, so every answer of the
// store is checked against the objects parseItem makes and against
// compareVersions on them (property tests over random lists of every form,
// malformed ones and odd spellings included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  byLowerBound,
  compareVersions,
  findMatch,
  findRedundant,
  isEmptyItem,
  matchIndex,
  parseItem,
  parseVersionSet,
  versionHigh,
  versionLow,
  VersionSet,
  type Version,
  type VersionSetItem,
} from '../../server/src/config';
import { scanSimpleItem, scannedItem } from '../../server/src/config/versionItem';

const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? -1 : 0);
const component = fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(0, 1, 9, 10, 65534, 65535));
const parts = fc.tuple(component, component, component, component);
const asVersion = (p: [number, number, number, number]): Version => ({ parts: p, text: p.join('.') });

test('packed bounds (a*65536+b, c*65536+d) order versions exactly as compareVersions (property)', () => {
  fc.assert(
    fc.property(parts, parts, (p, q) => {
      const a = asVersion(p);
      const b = asVersion(q);
      const packed = versionHigh(a) - versionHigh(b) || versionLow(a) - versionLow(b);
      assert.equal(sign(packed), sign(compareVersions(a, b)), `${a.text} vs ${b.text}`);
    }),
    { numRuns: 5000 },
  );
});

// Spellings of items: the four forms, leading zeros, blanks, big and too big
// components, too many components, stray characters, astral characters.
const versionText = fc.oneof(
  fc.array(fc.oneof(fc.integer({ min: 0, max: 70000 }).map(String), fc.constantFrom('007', '65535', '65536', '123456', '', 'x', '🙂')), { minLength: 1, maxLength: 5 }).map((p) => p.join('.')),
  fc.constantFrom('5', '5.10', '5.10.3', '5.10.3.7', '0', '65535.65535.65535.65535'),
);
const blank = fc.constantFrom('', ' ', '\t', '  ');
const itemText = fc.oneof(
  versionText,
  fc.tuple(versionText, blank, blank, versionText).map(([a, s, t, b]) => `${a}${s}-${t}${b}`),
  versionText.map((v) => `${v}.*`),
  fc.constantFrom('*', '5.*', '5.10.*', '5.*.1', '5*', '5.10.3.*'),
  fc.tuple(fc.constantFrom('>=', '>', '<=', '<', '='), versionText, blank, fc.constantFrom('', '<', '<=', '>'), versionText).map(([o, a, s, p, b]) => (p ? `${o}${a}${s}${p}${b}` : `${o}${a}`)),
  fc.constantFrom('-', '5 -', '- 5', '5 - - 6', '5-6-7', '>=', 'x', '5.10.3 5.10.4'),
);
const trimmed = itemText.map((t) => t.trim()).filter((t) => t.length > 0 && t === t.replace(/^[ \t]+|[ \t]+$/g, ''));

test('scanSimpleItem reads a version or a range exactly when parseItem does, with the same bounds (property)', () => {
  fc.assert(
    fc.property(trimmed, fc.nat({ max: 5 }), (text, pad) => {
      const padded = `${','.repeat(pad)}${text},`;
      const ok = scanSimpleItem(padded, pad, pad + text.length);
      const r = parseItem(text, 0);
      const simple = !('code' in r) && (r.kind === 'exact' || r.kind === 'range');
      assert.equal(ok, simple, text);
      if (ok && !('code' in r)) {
        assert.equal(scannedItem.range, r.kind === 'range', text);
        assert.deepEqual([scannedItem.loHigh, scannedItem.loLow, scannedItem.hiHigh, scannedItem.hiLow], [versionHigh(r.lo), versionLow(r.lo), versionHigh(r.hi), versionLow(r.hi)], text);
      }
    }),
    { numRuns: 5000 },
  );
});

/** The items as the object list read them: each comma-separated segment, trimmed, through parseItem. */
function oracleItems(value: string, base: number): VersionSetItem[] {
  const out: VersionSetItem[] = [];
  let at = 0;
  for (const segment of value.split(',')) {
    const lead = segment.length - segment.replace(/^[ \t]+/, '').length;
    const t = segment.replace(/^[ \t]+|[ \t]+$/g, '');
    if (t.length > 0) {
      const r = parseItem(t, base + at + lead);
      if (!('code' in r)) out.push(r);
    }
    at += segment.length + 1;
  }
  return out;
}

const list = fc.tuple(fc.array(fc.tuple(blank, itemText, blank), { maxLength: 25 }), fc.nat({ max: 50 })).map(([items, base]) => ({ value: items.map(([a, t, b]) => `${a}${t}${b}`).join(','), base }));

test('every item of the store reads as the object parseItem makes of its text: kind, text, span, bounds, emptiness (property)', () => {
  fc.assert(
    fc.property(list, ({ value, base }) => {
      const set = parseVersionSet(value, base).set;
      const expected = oracleItems(value, base);
      assert.equal(set.size, expected.length, value);
      expected.forEach((it, i) => {
        assert.equal(set.kindOf(i), it.kind);
        assert.equal(set.textOf(i), it.text);
        assert.deepEqual([set.startOf(i), set.endOf(i)], [it.span.start, it.span.end]);
        assert.deepEqual([set.loHigh(i), set.loLow(i), set.hiHigh(i), set.hiLow(i)], [versionHigh(it.lo), versionLow(it.lo), versionHigh(it.hi), versionLow(it.hi)]);
        assert.equal(set.isEmpty(i), isEmptyItem(it), it.text);
        assert.deepEqual(set.item(i), it);
        assert.equal(set.indexAt(it.span.start), i);
      });
      assert.deepEqual(set.items, expected);
    }),
    { numRuns: 1500 },
  );
});

test('matching, the sorted order and redundancy agree with compareVersions on the objects (property)', () => {
  const probe = fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 3 }), fc.constantFrom(0, 65535)).map((p) => asVersion(p));
  const small = fc.array(
    fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 })).map(([a, b]) => `${a}.${b}`),
      fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 })).map(([a, b, c, d]) => `${a}.${b} - ${c}.${d}`),
      fc.integer({ min: 0, max: 12 }).map((a) => `${a}.*`),
      fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 })).map(([a, b]) => `>=${a} <${b}.1`),
    ),
    { maxLength: 20 },
  );
  fc.assert(
    fc.property(small, fc.array(probe, { maxLength: 10 }), (items, probes) => {
      const set = parseVersionSet(items.join(', ')).set;
      const objects = set.items;
      for (const v of probes) {
        const first = objects.findIndex((it) => compareVersions(it.lo, v) <= 0 && compareVersions(v, it.hi) <= 0);
        assert.equal(matchIndex(set, v), first, v.text);
        assert.equal(findMatch(set, v), first === -1 ? undefined : objects[first]);
      }
      // The order of the redundancy sweep, as the object list sorted it.
      const byObjects = objects
        .map((it, i) => ({ it, i }))
        .filter(({ it }) => !isEmptyItem(it))
        .sort((a, b) => compareVersions(a.it.lo, b.it.lo) || compareVersions(b.it.hi, a.it.hi) || a.it.span.start - b.it.span.start)
        .map(({ i }) => i);
      assert.deepEqual([...byLowerBound(set)], byObjects);
      // Redundant: wholly inside another item (the earlier one for equal items), by brute force.
      const inside = (a: VersionSetItem, b: VersionSetItem): boolean => compareVersions(b.lo, a.lo) <= 0 && compareVersions(a.hi, b.hi) <= 0;
      const redundant = objects.filter((it, i) => !isEmptyItem(it) && objects.some((o, j) => j !== i && !isEmptyItem(o) && inside(it, o) && (!inside(o, it) || j < i)));
      assert.deepEqual(findRedundant(set).map((r) => r.item), redundant, items.join(', '));
    }),
    { numRuns: 1500 },
  );
});

test('VersionSet.of keeps the objects it is given; an item made twice is the same object', () => {
  const a = parseItem('5.1 - 5.3', 0);
  const b = parseItem('>=6 <7', 12);
  assert.ok(!('code' in a) && !('code' in b));
  const set = VersionSet.of([a, b]);
  assert.equal(set.item(0), a);
  assert.equal(set.item(1), b);
  assert.equal(findMatch(set, asVersion([6, 5, 0, 0])), b);
  const parsed = parseVersionSet('5.1, 5.2 - 5.4').set;
  assert.equal(parsed.item(1), parsed.item(1));
  assert.equal(parsed.items[1], parsed.item(1));
  assert.throws(() => parsed.item(2), /no Patchable item 2 of 2/);
  assert.deepEqual(JSON.parse(JSON.stringify(parsed)), JSON.parse(JSON.stringify(parsed.items)));
});
