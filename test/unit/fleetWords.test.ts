// A fleet's results as the administrator reads them (issue 11 observation
// 11): grouped by version as the CLI's "By version" table and the editor's
// tree group them (one function), and in words for the toast: decisions
// first, then what went otherwise, then the failures by kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fleetInWords, groupByVersion } from '../../server/src/simulator';
import type { ClientReport } from '../../server/src/simulator';

let id = 0;
function desk(version: string, action: ClientReport['action'], outcome: ClientReport['outcome'], reason?: string): ClientReport {
  return { id: ++id, name: `desk-${id}`, version, action, outcome, reason, finalVersion: version, bytes: 0, resumes: 0, ms: 1, story: [] };
}

function many(n: number, make: () => ClientReport): ClientReport[] {
  return Array.from({ length: n }, make);
}

test('the toast of issue 11: 44 desks, 30 patched, 10 full setup, 4 already current, 2 failed by hash', () => {
  const clients = [
    ...many(28, () => desk('5.10.3', 'patch', 'upgraded', 'patchable')),
    ...many(2, () => desk('5.10.3', 'patch', 'hash-mismatch', 'patchable')),
    ...many(10, () => desk('4.0', 'full', 'upgraded', 'not-patchable')),
    ...many(4, () => desk('5.20.12', 'allow', 'let-in', 'current')),
  ];
  assert.equal(fleetInWords({ clients }), '44 desks: 30 patched, 10 full setup, 4 already current; 2 failed: hash-mismatch');
});

test('declines and restarts are said after the decisions; failures of several kinds are counted by kind', () => {
  const clients = [
    ...many(3, () => desk('5.10.3', 'patch', 'declined', 'patchable')),
    ...many(2, () => desk('4.0', 'full', 'restart-required', 'not-patchable')),
    ...many(2, () => desk('4.0', 'full', 'error', 'not-patchable')),
    desk('4.0', 'full', 'size-mismatch', 'not-patchable'),
    desk('garbage', 'reject', 'rejected', 'bad-version'),
    ...many(6, () => desk('5.10.3', 'allow', 'let-in', 'held-back')),
    desk('5.11', 'none', 'error'),
  ];
  assert.equal(
    fleetInWords({ clients }),
    '16 desks: 6 held back, 5 full setup, 3 patched, 1 rejected (not a version), 1 no decision; 3 declined, 2 restart required; 4 failed: 3 error, 1 size-mismatch',
  );
});

test('one desk, thousands of desks, and a cancelled run', () => {
  assert.equal(fleetInWords({ clients: [desk('5.20.12.1', 'allow', 'let-in', 'newer')] }), '1 desk: 1 newer (let in)');
  assert.equal(fleetInWords({ clients: many(1500, () => desk('4.0', 'full', 'upgraded', 'not-patchable')) }), '1,500 desks: 1,500 full setup');
  const done = many(990, () => desk('4.0', 'full', 'upgraded', 'not-patchable'));
  assert.equal(fleetInWords({ clients: done, cancelled: { done: 990, total: 1000 } }), 'cancelled after 990 of 1,000 desks: 990 full setup');
  assert.equal(fleetInWords({ clients: [], cancelled: { done: 0, total: 1000 } }), 'cancelled after 0 of 1,000 desks');
});

test('by version: each version once in the order it first appears, its count, one decision or "mixed", its outcomes', () => {
  const clients = [
    desk('5.10.3', 'patch', 'upgraded'),
    desk('4.0', 'full', 'upgraded'),
    desk('5.10.3', 'patch', 'declined'),
    desk('5.10.3', 'allow', 'let-in', 'held-back'),
    desk('4.0', 'full', 'hash-mismatch'),
  ];
  assert.deepEqual(groupByVersion(clients), [
    { version: '5.10.3', clients: 3, action: 'mixed', outcomes: { upgraded: 1, declined: 1, 'let-in': 1 } },
    { version: '4.0', clients: 2, action: 'full', outcomes: { upgraded: 1, 'hash-mismatch': 1 } },
  ]);
  assert.deepEqual(groupByVersion([]), []);
});
