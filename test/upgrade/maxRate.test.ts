// [Server] MaxRate: one token bucket shared by every transfer. The bucket's
// arithmetic with a clock the test moves (released bytes never exceed
// burst + rate * elapsed, and it is not slower than that either), then the real
// server over sockets: four downloads together hold the configured rate within
// 5 % over a few seconds, and a login is answered while they are throttled.
// (The 10 s, 20-client figure is a benchmark: bench/rollout.bench.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { burstFor, chunkBytesFor, TokenBucket } from '../../server/src/upgrade/rateLimit';
import type { ServerEvent } from '../../server/src/upgrade/events';
import { configText, hello, login, makeFixture, start } from './helpers';

test('TokenBucket: a burst at once, then each chunk when the rate has paid for it; takers in debt wait in order', () => {
  let t = 0;
  const b = new TokenBucket(1000, 100, () => t);
  assert.equal(b.take(100), 0);
  assert.equal(b.take(100), 100);
  t = 50;
  assert.equal(b.take(300), 350, '(100 + 100 + 300 - 100 burst) bytes at 1000 B/s: released at 400 ms');
  t = 10_000;
  assert.equal(b.take(100), 0, 'idle: the bucket is full again');
  assert.equal(b.take(1), 1, 'but never fuller than the burst');
  b.setRate(2000, 100);
  assert.equal(b.take(2), 1.5, 'a new rate applies to what is owed');
});

test('TokenBucket (property): released bytes never exceed burst + rate * elapsed, and a bucket kept busy releases exactly that', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1000, max: 10_000_000 }),
      fc.integer({ min: 1, max: 70_000 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 70_000 })), { minLength: 1, maxLength: 200 }),
      (rate, burst, takes) => {
        let t = 0;
        const b = new TokenBucket(rate, burst, () => t);
        const released: { at: number; bytes: number }[] = [];
        for (const [dt, bytes] of takes) {
          t += dt;
          released.push({ at: t + b.take(bytes), bytes });
        }
        released.sort((x, y) => x.at - y.at);
        let sum = 0;
        for (const r of released) {
          sum += r.bytes;
          assert.ok(sum <= burst + (rate * r.at) / 1000 + 1e-6, `${sum} bytes by ${r.at} ms at ${rate} B/s, burst ${burst}`);
        }
      },
    ),
  );
  // Busy from the start (every take at t = 0): the last byte goes exactly when the rate has paid for all but the burst.
  const b = new TokenBucket(5000, 1000, () => 0);
  let last = 0;
  for (let i = 0; i < 100; i++) last = b.take(500);
  assert.equal(last, ((100 * 500 - 1000) / 5000) * 1000);
});

test('chunks under a cap: about 50 a second, 4 KiB at least, never above the usual chunk', () => {
  assert.equal(chunkBytesFor(100_000_000, 65536), 65536);
  assert.equal(chunkBytesFor(1_000_000, 65536), 20_000);
  assert.equal(chunkBytesFor(10_000, 65536), 4096);
  assert.equal(burstFor(1_000_000, 65536), 20_005, 'one chunk and its frame header');
});

test('MaxRate over sockets: four downloads together hold the rate within 5 %; a login is answered while they are throttled', async (t) => {
  const RATE = 4_000_000; // MaxRate = 4MB
  const SIZE = 3_000_000;
  const fx = makeFixture(configText({ maxTransfers: 4 }).replace('[Server]\n', '[Server]\nMaxRate = 4MB\nStateFile = None\n'), SIZE);
  const { server, port, events } = await start(fx);
  try {
    assert.equal(server.config.config.server.maxRate, RATE);
    const clients = await Promise.all([0, 1, 2, 3].map(() => login(port, '4.0')));
    let first = 0;
    let firstBytes = 0;
    let last = 0;
    let total = 0;
    let loginAnswered: { running: number; done: number } | null = null;
    const downloads = clients.map(async ({ c }) => {
      c.send({ type: 'accept' });
      const parts: Buffer[] = [];
      for (;;) {
        const item = await c.next(30_000);
        if (item.kind === 'data') {
          const now = performance.now();
          if (first === 0) {
            first = now;
            firstBytes = item.bytes.length;
          }
          last = now;
          total += item.bytes.length;
          parts.push(item.bytes);
          continue;
        }
        if (item.kind === 'closed' || item.message.type === 'done' || item.message.type === 'error') return Buffer.concat(parts);
      }
    });
    // While every transfer is throttled, a desk logs in: it gets its answer at once, not after them.
    while (first === 0) await new Promise((r) => setTimeout(r, 5));
    const desk = await hello(port);
    desk.send({ type: 'login', version: '5.20.12', name: 'desk-x' });
    const d = await desk.message();
    loginAnswered = { running: server.transfers.running, done: events.filter((e: ServerEvent) => e.type === 'transfer-done').length };
    assert.deepEqual(d, { type: 'decision', action: 'allow', reason: 'current' });
    desk.close();
    for (const data of await Promise.all(downloads)) assert.ok(data.equals(fx.full), 'every byte, in order, through the bucket');
    assert.equal(total, 4 * SIZE);
    assert.deepEqual(loginAnswered, { running: 4, done: 0 }, 'the login was answered while all four transfers were still running');
    // From the first chunk's arrival to the last: the bytes after the first chunk over that time.
    const measured = ((total - firstBytes) / (last - first)) * 1000;
    const ratio = measured / RATE;
    t.diagnostic(`measured ${Math.round(measured)} B/s, MaxRate ${RATE} B/s, ratio ${ratio.toFixed(4)}`);
    assert.ok(ratio >= 0.95 && ratio <= 1.05, `measured ${Math.round(measured)} B/s against MaxRate ${RATE} B/s (ratio ${ratio.toFixed(3)})`);
  } finally {
    await server.close();
  }
});
