// Version sets (spec section 3), the value of `Patchable`. Every item form is
// one closed interval [lo, hi] of the discrete, totally ordered version space,
// so emptiness, "reaches CurrentVersion" and redundancy are interval questions:
// O(1) per item, and O(n log n) for redundancy over the whole list.
import type { Diagnostic, Span, Version, VersionSet, VersionSetItem } from './types';
import type { TextChange } from './parser';
import {
  compareVersions,
  makeVersion,
  MAX_COMPONENT,
  MAX_VERSION,
  MIN_VERSION,
  nextVersion,
  previousVersion,
  readVersion,
  scanVersion,
} from './version';

export interface ParsedVersionSet {
  set: VersionSet;
  /** Malformed items, empty items and trailing commas. */
  diagnostics: Diagnostic[];
}

const COMMA = 44;
const SPACE = 32;
const TAB = 9;

/** A value read before, for parseVersionSet to take over what an edit did not touch. */
export interface PreviousVersionSet {
  text: string;
  base: number;
  parsed: ParsedVersionSet;
  /** The edit of the document since (document offsets). */
  change: TextChange;
}

/**
 * Parses `text` (the value of Patchable) that starts at `base` in the
 * document. Given the previous value and the edit since, only the items
 * between the commas around the edit are read again; the others are taken
 * over (moved in place), so `previous.parsed` must not be used afterwards.
 */
export function parseVersionSet(text: string, base = 0, previous?: PreviousVersionSet): ParsedVersionSet {
  const items: VersionSetItem[] = [];
  const diagnostics: Diagnostic[] = [];
  if (text.trim().length === 0) return { set: { items }, diagnostics };
  if (previous && previous.text.trim().length > 0) return reparseVersionSet(text, base, previous);
  scanSegments(text, base, 0, text.length, items, diagnostics);
  return { set: { items }, diagnostics };
}

/**
 * Reads the comma-separated segments from `from` (0 or just after a comma)
 * up to and including the one that ends at the comma at `to`, or to the end
 * of the text when `to` is its length.
 */
function scanSegments(text: string, base: number, from: number, to: number, items: VersionSetItem[], diagnostics: Diagnostic[]): void {
  const n = text.length;
  let start = from;
  for (;;) {
    // The next comma by the native search: a 20,000-item list is 500 kB.
    let i = text.indexOf(',', start);
    if (i === -1) i = n;
    let s = start;
    let e = i;
    while (s < e && isBlank(text.charCodeAt(s))) s++;
    while (e > s && isBlank(text.charCodeAt(e - 1))) e--;
    if (s === e) {
      if (i === n) {
        // Nothing after the last comma.
        const comma = start - 1;
        diagnostics.push({
          code: 'trailing-comma',
          severity: 'error',
          span: { start: base + comma, end: base + comma + 1 },
          message: 'Patchable ends with a comma: remove it, or add the item that should follow',
          fixes: [{ title: 'Remove the trailing comma', edits: [{ span: { start: base + comma, end: base + comma + 1 }, newText: '' }], preferred: true }],
        });
      } else {
        diagnostics.push({
          code: 'empty-patchable-item',
          severity: 'error',
          span: { start: base + i, end: base + i + 1 },
          message: 'Patchable has an empty item between two commas: remove the extra comma',
          fixes: [{ title: 'Remove the extra comma', edits: [{ span: { start: base + i, end: base + i + 1 }, newText: '' }], preferred: true }],
        });
      }
    } else {
      const r = parseItem(text.slice(s, e), base + s);
      if ('code' in r) diagnostics.push(r);
      else items.push(r);
    }
    if (i === n || i === to) return;
    start = i + 1;
  }
}

function shiftDiagnostic(d: Diagnostic, delta: number): void {
  // Each span of these diagnostics is an object of its own (scanSegments, bad).
  d.span.start += delta;
  d.span.end += delta;
  for (const f of d.fixes ?? []) {
    for (const e of f.edits) {
      e.span.start += delta;
      e.span.end += delta;
    }
  }
}

