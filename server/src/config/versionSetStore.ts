// The value of Patchable in compact form. A 20,000-item list as objects (the
// item, its span, its text, two Versions with their component arrays: about
// 470 bytes each) lived until the check ended, and the garbage collector
// spent a third of `analyze` copying it (docs/performance.md, "Model"). Here
// an item is numbers in typed arrays, whose storage the collector never
// copies: its form, its span, and each bound packed into two numbers that
// compare as the version does. The item as an object (bounds as written, for
// messages, hover, completion) is read again from its text by parseItem when
// asked, and kept: the same parser, so the same object a full list would hold.
import type { Version, VersionSetItem, VersionSetItemKind } from './types';
import { parseItem } from './versionItem';

const KINDS: readonly VersionSetItemKind[] = ['exact', 'wildcard', 'range', 'comparators'];
const KIND_CODE: Record<VersionSetItemKind, number> = { exact: 0, wildcard: 1, range: 2, comparators: 3 };

/** The first two components of `v` as one number (a * 65536 + b, below 2^32: exact in a double). */
export function versionHigh(v: Version): number {
  return v.parts[0] * 65536 + v.parts[1];
}

/** The last two components of `v` as one number: (high, low) compare as the version does. */
export function versionLow(v: Version): number {
  return v.parts[2] * 65536 + v.parts[3];
}

/**
 * The items of one Patchable value, in the order written. Indexes are
 * positions in the list; spans are document offsets (as VersionSetItem's).
 * Read through the accessors; `item(i)` and `items` make objects.
 */
export class VersionSet {
  private kinds: Uint8Array;
  /** start, end per item. */
  private spans: Int32Array;
  /** lo high, lo low, hi high, hi low per item. */
  private bounds: Uint32Array;
  private count = 0;
  /** Items made so far (by index): made once, so an item keeps its identity. */
  private made: (VersionSetItem | undefined)[] | undefined;
  /** byLowerBound's order (versionSet.ts), once asked; carried over an edit. */
  order: Int32Array | undefined;

  /**
   * Room for `capacity` items. `source` is the value the items are cut
   * from, starting at document offset `base` (item texts are sliced from it).
   */
  constructor(capacity: number, private readonly source = '', private readonly base = 0) {
    this.kinds = new Uint8Array(capacity);
    this.spans = new Int32Array(2 * capacity);
    this.bounds = new Uint32Array(4 * capacity);
  }

  /** A set holding these items (made by hand, or by parseItem). */
  static of(items: readonly VersionSetItem[]): VersionSet {
    const set = new VersionSet(items.length);
    for (const it of items) set.pushItem(it);
    return set;
  }

  get size(): number {
    return this.count;
  }

  kindOf(i: number): VersionSetItemKind {
    return KINDS[this.kinds[i]];
  }

  startOf(i: number): number {
    return this.spans[2 * i];
  }

  endOf(i: number): number {
    return this.spans[2 * i + 1];
  }

  /** The item as written, trimmed. */
  textOf(i: number): string {
    const made = this.made?.[i];
    return made ? made.text : this.source.slice(this.spans[2 * i] - this.base, this.spans[2 * i + 1] - this.base);
  }

  loHigh(i: number): number {
    return this.bounds[4 * i];
  }

  loLow(i: number): number {
    return this.bounds[4 * i + 1];
  }

  hiHigh(i: number): number {
    return this.bounds[4 * i + 2];
  }

  hiLow(i: number): number {
    return this.bounds[4 * i + 3];
  }

  /** Does item i match nothing (lo > hi)? */
  isEmpty(i: number): boolean {
    const b = this.bounds;
    const k = 4 * i;
    return b[k] > b[k + 2] || (b[k] === b[k + 2] && b[k + 1] > b[k + 3]);
  }

  /** Item i's lower bound against (high, low): negative, 0 or positive as compareVersions. */
  compareLo(i: number, high: number, low: number): number {
    return this.bounds[4 * i] - high || this.bounds[4 * i + 1] - low;
  }

  /** Item i's upper bound against (high, low). */
  compareHi(i: number, high: number, low: number): number {
    return this.bounds[4 * i + 2] - high || this.bounds[4 * i + 3] - low;
  }

  /** Item i as an object, made (once) from its text. */
  item(i: number): VersionSetItem {
    if (i < 0 || i >= this.count) throw new RangeError(`no Patchable item ${i} of ${this.count}`);
    const made = (this.made ??= new Array<VersionSetItem | undefined>(this.count));
    let it = made[i];
    if (!it) {
      const r = parseItem(this.textOf(i), this.startOf(i));
      // Only items parseItem accepted are stored (scanSimpleItem mirrors it).
      if ('code' in r) throw new Error(`Patchable item "${this.textOf(i)}" was stored but does not read again: ${r.message}`);
      it = made[i] = r;
    }
    return it;
  }

  /** Every item as an object, in order: makes them all (for short lists, tests and formatting; the checks read numbers). */
  get items(): readonly VersionSetItem[] {
    const out: VersionSetItem[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.item(i));
    return out;
  }

  /** As JSON (a config printed or compared as data): the items as objects. */
  toJSON(): readonly VersionSetItem[] {
    return this.items;
  }

  /** The index of the item whose span holds `offset` (both ends included), or -1. */
  indexAt(offset: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (offset < this.spans[2 * mid]) hi = mid - 1;
      else if (offset > this.spans[2 * mid + 1]) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  /** The first index whose span starts after `offset` (items are in text order). */
  firstAfter(offset: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.spans[2 * mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Appends an item from its numbers (the hot path: no object). */
  push(kind: VersionSetItemKind, start: number, end: number, loHigh: number, loLow: number, hiHigh: number, hiLow: number): void {
    const i = this.count++;
    this.kinds[i] = KIND_CODE[kind];
    this.spans[2 * i] = start;
    this.spans[2 * i + 1] = end;
    const b = this.bounds;
    b[4 * i] = loHigh;
    b[4 * i + 1] = loLow;
    b[4 * i + 2] = hiHigh;
    b[4 * i + 3] = hiLow;
  }

  /** Appends an item already made (a wildcard or comparators: the rare forms), keeping the object. */
  pushItem(it: VersionSetItem): void {
    const i = this.count;
    this.push(it.kind, it.span.start, it.span.end, versionHigh(it.lo), versionLow(it.lo), versionHigh(it.hi), versionLow(it.hi));
    (this.made ??= [])[i] = it;
  }

  /**
   * Appends items [from, to) of `other` moved by `shift` code units (an edit
   * before them). Items `other` made are taken over and moved in place, as
   * the old list is not used again.
   */
  moveFrom(other: VersionSet, from: number, to: number, shift: number): void {
    const at = this.count;
    const n = to - from;
    if (n <= 0) return;
    this.kinds.set(other.kinds.subarray(from, to), at);
    this.bounds.set(other.bounds.subarray(4 * from, 4 * to), 4 * at);
    const spans = this.spans;
    const src = other.spans;
    for (let k = 0; k < 2 * n; k++) spans[2 * at + k] = src[2 * from + k] + shift;
    this.count += n;
    const made = other.made;
    if (made) {
      const mine = (this.made ??= []);
      for (let k = 0; k < n; k++) {
        const it = made[from + k];
        if (!it) continue;
        it.span.start += shift;
        it.span.end += shift;
        mine[at + k] = it;
      }
    }
  }
}
