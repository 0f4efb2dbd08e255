// The transfer line's policy, shared by the upgrade server (TransferQueue) and
// the planner: at most `limit` at once, first come first served, no jumping
// the line even when a slot is free.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FifoSlots } from '../../server/src/upgrade/fifoSlots';
import { TransferQueue } from '../../server/src/upgrade/transferQueue';

test('at most limit hold a slot; the others start in arrival order as slots free', () => {
  const q = new FifoSlots<number>(2);
  assert.equal(q.enter(1), true);
  assert.equal(q.enter(2), true);
  assert.equal(q.enter(3), false);
  assert.equal(q.enter(4), false);
  assert.deepEqual(q.waiting(), [3, 4]);
  assert.deepEqual(q.release(), [3]);
  assert.deepEqual(q.release(), [4]);
  assert.deepEqual(q.release(), []);
  assert.equal(q.running, 1);
  assert.equal(q.queued, 0);
});

test('a newcomer waits behind the line even when a slot is free', () => {
  const q = new FifoSlots<string>(1);
  q.enter('a');
  q.enter('b');
  q.setLimit(0);
  q.release(); // a done; limit 0: b still waits
  assert.equal(q.enter('c'), false);
  assert.deepEqual(q.setLimit(1), ['b']);
  assert.deepEqual(q.waiting(), ['c']);
});

test('leaving the line; a raised limit starts several at once; 10,000 drain in order', () => {
  const q = new FifoSlots<number>(1);
  q.enter(0);
  for (let i = 1; i <= 10_000; i++) q.enter(i);
  assert.equal(q.leave(5), true);
  assert.equal(q.leave(5), false);
  assert.deepEqual(q.setLimit(3), [1, 2]);
  const order: number[] = [];
  while (q.queued > 0) order.push(...q.release());
  assert.equal(order.length, 10_000 - 3);
  assert.deepEqual(order.slice(0, 3), [3, 4, 6]);
  assert.ok(order.every((v, i) => i === 0 || v > order[i - 1]));
});

test("the upgrade server's TransferQueue starts waiters in the same order as FifoSlots", () => {
  const started: number[] = [];
  const places = new Map<number, number>();
  const queue = new TransferQueue(3, 60_000);
  const slots = new FifoSlots<number>(3);
  const expected: number[] = [];
  for (let i = 0; i < 1000; i++) {
    queue.enter({ start: () => started.push(i), position: (p) => places.set(i, p) });
    if (slots.enter(i)) expected.push(i);
  }
  for (let i = 0; i < 1000; i++) {
    queue.release();
    expected.push(...slots.release());
  }
  queue.clear();
  assert.deepEqual(started, expected);
  assert.equal(started.length, 1000);
  assert.equal(places.get(3), 1, 'the first waiter learns it is first');
  assert.equal(places.get(999), 997, 'the last of 997 waiters');
});
