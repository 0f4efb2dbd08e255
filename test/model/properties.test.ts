// Properties of the model over generated input (fast-check): it never throws,
// its ranges stay inside the text, version order is total, and set matching
// agrees with a brute-force oracle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, compareVersions, findMatch, parseVersion, parseVersionSet, type Version } from '../../server/src/config';

const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
const iniLine = fc.oneof(
  fc.string(),
  fc.constantFrom('[Upgrade]', '[Server]', '[Setup]', '[', ']', '[]', 'Port = 8767', 'CurrentVersion = 5.20', 'FullSetup = a.exe', 'Mode = Optional'),
  fc.tuple(fc.constantFrom('Patchable', 'CurrentVersion', 'Port', 'Bind', 'Enabled'), fc.string()).map(([k, v]) => `${k} = ${v}`),
  fc.array(fc.constantFrom('5', '.', '*', '-', ',', ' ', '>=', '<', '10', '65536', '"', ';'), { maxLength: 12 }).map((p) => `Patchable = ${p.join('')}`),
);
const iniText = fc.array(fc.tuple(iniLine, lineEnd), { maxLength: 20 }).map((ls) => ls.map(([l, e]) => l + e).join(''));

test('analyze never throws and every range lies inside the text', () => {
  fc.assert(
    fc.property(fc.oneof(iniText, fc.fullUnicodeString()), (text) => {
      const a = analyze(text);
      for (const d of a.diagnostics) {
        assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length, `${d.code} ${JSON.stringify(d.span)}`);
        for (const r of d.related ?? []) assert.ok(r.span.end <= text.length);
        for (const f of d.fixes ?? []) for (const e of f.edits) assert.ok(e.span.start <= e.span.end && e.span.end <= text.length);
      }
    }),
    { numRuns: 2000 },
  );
});

test('the tree is lossless: spans and line ends give back the text', () => {
  fc.assert(
    fc.property(iniText, (text) => {
      const doc = analyze(text).doc;
      assert.equal(doc.lines.map((l) => text.slice(l.span.start, l.span.end) + l.eol).join(''), text);
    }),
    { numRuns: 1000 },
  );
});

const component = fc.integer({ min: 0, max: 65535 });
const versionText = fc.array(component, { minLength: 1, maxLength: 4 }).map((p) => p.join('.'));

function tuple(v: Version): number[] {
  return [...v.parts];
}

function oracleCompare(a: number[], b: number[]): number {
  for (let i = 0; i < 4; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

test('version order is a total order that matches the tuple order', () => {
  fc.assert(
    fc.property(versionText, versionText, versionText, (x, y, z) => {
      const [a, b, c] = [x, y, z].map((t) => parseVersion(t)!);
      const ab = Math.sign(compareVersions(a, b));
      assert.equal(ab, Math.sign(oracleCompare(x.split('.').map(Number), y.split('.').map(Number))));
      // `+ 0` turns -0 into 0: strict equality tells them apart.
      assert.equal(Math.sign(compareVersions(b, a)) + 0, -ab + 0);
      assert.equal(compareVersions(a, a), 0);
      if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0) assert.ok(compareVersions(a, c) <= 0);
    }),
    { numRuns: 2000 },
  );
});

// Small versions (components 0-3, up to 3 components) so the oracle can
// enumerate them and random items overlap often.
const small = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 });
const op = fc.constantFrom('>=', '>', '<=', '<', '=');
const item = fc.oneof(
  small.map((p) => ({ text: p.join('.'), test: (v: number[]) => oracleCompare(v, p) === 0 })),
  small.map((p) => ({ text: `${p.join('.')}.*`, test: (v: number[]) => p.every((c, i) => (v[i] ?? 0) === c) })),
  fc.tuple(small, small).map(([lo, hi]) => ({ text: `${lo.join('.')} - ${hi.join('.')}`, test: (v: number[]) => oracleCompare(v, lo) >= 0 && oracleCompare(v, hi) <= 0 })),
  fc.array(fc.tuple(op, small), { minLength: 1, maxLength: 3 }).map((cs) => ({
    text: cs.map(([o, p]) => `${o}${p.join('.')}`).join(' '),
    test: (v: number[]) =>
      cs.every(([o, p]) => {
        const c = oracleCompare(v, p);
        return o === '>=' ? c >= 0 : o === '>' ? c > 0 : o === '<=' ? c <= 0 : o === '<' ? c < 0 : c === 0;
      }),
  })),
);

test('version-set matching agrees with a brute-force oracle', () => {
  const all: number[][] = [];
  for (let a = 0; a <= 4; a++) for (let b = 0; b <= 4; b++) for (let c = 0; c <= 4; c++) all.push([a, b, c]);
  fc.assert(
    fc.property(fc.array(item, { minLength: 1, maxLength: 5 }), (items) => {
      const parsed = parseVersionSet(items.map((i) => i.text).join(', '));
      assert.deepEqual(parsed.diagnostics, []);
      for (const v of all) {
        const expected = items.some((i) => i.test(v));
        const got = findMatch(parsed.set, parseVersion(v.join('.'))!) !== undefined;
        assert.equal(got, expected, `${v.join('.')} in ${items.map((i) => i.text).join(', ')}`);
      }
    }),
    { numRuns: 500 },
  );
});

test('versions: zero-filling, leading zeros and malformed forms', () => {
  assert.equal(compareVersions(parseVersion('5.2')!, parseVersion('5.02.0.0')!), 0);
  assert.ok(compareVersions(parseVersion('5.2')!, parseVersion('5.10')!) < 0);
  assert.deepEqual(tuple(parseVersion('5.10.0003')!), [5, 10, 3, 0]);
  for (const bad of ['', '5.', '.5', '5..1', '1.2.3.4.5', '65536', '123456', '5.x', ' 5', '5.*']) {
    assert.equal(parseVersion(bad), null, bad);
  }
});
