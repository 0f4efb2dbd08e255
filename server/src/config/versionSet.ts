// Version sets (spec section 3), the value of `Patchable`. Every item form is
// one closed interval [lo, hi] of the discrete, totally ordered version space,
// so emptiness, "reaches CurrentVersion" and redundancy are interval questions:
// O(1) per item, and O(n log n) for redundancy over the whole list.
import type { Diagnostic, Span, Version, VersionSetItem } from './types';
import type { TextChange } from './parser';
import { compareVersions, MAX_COMPONENT, MAX_VERSION, MIN_VERSION, nextVersion } from './version';
import { parseItem, scanSimpleItem, scannedItem } from './versionItem';
import { VersionSet, versionHigh, versionLow } from './versionSetStore';

export { parseItem, type ItemParse } from './versionItem';
export { VersionSet } from './versionSetStore';

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
  const diagnostics: Diagnostic[] = [];
  if (text.trim().length === 0) return { set: new VersionSet(0), diagnostics };
  if (previous && previous.text.trim().length > 0) return reparseVersionSet(text, base, previous);
  const set = new VersionSet(commas(text, 0, text.length) + 1, text, base);
  scanSegments(text, base, 0, text.length, set, diagnostics);
  return { set, diagnostics };
}

/** How many commas text[from, to) holds: one more is the most items it can hold. */
function commas(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf(',', from); i !== -1 && i < to; i = text.indexOf(',', i + 1)) n++;
  return n;
}

/**
 * Reads the comma-separated segments from `from` (0 or just after a comma)
 * up to and including the one that ends at the comma at `to`, or to the end
 * of the text when `to` is its length.
 */
function scanSegments(text: string, base: number, from: number, to: number, set: VersionSet, diagnostics: Diagnostic[]): void {
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
      const r = scannedItem;
      // The common forms go straight into numbers; the rest (and every malformed item) through parseItem.
      if (scanSimpleItem(text, s, e)) set.push(r.range ? 'range' : 'exact', base + s, base + e, r.loHigh, r.loLow, r.hiHigh, r.hiLow);
      else {
        const it = parseItem(text.slice(s, e), base + s);
        if ('code' in it) diagnostics.push(it);
        else set.pushItem(it);
      }
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

  const prev = previous.parsed.set;
  const prevDiags = previous.parsed.diagnostics;
  const i0 = prev.firstAfter(oldBase + before);
  const i1 = after < n ? prev.firstAfter(oldBase + oldAfter) : prev.size;
  const g0 = firstAfter(prevDiags, oldBase + before);
  const g1 = after < n ? firstAfter(prevDiags, oldBase + oldAfter) : prevDiags.length;

  const set = new VersionSet(i0 + (prev.size - i1) + commas(text, before + 1, after) + 1, text, base);
  const diagnostics: Diagnostic[] = [];
  const headShift = base - oldBase;
  const tailShift = base + after - (oldBase + oldAfter);
  set.moveFrom(prev, 0, i0, headShift);
  for (let i = 0; i < g0; i++) {
    // The trailing-comma error belongs to the segment after its comma: read again.
    if (prevDiags[i].code === 'trailing-comma') continue;
    shiftDiagnostic(prevDiags[i], headShift);
    diagnostics.push(prevDiags[i]);
  }
  scanSegments(text, base, before + 1, after, set, diagnostics);
  const added = set.size - i0;
  set.moveFrom(prev, i1, prev.size, tailShift);
  for (let i = g1; i < prevDiags.length; i++) {
    shiftDiagnostic(prevDiags[i], tailShift);
    diagnostics.push(prevDiags[i]);
  }
  carryOrder(prev, set, i0, i1, added);
  return { set, diagnostics };
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

export function isEmptyItem(item: Pick<VersionSetItem, 'lo' | 'hi'>): boolean {
  return compareVersions(item.lo, item.hi) > 0;
}

/** The index of the first item that matches `version`, or -1. */
export function matchIndex(set: VersionSet, version: Version): number {
  const high = versionHigh(version);
  const low = versionLow(version);
  for (let i = 0; i < set.size; i++) if (set.compareLo(i, high, low) <= 0 && set.compareHi(i, high, low) >= 0) return i;
  return -1;
}

/** The first item that matches `version`, if any. */
export function findMatch(set: VersionSet, version: Version): VersionSetItem | undefined {
  const i = matchIndex(set, version);
  return i === -1 ? undefined : set.item(i);
}

export interface Redundancy {
  item: VersionSetItem;
  /** The item that wholly contains it (the earlier one, for duplicates). */
  container: VersionSetItem;
}

/** Items i and j by lower bound ascending, upper bound descending, position ascending. */
export function compareItems(set: VersionSet, i: number, j: number): number {
  return (
    set.loHigh(i) - set.loHigh(j) ||
    set.loLow(i) - set.loLow(j) ||
    set.hiHigh(j) - set.hiHigh(i) ||
    set.hiLow(j) - set.hiLow(i) ||
    set.startOf(i) - set.startOf(j)
  );
}

/**
 * The indexes of the items that match something, by lower bound ascending,
 * upper bound descending, position ascending. One sort per list (the checks
 * and completion both want this order), none when the list is written in
 * order already, as long lists usually are.
 */
export function byLowerBound(set: VersionSet): Int32Array {
  if (set.order) return set.order;
  const order: number[] = [];
  let sorted = true;
  for (let i = 0; i < set.size; i++) {
    if (set.isEmpty(i)) continue;
    if (sorted && order.length > 0 && compareItems(set, order[order.length - 1], i) > 0) sorted = false;
    order.push(i);
  }
  if (!sorted) order.sort((a, b) => compareItems(set, a, b));
  set.order = Int32Array.from(order);
  return set.order;
}

/**
 * The order of `set`, made from that of `previous` (when known) without its
 * items [i0, i1) and with the `added` items at i0 in `set`: no new sort after
 * an edit that adds a few items.
 */
function carryOrder(previous: VersionSet, set: VersionSet, i0: number, i1: number, added: number): void {
  const old = previous.order;
  if (!old || added > 64) return;
  const moved = added - (i1 - i0);
  const order: number[] = [];
  for (let k = 0; k < old.length; k++) {
    const i = old[k];
    if (i < i0) order.push(i);
    else if (i >= i1) order.push(i + moved);
  }
  for (let it = i0; it < i0 + added; it++) {
    if (set.isEmpty(it)) continue;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareItems(set, order[mid], it) < 0) lo = mid + 1;
      else hi = mid;
    }
    order.splice(lo, 0, it);
  }
  set.order = Int32Array.from(order);
}

/**
 * Items that are duplicates of, or wholly inside, another item. Sorted by lo
 * ascending, hi descending, position ascending, an item is contained in some
 * other item exactly when the widest-reaching item seen before it reaches at
 * least as far: one sweep, no pairwise work, and objects only for the items found.
 */
export function findRedundant(set: VersionSet): Redundancy[] {
  const found: number[] = [];
  let best = -1;
  for (const i of byLowerBound(set)) {
    if (best !== -1 && set.compareHi(best, set.hiHigh(i), set.hiLow(i)) >= 0) found.push(i, best);
    else best = i;
  }
  const out: Redundancy[] = [];
  for (let k = 0; k < found.length; k += 2) out.push({ item: set.item(found[k]), container: set.item(found[k + 1]) });
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