/** The first index of `list` (in text order) whose span starts after `offset`. */
function firstAfter<T extends { span: Span }>(list: readonly T[], offset: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].span.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function reparseVersionSet(text: string, base: number, previous: PreviousVersionSet): ParsedVersionSet {
  const { change } = previous;
  const old = previous.text;
  const oldBase = previous.base;
  const n = text.length;
  // How much of the value is the same before and after the edit, from each end.
  const same = oldBase === base ? Math.max(0, Math.min(change.start - base, old.length, n)) : 0;
  const tail = oldBase + old.length - change.oldEnd;
  let sameTail = tail === base + n - change.newEnd ? Math.max(0, Math.min(tail, old.length, n)) : 0;
  if (same + sameTail > Math.min(old.length, n)) sameTail = Math.min(old.length, n) - same;
  // Cut at the commas around the edit: the segments before the first and after the second are taken over.
  let before = same - 1;
  while (before >= 0 && text.charCodeAt(before) !== COMMA) before--;
  let after = n - sameTail;
  while (after < n && text.charCodeAt(after) !== COMMA) after++;
  // Nothing but blanks after that comma: the trailing-comma error is the last segment's, read it again.
  let k = n - 1;
  while (k > after && isBlank(text.charCodeAt(k))) k--;
  if (k === after) after = n;
  const oldAfter = after - (n - old.length);

  const prevItems = previous.parsed.set.items;
  const prevDiags = previous.parsed.diagnostics;
  const i0 = firstAfter(prevItems, oldBase + before);
  const i1 = after < n ? firstAfter(prevItems, oldBase + oldAfter) : prevItems.length;
  const g0 = firstAfter(prevDiags, oldBase + before);
  const g1 = after < n ? firstAfter(prevDiags, oldBase + oldAfter) : prevDiags.length;

  const items: VersionSetItem[] = [];
  const diagnostics: Diagnostic[] = [];
  const headShift = base - oldBase;
  const tailShift = base + after - (oldBase + oldAfter);
  for (let i = 0; i < i0; i++) {
    prevItems[i].span.start += headShift;
    prevItems[i].span.end += headShift;
    items.push(prevItems[i]);
  }
  for (let i = 0; i < g0; i++) {
    // The trailing-comma error belongs to the segment after its comma: read again.
    if (prevDiags[i].code === 'trailing-comma') continue;
    shiftDiagnostic(prevDiags[i], headShift);
    diagnostics.push(prevDiags[i]);
  }
  const added: VersionSetItem[] = [];
  scanSegments(text, base, before + 1, after, added, diagnostics);
  for (const it of added) items.push(it);
  for (let i = i1; i < prevItems.length; i++) {
    prevItems[i].span.start += tailShift;
    prevItems[i].span.end += tailShift;
    items.push(prevItems[i]);
  }
  for (let i = g1; i < prevDiags.length; i++) {
    shiftDiagnostic(prevDiags[i], tailShift);
    diagnostics.push(prevDiags[i]);
  }
  carrySorted(prevItems, items, prevItems.slice(i0, i1), added);
  return { set: { items }, diagnostics };
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/** An item, or what is wrong with it (no wrapper object: 20,000 items are common). */
type ItemParse = VersionSetItem | Diagnostic;

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

export function isEmptyItem(item: Pick<VersionSetItem, 'lo' | 'hi'>): boolean {
  return compareVersions(item.lo, item.hi) > 0;
}

/** The first item that matches `version`, if any. */
export function findMatch(set: VersionSet, version: Version): VersionSetItem | undefined {
  for (const item of set.items) {
    if (compareVersions(item.lo, version) <= 0 && compareVersions(version, item.hi) <= 0) return item;
  }
  return undefined;
}

export interface Redundancy {
  item: VersionSetItem;
  /** The item that wholly contains it (the earlier one, for duplicates). */
  container: VersionSetItem;
}

// One sort per list: the checks and completion both want the items in this order.
const sortedCache = new WeakMap<readonly VersionSetItem[], readonly VersionSetItem[]>();

/** The items that match something, by lower bound ascending, upper bound descending, position ascending. */
export function byLowerBound(items: readonly VersionSetItem[]): readonly VersionSetItem[] {
  let order = sortedCache.get(items);
  if (!order) {
    const sorted = items.filter((it) => !isEmptyItem(it));
    sorted.sort(compareItems);
    order = sorted;
    sortedCache.set(items, order);
  }
  return order;
}

const compareItems = (a: VersionSetItem, b: VersionSetItem): number =>
  compareVersions(a.lo, b.lo) || compareVersions(b.hi, a.hi) || a.span.start - b.span.start;

/**
 * The order of `items`, made from that of `previous` (when known) without
 * `removed` and with `added`: no new sort after an edit. The previous order is
 * taken over (changed in place), as the previous list is.
 */
function carrySorted(previous: readonly VersionSetItem[], items: readonly VersionSetItem[], removed: readonly VersionSetItem[], added: readonly VersionSetItem[]): void {
  const order = sortedCache.get(previous) as VersionSetItem[] | undefined;
  if (!order) return;
  if (removed.length > 0) {
    const gone = new Set(removed);
    let k = 0;
    for (let i = 0; i < order.length; i++) if (!gone.has(order[i])) order[k++] = order[i];
    order.length = k;
  }
  for (const it of added) {
    if (isEmptyItem(it)) continue;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareItems(order[mid], it) < 0) lo = mid + 1;
      else hi = mid;
    }
    order.splice(lo, 0, it);
  }
  sortedCache.delete(previous);
  sortedCache.set(items, order);
}

/**
 * Items that are duplicates of, or wholly inside, another item. Sorted by lo
 * ascending, hi descending, position ascending, an item is contained in some
 * other item exactly when the widest-reaching item seen before it reaches at
 * least as far: one sweep, no pairwise work.
 */
export function findRedundant(items: readonly VersionSetItem[]): Redundancy[] {
  const out: Redundancy[] = [];
  let best: VersionSetItem | undefined;
  for (const item of byLowerBound(items)) {
    if (best && compareVersions(best.hi, item.hi) >= 0) out.push({ item, container: best });
    else best = item;
  }
  out.sort((a, b) => a.item.span.start - b.item.span.start);
  return out;
}

/** What an item matches, in plain words: "5.11 <= version <= 5.19". */
export function describeItem(item: Pick<VersionSetItem, 'lo' | 'hi'>): string {
  if (isEmptyItem(item)) return 'no version at all';
  const lo = compareVersions(item.lo, MIN_VERSION) === 0 ? null : item.lo.text;
  const hi = compareVersions(item.hi, MAX_VERSION) === 0 ? null : item.hi.text;
  if (lo !== null && hi !== null && compareVersions(item.lo, item.hi) === 0) return `version = ${lo}`;
  if (lo === null && hi === null) return 'every version';
  const upper = hi === null ? null : upperBound(item.hi);
  if (lo === null) return `version ${upper}`;
  if (upper === null) return `version >= ${lo}`;
  return `${lo} <= version ${upper}`;
}

/** "<= 5.19" or, for a bound like 5.10.65535.65535 (a wildcard's), "< 5.11". */
function upperBound(hi: Version): string {
  if (hi.parts[3] === MAX_COMPONENT) {
    const next = nextVersion(hi);
    if (next) return `< ${next.text}`;
  }
  return `<= ${hi.text}`;
}
