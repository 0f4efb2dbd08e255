// Decoding of the bytes of an upgrade.ini (spec section 1). Windows editors
// write UTF-16 with a BOM; Notepad's "ANSI" is Windows-1252, which Windows INI
// readers read too: a file without a BOM that is not UTF-8 is read that way,
// with a warning. A file with NUL bytes and no BOM is one error at 1:1.

export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface Decoded {
  /** The text without its BOM ('' when it did not decode). */
  text: string;
  encoding: TextEncodingName;
  /** Set when the bytes are not text in an accepted encoding. */
  error?: string;
  /** Set when the text was read as Windows-1252: says so and names the first byte that is not UTF-8. */
  warning?: string;
}

import { TextDecoder } from 'node:util';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf16le = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });

export function decodeBytes(bytes: Uint8Array): Decoded {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return decodeWith(utf8, bytes.subarray(3), 'utf-8-bom');
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return decodeUtf16(bytes.subarray(2), 'utf-16le');
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return decodeUtf16(swapPairs(bytes.subarray(2)), 'utf-16be');
  }
  // UTF-16 without a BOM (or a file that is not text) is full of NULs: refuse
  // it rather than report a thousand nonsense lines.
  if (bytes.includes(0)) {
    return {
      text: '',
      encoding: 'utf-8',
      error:
        'the file contains NUL bytes: it looks like UTF-16 without a byte-order mark. Save it as UTF-8, or as UTF-16 with a BOM',
    };
  }
  const bad = firstNonUtf8(bytes);
  if (bad < 0) return decodeWith(utf8, bytes, 'utf-8');
  const text = decodeWindows1252(bytes);
  const { line, column } = positionOf(text, bad);
  const hex = bytes[bad].toString(16).toUpperCase().padStart(2, '0');
  return {
    text,
    encoding: 'windows-1252',
    warning: `the file is not UTF-8 (byte 0x${hex} at line ${line}, column ${column} is not UTF-8), so it is read as Windows-1252 ("ANSI"), as Windows INI readers read it: that byte is "${text[bad]}". Save the file as UTF-8 so that every program reads the same text`,
  };
}

/** The offset of the first byte that does not start or continue a well-formed UTF-8 sequence, or -1. */
export function firstNonUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // no overlong forms
      if (b === 0xed) hi = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f; // nothing above U+10FFFF
    } else return i;
    const second = bytes[i + 1];
    if (second === undefined || second < lo || second > hi) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

// Windows-1252 differs from Latin-1 in 0x80-0x9F (€, curly quotes, dashes...);
// the five bytes it leaves undefined keep their C1 code points (WHATWG).
// Node's TextDecoder reads 'windows-1252' as Latin-1, hence this table.
const CP1252_80_9F = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 8192;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const codes = Array.from(bytes.subarray(start, start + CHUNK), (b) => (b >= 0x80 && b <= 0x9f ? CP1252_80_9F[b - 0x80] : b));
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join('');
}

/** 1-based line and column (UTF-16 units) of `offset` in `text`; LF, CRLF and lone CR end lines. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

function decodeUtf16(bytes: Uint8Array, encoding: TextEncodingName): Decoded {
  if (bytes.length % 2 !== 0) {
    return { text: '', encoding, error: `the file is ${encoding.toUpperCase()} but has an odd number of bytes: it is cut short or not text` };
  }
  return decodeWith(utf16le, bytes, encoding);
}

function decodeWith(decoder: TextDecoder, bytes: Uint8Array, encoding: TextEncodingName): Decoded {
  try {
    return { text: decoder.decode(bytes), encoding };
  } catch {
    const what = encoding.startsWith('utf-8') ? 'UTF-8' : encoding.toUpperCase();
    return {
      text: '',
      encoding,
      error: `the file is not valid ${what}: save it as UTF-8, or as UTF-16 with a byte-order mark`,
    };
  }
}

function swapPairs(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1];
    out[i + 1] = bytes[i];
  }
  if (bytes.length % 2 !== 0) out[bytes.length - 1] = bytes[bytes.length - 1];
  return out;
}
