// The frame codec alone: any split of the byte stream gives the same frames,
// and every limit and malformation is a typed error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeControl, encodeControls, encodeDataHeader, FrameDecoder, ProtocolError, validateClientMessage, validateServerMessage, type Frame } from '../../server/src/upgrade/codec';
import type { ClientMessage } from '../../server/src/upgrade/messages';

const messages: ClientMessage[] = [
  { type: 'hello', protocol: 1, client: 'NetPhone' },
  { type: 'login', version: '5.10.3', name: 'desk-12 é' },
  { type: 'accept', offset: 1234 },
  { type: 'result', previousVersion: '5.10.3', newVersion: '5.20.12', outcome: 'restart-required', downloadMs: 42 },
];

function stream(): Buffer {
  const data = Buffer.from(Array.from({ length: 300 }, (_, i) => i & 255));
  return Buffer.concat([...messages.map((m) => encodeControl(m)), encodeDataHeader(data.length), data, encodeDataHeader(0)]);
}

function decodeIn(pieces: Buffer[]): Frame[] {
  const d = new FrameDecoder();
  return pieces.flatMap((p) => d.push(p));
}

test('any split of the stream decodes to the same frames', () => {
  const whole = stream();
  const expected = decodeIn([whole]);
  assert.equal(expected.length, messages.length + 2);
  assert.deepEqual(expected.slice(0, messages.length).map((f) => f.kind === 'control' && validateClientMessage(f.json)), messages);
  for (let cut = 0; cut <= whole.length; cut++) {
    assert.deepEqual(decodeIn([whole.subarray(0, cut), whole.subarray(cut)]), expected, `cut at ${cut}`);
  }
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 200 }), (sizes) => {
      const pieces: Buffer[] = [];
      let at = 0;
      for (const s of sizes) {
        if (at >= whole.length) break;
        pieces.push(whole.subarray(at, at + s));
        at += s;
      }
      pieces.push(whole.subarray(at));
      assert.deepEqual(decodeIn(pieces), expected);
    }),
  );
});

test('several messages in one buffer are the same bytes as each framed alone, multi-byte text included', () => {
  const text = fc.string({ unit: 'binary', maxLength: 40 });
  const message = fc.oneof(
    fc.record({ type: fc.constant('hello' as const), protocol: fc.nat(), client: text }),
    fc.record({ type: fc.constant('login' as const), version: text, name: text }),
    fc.record({ type: fc.constant('accept' as const), offset: fc.nat() }),
  );
  fc.assert(
    fc.property(fc.array(message, { minLength: 1, maxLength: 6 }), (ms) => {
      const together = encodeControls(ms);
      assert.ok(together.equals(Buffer.concat(ms.map((m) => encodeControl(m)))));
      assert.deepEqual(decodeIn([together]).map((f) => f.kind === 'control' && f.json), JSON.parse(JSON.stringify(ms)));
    }),
  );
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ProtocolError);
    return err.code;
  }
  return 'no error';
}

test('limits and malformed frames are typed errors, and the decoder stays failed', () => {
  const small = { maxFrameBytes: 100, maxControlBytes: 50 };
  assert.equal(codeOf(() => new FrameDecoder(small).push(encodeDataHeader(100))), 'frame-too-large');
  assert.equal(codeOf(() => new FrameDecoder(small).push(encodeControl({ type: 'login', version: 'x'.repeat(60) }))), 'frame-too-large');
  assert.equal(codeOf(() => new FrameDecoder().push(Buffer.from([0, 0, 0, 0, 1]))), 'bad-frame');
  assert.equal(codeOf(() => new FrameDecoder().push(Buffer.from([0, 0, 0, 2, 7, 0]))), 'bad-frame');
  assert.equal(codeOf(() => new FrameDecoder().push(Buffer.concat([Buffer.from([0, 0, 0, 3, 1]), Buffer.from('{x')]))), 'bad-message');
  const d = new FrameDecoder();
  codeOf(() => d.push(Buffer.from([0, 0, 0, 0, 1])));
  assert.equal(codeOf(() => d.push(encodeControl({ type: 'bye' }))), 'bad-frame');
});

test('validation names what is wrong and drops nothing that is right', () => {
  assert.equal(codeOf(() => validateClientMessage([])), 'bad-message');
  assert.equal(codeOf(() => validateClientMessage({ type: 'login' })), 'bad-message');
  assert.equal(codeOf(() => validateClientMessage({ type: 'accept', offset: -1 })), 'bad-message');
  assert.equal(codeOf(() => validateClientMessage({ type: 'result', previousVersion: '1', outcome: 'exploded' })), 'bad-message');
  assert.deepEqual(validateClientMessage({ type: 'accept', extra: true }), { type: 'accept' });
  assert.equal(codeOf(() => validateServerMessage({ type: 'offer', kind: 'patch', mode: 'forced', file: 'a', size: 1, sha256: 'zz', version: '1', setup: { conflictingApps: [], restartIfBusy: true } })), 'bad-message');
  assert.deepEqual(validateServerMessage({ type: 'queued', position: 3 }), { type: 'queued', position: 3 });
});

test('decision: modeReason is read; a reason the client does not know is read by its action (a newer server may add reasons)', () => {
  assert.deepEqual(validateServerMessage({ type: 'decision', action: 'patch', reason: 'patchable', mode: 'optional', modeReason: 'outside-forced-hours' }), {
    type: 'decision',
    action: 'patch',
    reason: 'patchable',
    mode: 'optional',
    modeReason: 'outside-forced-hours',
  });
  assert.deepEqual(validateServerMessage({ type: 'decision', action: 'allow', reason: 'some-future-reason' }), { type: 'decision', action: 'allow', reason: 'some-future-reason' });
  assert.equal(codeOf(() => validateServerMessage({ type: 'decision', action: 'patch', reason: 'patchable', mode: 'optional', modeReason: 7 })), 'bad-message');
  assert.equal(codeOf(() => validateServerMessage({ type: 'decision', action: 'wait', reason: 'throttled' })), 'bad-message');
});
