// Spec section 1, encoding: UTF-8 with or without BOM; UTF-16 LE/BE with BOM;
// without a BOM, bytes that are not UTF-8 (and no NUL) are Windows-1252 with one
// warning at 1:1 naming the first byte that is not UTF-8; NUL bytes without a
// BOM are one error at 1:1.
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

test('not UTF-8 and no NUL: read as Windows-1252, one warning naming the first byte that is not UTF-8', () => {
  // [bytes, the offending byte, its 1-based line and column]
  for (const [bytes, byte, line, column] of [
    [new Uint8Array([...utf8('[Upgrade]\n; caf'), 0xe9, 0x0a]), 'E9', 2, 6],
    [new Uint8Array([0x5b, 0x80, 0x5d]), '80', 1, 2],
    [new Uint8Array([...utf8('abc\r\nde'), 0xe2, 0x98]), 'E2', 2, 3], // truncated sequence
    [new Uint8Array([0xc0, 0xaf]), 'C0', 1, 1], // overlong '/'
    // a surrogate in UTF-8 form; the whole file is then Windows-1252, so 'é' (2 bytes) is 2 columns
    [new Uint8Array([...utf8('é'), 0xed, 0xa0, 0x80]), 'ED', 1, 3],
    [new Uint8Array([...utf8('a\rb\r'), 0xf4, 0x90, 0x80, 0x80]), 'F4', 3, 1], // above U+10FFFF
  ] as const) {
    const d = decodeBytes(bytes);
    const hex = Buffer.from(bytes).toString('hex');
    assert.equal(d.error, undefined, hex);
    assert.equal(d.encoding, 'windows-1252', hex);
    assert.ok(d.warning?.includes(`0x${byte}`), `${hex}: ${d.warning}`);
    assert.ok(d.warning?.includes(`line ${line}, column ${column}`), `${hex}: ${d.warning}`);
    assert.equal(d.text.length, bytes.length, 'one character per byte');
  }
});

test('Windows-1252 decoding: 0x80-0x9F are the Windows characters, not Latin-1 controls; the rest is Latin-1', () => {
  // From the Windows-1252 code chart (WHATWG index-windows-1252).
  const d = decodeBytes(new Uint8Array([0x80, 0x85, 0x8a, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0x99, 0x9f, 0x81, 0x8d, 0x8f, 0x90, 0x9d, 0xa0, 0xe9, 0xff]));
  assert.equal(d.text, '\u20ac\u2026\u0160\u2018\u2019\u201c\u201d\u2013\u2014\u2122\u0178\u0081\u008d\u008f\u0090\u009d\u00a0\u00e9\u00ff');
});

test('NUL bytes without a BOM are an error whether or not the rest is UTF-8', () => {
  for (const bytes of [
    new Uint8Array(Buffer.from('[Upgrade]\n', 'utf16le')),
    new Uint8Array([0x5b, 0x00, 0xe9]),
    new Uint8Array([0x00]),
  ]) {
    const d = decodeBytes(bytes);
    assert.ok(d.error?.includes('NUL'), Buffer.from(bytes).toString('hex'));
    assert.equal(d.warning, undefined);
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

test('loadConfig: an ANSI file gets one ansi-encoding warning at 1:1 and every other check', async () => {
  const path = join(tmp.dir, 'latin1.ini');
  writeFileSync(join(tmp.dir, 'Netphone_520.exe'), 'setup');
  writeFileSync(path, Buffer.concat([Buffer.from(UPGRADE + '; caf'), Buffer.from([0xe9]), Buffer.from('\n[Bogus]\n=x\n')]));
  const loaded = await loadConfig(path);
  assert.deepEqual(
    loaded.diagnostics.filter((d) => d.code !== 'missing-sha256').map((d) => [d.code, d.severity, d.span.start]),
    [
      ['ansi-encoding', 'warning', 0],
      ['unknown-section', 'warning', UPGRADE.length + '; café\n['.length],
      ['empty-key', 'error', UPGRADE.length + '; café\n[Bogus]\n'.length],
    ],
  );
  assert.equal(loaded.encoding, 'windows-1252');
  assert.ok(loaded.text.includes('; café'));
  assert.equal(loaded.ok, false);
});

test('loadConfig: an ANSI file that is otherwise valid is ok (a warning only), and the warning can be silenced', async () => {
  const path = join(tmp.dir, 'ansi-ok.ini');
  writeFileSync(join(tmp.dir, 'Netphone_520.exe'), 'setup');
  writeFileSync(path, Buffer.concat([Buffer.from('; Caf'), Buffer.from([0xe9]), Buffer.from(`\n${UPGRADE}`)]));
  const loaded = await loadConfig(path);
  assert.deepEqual(loaded.diagnostics.filter((d) => d.code !== 'missing-sha256').map((d) => d.code), ['ansi-encoding']);
  assert.equal(loaded.ok, true);
  writeFileSync(path, Buffer.concat([Buffer.from('; nsupgrade-disable ansi-encoding\n; Caf'), Buffer.from([0xe9]), Buffer.from(`\n${UPGRADE}`)]));
  assert.deepEqual((await loadConfig(path)).diagnostics.filter((d) => d.code !== 'missing-sha256'), []);
});

test('loadConfig: NUL bytes without a BOM give exactly one bad-encoding error at 1:1', async () => {
  const path = join(tmp.dir, 'nul.ini');
  writeFileSync(path, Buffer.concat([Buffer.from(UPGRADE), Buffer.from([0x00]), Buffer.from('\n[Bogus]\n=x\n')]));
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
