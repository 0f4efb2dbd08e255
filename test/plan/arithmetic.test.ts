// Spec section 9: where the arithmetic is exact, the plan agrees with it. N
// clients log in at once for a file of S bytes, MaxTransfers M, uplink B, no
// client cap: the downloads end at ceil(N / M) * S / (B / M) when N is a
// multiple of M, and within one transfer's time (S / (B / M)) otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planRollout } from '../../server/src/plan';
import { config, desks, files, input } from './helpers';

function lastDownloadEnd(n: number, s: number, m: number, b: number): number {
  const plan = planRollout(input({ desks: desks(n), files: files(s), config: config({ maxTransfers: m }), linkBytesPerSecond: b }));
  return Math.max(...plan.clients.map((c) => c.downloadEnd!));
}

const CASES: [n: number, s: number, m: number, b: number][] = [
  [12, 4 * 1024 * 1024, 4, 8e6],
  [300, 48_000_000, 4, 12.5e6],
  [1024, 3_000_001, 16, 125e6],
  [7, 1_000_000, 7, 1e6],
  [64, 262_144, 1, 10e6],
];

test('N a multiple of M: the last download ends at exactly ceil(N/M) * S / (B/M)', () => {
  for (const [n, s, m, b] of CASES) {
    assert.equal(n % m, 0);
    const expected = Math.ceil(n / m) * (s / (b / m));
    const actual = lastDownloadEnd(n, s, m, b);
    assert.ok(Math.abs(actual - expected) <= expected * 1e-12, `N=${n} S=${s} M=${m} B=${b}: ${actual} s, arithmetic says ${expected} s`);
  }
});

test('N not a multiple of M: within one transfer time of ceil(N/M) * S / (B/M)', () => {
  for (const [n, s, m, b] of [
    [13, 4 * 1024 * 1024, 4, 8e6],
    [301, 48_000_000, 4, 12.5e6],
    [1001, 3_000_001, 16, 125e6],
  ] as const) {
    const expected = Math.ceil(n / m) * (s / (b / m));
    const oneTransfer = s / (b / m);
    const actual = lastDownloadEnd(n, s, m, b);
    assert.ok(Math.abs(actual - expected) <= oneTransfer, `N=${n}: ${actual} s is more than ${oneTransfer} s from ${expected} s`);
    // And exactly what processor sharing gives: all bytes over the full link.
    assert.ok(Math.abs(actual - (n * s) / b) <= 1e-9 * actual, `N=${n}: the link never idles, so ${(n * s) / b} s`);
  }
});
