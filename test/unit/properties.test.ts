// Property tests (fast-check): robustness of the parser and the checks on any
// text, diagnostic spans inside the document, the version order, and version
// set matching against a brute-force oracle written here from spec sections 2-3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  analyze,
  compareVersions,
  findMatch,
  parseDocument,
  parseVersion,
  parseVersionSet,
  type Version,
} from '../../server/src/config';

// Text made of the pieces that matter to this grammar, so random inputs reach
// deep into it (headers, entries, quotes, comments, every line end).
const piece = fc.oneof(
  fc.constantFrom('[', ']', '=', '"', ';', '#', ' ', '\t', ',', '-', '*', '.', '<', '>=', '\n', '\r', '\r\n'),
  fc.constantFrom('[Upgrade]', '[Server]', '[Setup]', 'CurrentVersion', 'FullSetup', 'PatchFile', 'Patchable', 'Port', 'Bind', 'Mode'),
  fc.constantFrom('5.20.12', '5.10.*', '5.1 - 5.9', '>=5.0 <5.10', '65536', 'Yes', '0.0.0.0', 'é', '😀', '\uD800', '\uFEFF', '\0'),
  fc.string({ maxLength: 4 }),
);
const iniish = fc.array(piece, { maxLength: 60 }).map((a) => a.join(''));
const anyText = fc.oneof(iniish, fc.fullUnicodeString({ maxLength: 200 }), fc.string({ maxLength: 200 }));

test('parseDocument and analyze never throw, on any string', () => {
  fc.assert(
    fc.property(anyText, (text) => {
      parseDocument(text);
      analyze(text);
    }),
    { numRuns: 3000 },
  );
});

test('every diagnostic span lies inside the document (start <= end <= length)', () => {
  fc.assert(
    fc.property(anyText, (text) => {
      for (const d of analyze(text).diagnostics) {
        assert.ok(Number.isInteger(d.span.start) && Number.isInteger(d.span.end), d.code);
        assert.ok(0 <= d.span.start && d.span.start <= d.span.end && d.span.end <= text.length, `${d.code} ${JSON.stringify(d.span)} in ${text.length}`);
        for (const r of d.related ?? []) assert.ok(0 <= r.span.start && r.span.start <= r.span.end && r.span.end <= text.length);
        assert.ok(['error', 'warning', 'information', 'hint'].includes(d.severity));
        assert.ok(d.message.length > 0);
      }
    }),
    { numRuns: 3000 },
  );
});

test('the parse tree rebuilds the text exactly (lossless) on any string', () => {
  fc.assert(
    fc.property(anyText, (text) => {
      const doc = parseDocument(text);
      assert.equal(doc.lines.map((l) => text.slice(l.span.start, l.span.end) + l.eol).join(''), text);
    }),
    { numRuns: 2000 },
  );
});

// ------------------------------------------------------------------ versions

type Tuple = [number, number, number, number];
const component = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 65535 }));
const tuple = fc.tuple(component, component, component, component) as fc.Arbitrary<Tuple>;

/** A tuple written in one of its many spellings: trailing zeros dropped, leading zeros added. */
function spell(t: Tuple, keep: number, pad: number[]): string {
  let n = 4;
  while (n > keep && n > 1 && t[n - 1] === 0) n--;
  return t
    .slice(0, n)
    .map((c, i) => {
      const s = String(c);
      return '0'.repeat(Math.min(pad[i] ?? 0, 5 - s.length)) + s;
    })
    .join('.');
}
const spelled = fc
  .tuple(tuple, fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }))
  .map(([t, keep, pad]) => ({ t, text: spell(t, keep, pad) }));

