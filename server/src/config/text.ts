// Decoding of the bytes of an upgrade.ini (spec section 1). Windows editors
// write UTF-16 with a BOM; everything else must be UTF-8. A file that does not
// decode is one error at 1:1, never a guess.

export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

export interface Decoded {
  /** The text without its BOM ('' when it did not decode). */
  text: string;
  encoding: TextEncodingName;
  /** Set when the bytes are not text in an accepted encoding. */
  error?: string;
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
  const decoded = decodeWith(utf8, bytes, 'utf-8');
  // UTF-16 without a BOM decodes as "valid" UTF-8 full of NULs: refuse it
  // rather than report a thousand nonsense lines.
  if (!decoded.error && decoded.text.includes('\0')) {
    return {
      text: '',
      encoding: 'utf-8',
      error:
        'the file contains NUL bytes: it looks like UTF-16 without a byte-order mark. Save it as UTF-8, or as UTF-16 with a BOM',
    };
  }
  return decoded;
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
