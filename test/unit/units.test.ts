// Spec section 9: RATE (bit, Kbit, Mbit, Gbit, B, KB, MB, GB per second; K, M,
// G powers of 1000) and DURATION (90s, 15m, 2h, 0s), and [Server] MaxRate,
// which takes a RATE (section 4). Expected values are the spec's arithmetic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, formatDuration, formatRate, parseDuration, parseRate } from '../../server/src/config';
import { diagsOf, UPGRADE, where } from './helpers';

test('RATE: every unit of section 9, K/M/G = 1000, bits are 1/8 byte', () => {
  const cases: [string, number][] = [
    ['80Mbit', 10_000_000], // the spec's own example
    ['100Mbit', 12_500_000],
    ['12.5MB', 12_500_000],
    ['8bit', 1],
    ['8Kbit', 1_000],
    ['8Mbit', 1_000_000],
    ['8Gbit', 1_000_000_000],
    ['7B', 7],
    ['7KB', 7_000],
    ['7MB', 7_000_000],
    ['7GB', 7_000_000_000],
    ['1gbit', 125_000_000], // unit names in any case where bits and bytes stay apart
    ['6 MB', 6_000_000],
    ['6MB/s', 6_000_000],
  ];
  for (const [text, bytes] of cases) assert.deepEqual(parseRate(text), { ok: true, value: bytes }, text);
});

test('RATE: no unit, an unknown unit, a lowercase b alone (bits or bytes?), zero and garbage are refused with a reason', () => {
  for (const text of ['50', '50 Mbps', '50mb', '50Kb', '50b', '0MB', '0bit', 'MB', '', '-5MB', '5,5MB', '1e3MB', '99999999999999GB']) {
    const r = parseRate(text);
    assert.equal(r.ok, false, text);
    assert.ok(!r.ok && r.problem.length > 10, text);
  }
});

test('DURATION: 90s, 15m, 2h, 0s in seconds', () => {
  for (const [text, s] of [['90s', 90], ['15m', 900], ['2h', 7200], ['0s', 0], ['1h30m', 5400], ['1.5h', 5400]] as const) {
    assert.deepEqual(parseDuration(text), { ok: true, value: s }, text);
  }
  for (const text of ['90', 's', '', '-1s', '15 minutes', '1d', '30m1h', '1h1h']) assert.equal(parseDuration(text).ok, false, text);
});

test('formatRate and formatDuration write what parseRate and parseDuration read back', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1e12 }), (bytes) => {
      const r = parseRate(formatRate(bytes));
      // three decimals in the largest unit: within 0.05 %
      return r.ok && Math.abs(r.value - bytes) <= bytes * 5e-4 + 0.5;
    }),
  );
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e7 }), (seconds) => {
      const r = parseDuration(formatDuration(seconds));
      return r.ok && r.value === seconds;
    }),
  );
  assert.equal(formatRate(10_000_000), '10MB');
  assert.equal(formatDuration(5400), '1h30m');
});

test('[Server] MaxRate: a RATE in bytes a second; no line: no cap', () => {
  assert.equal(analyze(UPGRADE).config.server.maxRate, null);
  const a = analyze(`${UPGRADE}[Server]\nMaxRate = 50Mbit\n`);
  assert.deepEqual(a.diagnostics, []);
  assert.equal(a.config.server.maxRate, 6_250_000);
  assert.equal(analyze(`${UPGRADE}[Server]\nmaxrate = "6MB"\n`).config.server.maxRate, 6_000_000);
});

test('[Server] MaxRate: invalid-rate on the value, the key keeps no cap; empty is empty-value on the key', () => {
  const text = `${UPGRADE}[Server]\nMaxRate = 50 mb ; the uplink\n`;
  const [d] = diagsOf(text, 'invalid-rate');
  assert.deepEqual([d.severity, d.line, d.col, d.endCol, d.marked], ['error', 5, 11, 16, '50 mb']);
  assert.equal(analyze(text).config.server.maxRate, null);
  const empty = `${UPGRADE}[Server]\nMaxRate =\n`;
  const e = analyze(empty).diagnostics.map((x) => where(empty, x));
  assert.deepEqual(e.map((x) => [x.code, x.line, x.col, x.marked]), [['empty-value', 5, 1, 'MaxRate']]);
});
