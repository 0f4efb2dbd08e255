// Spec section 1, encoding: UTF-8 with or without BOM; UTF-16 LE/BE with BOM;
// anything else that does not decode is one error at 1:1.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBytes, loadConfig } from '../../server/src/config';
import { tempDir, UPGRADE } from './helpers';

const SAMPLE = '[Upgrade]\r\n; café ☎ 😀\nCurrentVersion = 5.20.12\r';

function utf16le(s: string): Uint8Array {
  const out = new Uint8Array(2 + s.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    out[2 + 2 * i] = u & 0xff;
    out[3 + 2 * i] = u >> 8;
  }
  return out;
}

function utf16be(s: string): Uint8Array {
  const out = new Uint8Array(2 + s.length * 2);
  out[0] = 0xfe;
  out[1] = 0xff;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    out[2 + 2 * i] = u >> 8;
    out[3 + 2 * i] = u & 0xff;
  }
  return out;
}

const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const withBom = (b: Uint8Array): Uint8Array => new Uint8Array([0xef, 0xbb, 0xbf, ...b]);

test('UTF-8 without BOM decodes exactly, non-ASCII and line ends kept', () => {
  const d = decodeBytes(utf8(SAMPLE));
  assert.equal(d.error, undefined);
  assert.equal(d.text, SAMPLE);
});

test('UTF-8 with BOM: the BOM is not part of the text', () => {
  const d = decodeBytes(withBom(utf8(SAMPLE)));
  assert.equal(d.error, undefined);
  assert.equal(d.text, SAMPLE);
  assert.equal(d.text.charCodeAt(0), '['.charCodeAt(0));
});

test('UTF-16LE with BOM decodes, surrogate pairs included', () => {
  const d = decodeBytes(utf16le(SAMPLE));
  assert.equal(d.error, undefined);
  assert.equal(d.text, SAMPLE);
  assert.equal(d.encoding, 'utf-16le');
});

test('UTF-16BE with BOM decodes, surrogate pairs included', () => {
  const d = decodeBytes(utf16be(SAMPLE));
  assert.equal(d.error, undefined);
  assert.equal(d.text, SAMPLE);
  assert.equal(d.encoding, 'utf-16be');
});

test('an empty file is valid (empty) text', () => {
  const d = decodeBytes(new Uint8Array());
  assert.equal(d.error, undefined);
  assert.equal(d.text, '');
});

test('a BOM alone is empty text', () => {
  assert.equal(decodeBytes(new Uint8Array([0xef, 0xbb, 0xbf])).text, '');
  assert.equal(decodeBytes(new Uint8Array([0xff, 0xfe])).text, '');
  assert.equal(decodeBytes(new Uint8Array([0xfe, 0xff])).text, '');
});

test('invalid UTF-8 (Latin-1 é, stray continuation, truncated sequence) is an error', () => {
  for (const bytes of [
    new Uint8Array([...utf8('[Upgrade]\n; caf'), 0xe9, 0x0a]),
    new Uint8Array([0x5b, 0x80, 0x5d]),
    new Uint8Array([...utf8('abc'), 0xe2, 0x98]),
    new Uint8Array([0xc0, 0xaf]), // overlong '/'
  ]) {
    const d = decodeBytes(bytes);
    assert.ok(d.error && d.error.length > 0, `expected an error for ${Buffer.from(bytes).toString('hex')}`);
  }
});

test('UTF-16 with BOM but an odd number of bytes does not decode', () => {
  const b = utf16le('[Upgrade]');
  const d = decodeBytes(b.subarray(0, b.length - 1));
  assert.ok(d.error);
});

test('UTF-16LE with BOM and a lone high surrogate does not decode', () => {
  const d = decodeBytes(new Uint8Array([0xff, 0xfe, 0x3d, 0xd8, 0x41, 0x00]));
  assert.ok(d.error, 'a lone surrogate is not text');
});

test('UTF-16BE with BOM and a lone low surrogate does not decode', () => {
  const d = decodeBytes(new Uint8Array([0xfe, 0xff, 0xde, 0x00, 0x00, 0x41]));
  assert.ok(d.error, 'a lone surrogate is not text');
});

const tmp = tempDir();
after(() => tmp.cleanup());

test('loadConfig: undecodable bytes give exactly one bad-encoding error at 1:1', async () => {
  const path = join(tmp.dir, 'latin1.ini');
  writeFileSync(path, Buffer.concat([Buffer.from(UPGRADE + '; caf'), Buffer.from([0xe9]), Buffer.from('\n[Bogus]\n=x\n')]));
  const loaded = await loadConfig(path);
  assert.equal(loaded.diagnostics.length, 1, JSON.stringify(loaded.diagnostics));
  const [d] = loaded.diagnostics;
  assert.equal(d.code, 'bad-encoding');
  assert.equal(d.severity, 'error');
  assert.equal(d.span.start, 0);
  assert.equal(loaded.ok, false);
});

test('loadConfig: a UTF-16LE config reads like its UTF-8 twin', async () => {
  const text = '[Upgrade]\r\nCurrentVersion = 5.20.12\r\nFullSetup = setup.exe\r\nMode = Sometimes\r\n';
  const a = join(tmp.dir, 'le.ini');
  const b = join(tmp.dir, 'u8.ini');
  writeFileSync(a, utf16le(text));
  writeFileSync(b, text);
  const la = await loadConfig(a);
  const lb = await loadConfig(b);
  assert.deepEqual(
    la.diagnostics.map((d) => [d.code, d.span.start, d.span.end]),
    lb.diagnostics.map((d) => [d.code, d.span.start, d.span.end]),
  );
  assert.ok(la.diagnostics.some((d) => d.code === 'invalid-mode'));
});