function oracleCompare(a: Tuple, b: Tuple): number {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

function ver(text: string): Version {
  const v = parseVersion(text);
  assert.ok(v, `${text} parses`);
  return v;
}

test('every spelling of a tuple parses to that tuple', () => {
  fc.assert(
    fc.property(spelled, ({ t, text }) => {
      assert.deepEqual([...ver(text).parts], t);
    }),
    { numRuns: 2000 },
  );
});

test('version order matches the tuple oracle', () => {
  fc.assert(
    fc.property(spelled, spelled, (a, b) => {
      assert.equal(Math.sign(compareVersions(ver(a.text), ver(b.text))), oracleCompare(a.t, b.t));
    }),
    { numRuns: 3000 },
  );
});

test('version order is a total order: reflexive, antisymmetric, transitive, total', () => {
  fc.assert(
    fc.property(spelled, spelled, spelled, (x, y, z) => {
      const [a, b, c] = [ver(x.text), ver(y.text), ver(z.text)];
      const le = (p: Version, q: Version): boolean => compareVersions(p, q) <= 0;
      assert.ok(le(a, a));
      assert.equal(compareVersions(a, a), 0);
      if (le(a, b) && le(b, a)) assert.deepEqual([...a.parts], [...b.parts]);
      if (le(a, b) && le(b, c)) assert.ok(le(a, c));
      assert.ok(le(a, b) || le(b, a));
      // `+ 0` turns -0 into 0: strict equality tells them apart.
      assert.equal(Math.sign(compareVersions(a, b)) + 0, -Math.sign(compareVersions(b, a)) + 0);
    }),
    { numRuns: 3000 },
  );
});

// ------------------------------------------------------------------ version sets

const small = fc.integer({ min: 0, max: 3 });
const smallTuple = fc.tuple(small, small, small, small) as fc.Arbitrary<Tuple>;
const smallVersion = fc.tuple(smallTuple, fc.integer({ min: 1, max: 4 })).map(([t, keep]) => ({ t, text: spell(t, keep, [0, 0, 0, 0]) }));

type Pred = (v: Tuple) => boolean;
interface GenItem {
  text: string;
  matches: Pred;
}

const cmp = (v: Tuple, w: Tuple): number => oracleCompare(v, w);

const exactItem: fc.Arbitrary<GenItem> = smallVersion.map(({ t, text }) => ({ text, matches: (v) => cmp(v, t) === 0 }));
const wildcardItem: fc.Arbitrary<GenItem> = fc
  .array(small, { minLength: 1, maxLength: 3 })
  .map((prefix) => ({ text: `${prefix.join('.')}.*`, matches: (v) => prefix.every((c, i) => v[i] === c) }));
const rangeItem: fc.Arbitrary<GenItem> = fc
  .tuple(smallVersion, smallVersion, fc.constantFrom(' - ', '-', ' -  '))
  .map(([lo, hi, dash]) => ({ text: `${lo.text}${dash}${hi.text}`, matches: (v) => cmp(lo.t, v) <= 0 && cmp(v, hi.t) <= 0 }));
const ops: Record<string, (c: number) => boolean> = {
  '>=': (c) => c >= 0,
  '>': (c) => c > 0,
  '<=': (c) => c <= 0,
  '<': (c) => c < 0,
  '=': (c) => c === 0,
};
const comparatorsItem: fc.Arbitrary<GenItem> = fc
  .array(fc.tuple(fc.constantFrom('>=', '>', '<=', '<', '='), smallVersion), { minLength: 1, maxLength: 3 })
  .map((list) => ({
    text: list.map(([op, w]) => `${op}${w.text}`).join(' '),
    matches: (v) => list.every(([op, w]) => ops[op](cmp(v, w.t))),
  }));
const anyItem = fc.oneof(exactItem, wildcardItem, rangeItem, comparatorsItem);

test('findMatch agrees with a brute-force oracle on random sets of all four kinds', () => {
  fc.assert(
    fc.property(fc.array(anyItem, { minLength: 1, maxLength: 6 }), fc.array(smallVersion, { minLength: 1, maxLength: 20 }), (items, versions) => {
      const text = items.map((i) => i.text).join(', ');
      const parsed = parseVersionSet(text);
      assert.deepEqual(parsed.diagnostics.map((d) => d.code), [], text);
      assert.equal(parsed.set.items.length, items.length, text);
      for (const { t, text: vt } of versions) {
        const expected = items.some((i) => i.matches(t));
        const got = findMatch(parsed.set, ver(vt));
        assert.equal(got !== undefined, expected, `${vt} in ${text}`);
        if (got) {
          const idx = parsed.set.items.indexOf(got);
          assert.ok(idx >= 0 && items[idx].matches(t), `the returned item ${got.text} really matches ${vt}`);
        }
      }
    }),
    { numRuns: 2000 },
  );
});

test('an item reported empty (empty-range) matches no small version, and a non-empty item is never reported empty', () => {
  fc.assert(
    fc.property(fc.oneof(rangeItem, comparatorsItem), (item) => {
      const text = `[Upgrade]\nCurrentVersion = 9\nFullSetup = f\nPatchFile = p\nPatchable = ${item.text}\n`;
      const empty = analyze(text).diagnostics.some((d) => d.code === 'empty-range');
      // brute force over every small tuple, plus the spec's boundaries
      let any = false;
      for (let a = 0; a <= 4 && !any; a++)
        for (let b = 0; b <= 4 && !any; b++)
          for (let c = 0; c <= 4 && !any; c++) for (let d = 0; d <= 4 && !any; d++) any = item.matches([a, b, c, d]);
      // versions between small tuples (e.g. 1.0.0.65535) can only add matches, so "any" proves non-empty
      if (any) assert.equal(empty, false, `${item.text} matches something`);
      if (empty) assert.equal(any, false);
    }),
    { numRuns: 1000 },
  );
});

// ------------------------------------------------- emptiness, reach, redundancy

// Every item denotes one interval whose ends (and their neighbours) have
// components in {0..4, 65535} when the item is written with components in
// {0..3, 65535}; so checking every point of U decides emptiness, "reaches
// CurrentVersion" and containment exactly, by brute force.
const U_COMPONENTS = [0, 1, 2, 3, 4, 65535];
const UNIVERSE: Tuple[] = [];
for (const a of U_COMPONENTS) for (const b of U_COMPONENTS) for (const c of U_COMPONENTS) for (const d of U_COMPONENTS) UNIVERSE.push([a, b, c, d]);

const edgeComponent = fc.oneof({ weight: 5, arbitrary: small }, { weight: 1, arbitrary: fc.constant(65535) });
const edgeTuple = fc.tuple(edgeComponent, edgeComponent, edgeComponent, edgeComponent) as fc.Arbitrary<Tuple>;
const edgeVersion = fc.tuple(edgeTuple, fc.integer({ min: 1, max: 4 })).map(([t, keep]) => ({ t, text: spell(t, keep, [0, 0, 0, 0]) }));
const edgeExact: fc.Arbitrary<GenItem> = edgeVersion.map(({ t, text }) => ({ text, matches: (v) => cmp(v, t) === 0 }));
const edgeWildcard: fc.Arbitrary<GenItem> = fc
  .array(edgeComponent, { minLength: 1, maxLength: 3 })
  .map((prefix) => ({ text: `${prefix.join('.')}.*`, matches: (v) => prefix.every((c, i) => v[i] === c) }));
const edgeRange: fc.Arbitrary<GenItem> = fc
  .tuple(edgeVersion, edgeVersion)
  .map(([lo, hi]) => ({ text: `${lo.text} - ${hi.text}`, matches: (v) => cmp(lo.t, v) <= 0 && cmp(v, hi.t) <= 0 }));
const edgeComparators: fc.Arbitrary<GenItem> = fc
  .array(fc.tuple(fc.constantFrom('>=', '>', '<=', '<', '='), edgeVersion), { minLength: 1, maxLength: 3 })
  .map((list) => ({
    text: list.map(([op, w]) => `${op}${w.text}`).join(' '),
    matches: (v) => list.every(([op, w]) => ops[op](cmp(v, w.t))),
  }));
const edgeItem = fc.oneof(edgeExact, edgeWildcard, edgeRange, edgeComparators);

interface Oracle {
  value: string;
  current: string;
  expected: string[][];
  got: string[][];
}

/** Brute-force expectations and the model's answers, per item, for one random Patchable. */
function runOracle(items: GenItem[], current: { t: Tuple; text: string }): Oracle {
  const value = items.map((i) => i.text).join(', ');
  const head = `[Upgrade]\nCurrentVersion = ${current.text}\nFullSetup = f\nPatchFile = p\nPatchable = `;
  const text = `${head}${value}\n`;
  const starts: number[] = [];
  let at = head.length;
  for (const i of items) {
    starts.push(at);
    at += i.text.length + 2;
  }
  const sets = items.map((i) => UNIVERSE.filter((v) => i.matches(v)));
  const key = (v: Tuple): string => v.join('.');
  const asKeys = sets.map((s) => new Set(s.map(key)));
  const expected = items.map((_, i) => {
    const out: string[] = [];
    if (sets[i].length === 0) out.push('empty-range');
    else {
      if (sets[i].some((v) => cmp(v, current.t) >= 0)) out.push('patchable-reaches-current');
      // spec 3: "an item that is a duplicate of, or wholly inside, another item" (the later of two duplicates)
      const inside = items.some((__, j) => {
        if (j === i || sets[j].length === 0) return false;
        const sub = sets[i].every((v) => asKeys[j].has(key(v)));
        const same = sub && sets[i].length === sets[j].length;
        return sub && (!same || j < i);
      });
      if (inside) out.push('redundant-patchable-item');
    }
    return out.sort();
  });
  const got = items.map(() => [] as string[]);
  for (const d of analyze(text).diagnostics) {
    if (!['empty-range', 'patchable-reaches-current', 'redundant-patchable-item'].includes(d.code)) continue;
    const idx = starts.indexOf(d.span.start);
    assert.ok(idx >= 0, `${d.code} at ${d.span.start} is not at an item start in ${value}`);
    assert.equal(d.span.end, starts[idx] + items[idx].text.length, `${d.code} covers the whole item`);
    got[idx].push(d.code);
  }
  return { value, current: current.text, expected, got: got.map((g) => g.sort()) };
}

const only = (lists: string[][], codes: string[]): string[][] => lists.map((l) => l.filter((c) => codes.includes(c)));

test('empty-range and patchable-reaches-current agree with brute force', () => {
  fc.assert(
    fc.property(fc.array(edgeItem, { minLength: 1, maxLength: 5 }), edgeVersion, (items, current) => {
      const o = runOracle(items, current);
      const codes = ['empty-range', 'patchable-reaches-current'];
      assert.deepEqual(only(o.got, codes), only(o.expected, codes), `CurrentVersion ${o.current}, Patchable ${o.value}`);
    }),
    { numRuns: 400 },
  );
});

test('redundant-patchable-item agrees with brute force (spec 3: duplicate of, or wholly inside, another item)', () => {
  fc.assert(
    fc.property(fc.array(edgeItem, { minLength: 1, maxLength: 5 }), edgeVersion, (items, current) => {
      const o = runOracle(items, current);
      const codes = ['redundant-patchable-item'];
      assert.deepEqual(only(o.got, codes), only(o.expected, codes), `CurrentVersion ${o.current}, Patchable ${o.value}`);
    }),
    { numRuns: 400 },
  );
});
