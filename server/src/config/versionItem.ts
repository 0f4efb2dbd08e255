// One Patchable item (spec section 3): its form, and the closed interval
// [lo, hi] of the version space it denotes. parseItem makes the full object
// (bounds as written, for messages, hover and completion); scanSimpleItem
// reads the two common forms (a version, a range) into numbers only, for the
// compact store of a whole list (versionSetStore.ts). Both read versions
// through the one scanParts, and scanSimpleItem answers only when parseItem
// would accept the item with the same bounds (a property test checks it).
import type { Diagnostic, Span, Version, VersionSetItem } from './types';
import {
  compareVersions,
  makeVersion,
  MAX_COMPONENT,
  MAX_VERSION,
  MIN_VERSION,
  nextVersion,
  previousVersion,
  readVersion,
  scannedParts,
  scanParts,
  scanVersion,
} from './version';

const SPACE = 32;
const TAB = 9;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/** An item, or what is wrong with it (no wrapper object: 20,000 items are common). */
export type ItemParse = VersionSetItem | Diagnostic;

function bad(text: string, at: number, problem: string): Diagnostic {
  return {
    code: 'invalid-patchable-item',
    severity: 'error',
    span: { start: at, end: at + text.length },
    message: `Patchable item "${text}" is malformed: ${problem}. Write a version (5.10.3), a wildcard (5.10.*), a range (5.10.1 - 5.10.99) or comparators (>=5.0 <5.10)`,
  };
}

/** One item, already trimmed, starting at document offset `at`. */
export function parseItem(text: string, at: number): ItemParse {
  const span: Span = { start: at, end: at + text.length };
  const c = text.charCodeAt(0);
  if (c === 60 || c === 62 || c === 61) return parseComparators(text, at, span);
  const dash = text.indexOf('-');
  if (dash !== -1) {
    // Bounds by index: one slice per version, no intermediate strings.
    let le = dash;
    while (le > 0 && isBlank(text.charCodeAt(le - 1))) le--;
    let rs = dash + 1;
    while (rs < text.length && isBlank(text.charCodeAt(rs))) rs++;
    if (le === 0 || rs === text.length) return bad(text, at, 'a range needs a version on both sides of "-"');
    const lo = scanVersion(text, 0, le);
    if (typeof lo === 'string') return bad(text, at, lo);
    const hi = scanVersion(text, rs, text.length);
    if (typeof hi === 'string') return bad(text, at, hi);
    return { kind: 'range', text, span, lo, hi };
  }
  const star = text.indexOf('*');
  if (star !== -1) {
    if (star !== text.length - 1) return bad(text, at, '"*" may only stand last');
    if (text === '*') return { kind: 'wildcard', text, span, lo: MIN_VERSION, hi: MAX_VERSION };
    if (text.charCodeAt(star - 1) !== 46) return bad(text, at, '"*" must follow a "." (5.10.*)');
    const prefix = text.slice(0, star - 1);
    const r = readVersion(prefix);
    if (!r.ok) return bad(text, at, r.problem);
    const count = prefix.split('.').length;
    if (count > 3) return bad(text, at, 'a wildcard has at most three components before "*"');
    const lo = [...r.version.parts] as number[];
    const hi = [...r.version.parts] as number[];
    for (let k = count; k < 4; k++) {
      lo[k] = 0;
      hi[k] = MAX_COMPONENT;
    }
    return {
      kind: 'wildcard',
      text,
      span,
      lo: makeVersion(lo as unknown as Version['parts']),
      hi: makeVersion(hi as unknown as Version['parts']),
    };
  }
  const v = scanVersion(text, 0, text.length);
  if (typeof v === 'string') return bad(text, at, v);
  return { kind: 'exact', text, span, lo: v, hi: v };
}

const OPERATORS = ['>=', '<=', '>', '<', '='] as const;
type Operator = (typeof OPERATORS)[number];

function parseComparators(text: string, at: number, span: Span): ItemParse {
  let lo: Version | null = MIN_VERSION;
  let hi: Version | null = MAX_VERSION;
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && isBlank(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) return bad(text, at, `expected an operator (>= > <= < =) at "${text.slice(i)}"`);
    i += op.length;
    while (i < n && isBlank(text.charCodeAt(i))) i++;
    let j = i;
    while (j < n && !isBlank(text.charCodeAt(j)) && !'<>='.includes(text[j])) j++;
    if (j === i) return bad(text, at, `"${op}" needs a version after it`);
    const r = readVersion(text.slice(i, j));
    if (!r.ok) return bad(text, at, r.problem);
    [lo, hi] = narrow(lo, hi, op, r.version);
    i = j;
  }
  // An impossible bound (> the top of the space) is an empty interval.
  if (lo === null || hi === null) return { kind: 'comparators', text, span, lo: MAX_VERSION, hi: MIN_VERSION };
  return { kind: 'comparators', text, span, lo, hi };
}

function maxV(a: Version | null, b: Version | null): Version | null {
  if (a === null || b === null) return null;
  return compareVersions(a, b) >= 0 ? a : b;
}

function minV(a: Version | null, b: Version | null): Version | null {
  if (a === null || b === null) return null;
  return compareVersions(a, b) <= 0 ? a : b;
}

function narrow(lo: Version | null, hi: Version | null, op: Operator, v: Version): [Version | null, Version | null] {
  switch (op) {
    case '>=':
      return [maxV(lo, v), hi];
    case '>':
      return [maxV(lo, nextVersion(v)), hi];
    case '<=':
      return [lo, minV(hi, v)];
    case '<':
      return [lo, minV(hi, previousVersion(v))];
    case '=':
      return [maxV(lo, v), minV(hi, v)];
  }
}

/** The result of the last scanSimpleItem that succeeded (a scratch: no object per item). */
export const scannedItem = { range: false, loHigh: 0, loLow: 0, hiHigh: 0, hiLow: 0 };

/**
 * Reads text[s, e) (trimmed, not empty) when it is an exact version or a
 * range of two into `scannedItem` and returns true; false for anything else
 * (a wildcard, comparators, a malformed item), which the caller hands to
 * parseItem. Mirrors parseItem's first two branches step by step.
 */
export function scanSimpleItem(text: string, s: number, e: number): boolean {
  const c = text.charCodeAt(s);
  if (c === 60 || c === 62 || c === 61) return false;
  let dash = text.indexOf('-', s);
  if (dash >= e) dash = -1;
  const out = scannedItem;
  const p = scannedParts;
  if (dash === -1) {
    // A '*' makes scanParts fail: wildcards go to parseItem.
    if (scanParts(text, s, e) !== null) return false;
    out.range = false;
    out.loHigh = out.hiHigh = p.a * 65536 + p.b;
    out.loLow = out.hiLow = p.c * 65536 + p.d;
    return true;
  }
  let le = dash;
  while (le > s && isBlank(text.charCodeAt(le - 1))) le--;
  let rs = dash + 1;
  while (rs < e && isBlank(text.charCodeAt(rs))) rs++;
  if (le === s || rs === e) return false;
  if (scanParts(text, s, le) !== null) return false;
  out.loHigh = p.a * 65536 + p.b;
  out.loLow = p.c * 65536 + p.d;
  if (scanParts(text, rs, e) !== null) return false;
  out.hiHigh = p.a * 65536 + p.b;
  out.hiLow = p.c * 65536 + p.d;
  out.range = true;
  return true;
}
