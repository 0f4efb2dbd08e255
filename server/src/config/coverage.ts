// What a Patchable list covers, as a union of intervals: what an item would
// add (completion offers only items that add something, issue 10 item 14:
// an item must match a version no other item matches and must not swallow
// another item whole, or the checks would warn "redundant"), and the
// stretches below CurrentVersion that no item covers (snippet defaults, the
// views' "older, not patchable" row). Items are intervals of the version
// space (versionSet.ts), so all of it is interval arithmetic over the items
// sorted once by lower bound.
import type { Version, VersionSetItem } from './types';
import { compareVersions, MAX_VERSION, MIN_VERSION, nextVersion, previousVersion } from './version';
import { byLowerBound, describeItem } from './versionSet';
import { versionHigh, versionLow, type VersionSet } from './versionSetStore';

/** A closed stretch of versions. */
export interface Interval {
  lo: Version;
  hi: Version;
}

/**
 * Read through the functions below. Bounds are items' indexes, not Version
 * objects: this is made after every keystroke in a 20,000-item list, and an
 * object per item is what the compact store (versionSetStore.ts) avoids.
 */
export interface Coverage {
  readonly set: VersionSet;
  /** The items by lower bound (byLowerBound's order), the edited one included: skip `except`. */
  readonly sorted: Int32Array;
  /** The index of the item being edited (it counts for nothing), or -1. */
  readonly except: number;
  /** The union of the other items (disjoint, not touching, ascending): interval k runs from the lower bound of item loItem[k] to the upper bound of item hiItem[k]. */
  readonly loItem: readonly number[];
  readonly hiItem: readonly number[];
}

const cmp = compareVersions;
const TOP = 0xffffffff;

// Completion asks again and again on an unchanged document: one coverage per list and edited item.
const cache = new WeakMap<VersionSet, Coverage>();

/** The coverage of `set` without item `except` (the item being edited; -1: none). */
export function coverageOf(set: VersionSet, except = -1): Coverage {
  const hit = cache.get(set);
  if (hit && hit.except === except) return hit;
  const sorted = byLowerBound(set);
  const loItem: number[] = [];
  const hiItem: number[] = [];
  // The end of the last interval, and one version after it (one more in the packed (high, low) form).
  let endHigh = 0;
  let endLow = 0;
  for (const i of sorted) {
    if (i === except) continue;
    const last = hiItem.length - 1;
    // Touching intervals (5.1 - 5.3 and 5.3.0.1 - 5.9) leave no version between them.
    if (last >= 0) {
      const nextHigh = endLow === TOP ? endHigh + 1 : endHigh;
      const nextLow = endLow === TOP ? 0 : endLow + 1;
      const reaches = nextHigh > TOP || set.compareLo(i, nextHigh, nextLow) <= 0;
      if (reaches) {
        if (set.compareHi(i, endHigh, endLow) > 0) {
          hiItem[last] = i;
          endHigh = set.hiHigh(i);
          endLow = set.hiLow(i);
        }
        continue;
      }
    }
    loItem.push(i);
    hiItem.push(i);
    endHigh = set.hiHigh(i);
    endLow = set.hiLow(i);
  }
  const coverage: Coverage = { set, sorted, except, loItem, hiItem };
  cache.set(set, coverage);
  return coverage;
}

/** The lower bound of union interval k, as its item wrote it. */
function unionLo(cov: Coverage, k: number): Version {
  return cov.set.item(cov.loItem[k]).lo;
}

/** The upper bound of union interval k, as its item wrote it. */
function unionHi(cov: Coverage, k: number): Version {
  return cov.set.item(cov.hiItem[k]).hi;
}

/** The union's intervals (the last `last` of them, or all), as Versions. */
export function unionIntervals(cov: Coverage, last = cov.loItem.length): Interval[] {
  const out: Interval[] = [];
  for (let k = Math.max(0, cov.loItem.length - last); k < cov.loItem.length; k++) out.push({ lo: unionLo(cov, k), hi: unionHi(cov, k) });
  return out;
}

/** Index of the last union interval whose lo <= v, or -1. */
function unionAt(cov: Coverage, v: Version): number {
  const high = versionHigh(v);
  const low = versionLow(v);
  let lo = 0;
  let hi = cov.loItem.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cov.set.compareLo(cov.loItem[mid], high, low) <= 0) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Union interval k's lower bound against v. */
function loVs(cov: Coverage, k: number, v: Version): number {
  return cov.set.compareLo(cov.loItem[k], versionHigh(v), versionLow(v));
}

/** Union interval k's upper bound against v. */
function hiVs(cov: Coverage, k: number, v: Version): number {
  return cov.set.compareHi(cov.hiItem[k], versionHigh(v), versionLow(v));
}

export function isCovered(cov: Coverage, v: Version): boolean {
  const i = unionAt(cov, v);
  return i >= 0 && hiVs(cov, i, v) >= 0;
}

/** The parts of [lo, hi] no other item matches (at most `limit` of them). */
export function added(cov: Coverage, lo: Version, hi: Version, limit = 3): Interval[] {
  const out: Interval[] = [];
  const n = cov.loItem.length;
  let from: Version | null = lo;
  let i = Math.max(0, unionAt(cov, lo));
  while (from !== null && cmp(from, hi) <= 0 && out.length < limit) {
    if (i >= n || loVs(cov, i, hi) > 0) {
      out.push({ lo: from, hi });
      break;
    }
    if (hiVs(cov, i, from) < 0) {
      i++;
      continue;
    }
    if (loVs(cov, i, from) > 0) out.push({ lo: from, hi: previousVersion(unionLo(cov, i)) ?? from });
    from = nextVersion(unionHi(cov, i));
    i++;
  }
  return out;
}

/** The index in `cov.sorted` of the first item whose lower bound is at or above `v`. */
export function firstFrom(cov: Coverage, v: Version): number {
  const s = cov.sorted;
  const high = versionHigh(v);
  const low = versionLow(v);
  let a = 0;
  let b = s.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (cov.set.compareLo(s[mid], high, low) < 0) a = mid + 1;
    else b = mid;
  }
  return a;
}

/** Another item lying wholly inside [lo, hi], if any. */
export function swallowed(cov: Coverage, lo: Version, hi: Version): VersionSetItem | undefined {
  const s = cov.sorted;
  const set = cov.set;
  const high = versionHigh(hi);
  const low = versionLow(hi);
  for (let k = firstFrom(cov, lo); k < s.length && set.compareLo(s[k], high, low) <= 0; k++) {
    if (s[k] !== cov.except && set.compareHi(s[k], high, low) <= 0) return set.item(s[k]);
  }
  return undefined;
}

/** The first other item (in `cov.sorted`) whose lower bound is above `v`. */
export function nextItemAbove(cov: Coverage, v: Version): VersionSetItem | undefined {
  const s = cov.sorted;
  const high = versionHigh(v);
  const low = versionLow(v);
  for (let k = firstFrom(cov, v); k < s.length; k++) {
    if (s[k] !== cov.except && cov.set.compareLo(s[k], high, low) > 0) return cov.set.item(s[k]);
  }
  return undefined;
}

/** Bounds of the other items right above `lo` (at most `max`), up to the first item a range from `lo` would swallow. */
export function boundsAbove(cov: Coverage, lo: Version, max = 100): Version[] {
  const s = cov.sorted;
  const set = cov.set;
  const out: Version[] = [];
  let minHi = -1; // the item with the lowest upper bound so far
  for (let k = firstFrom(cov, lo); k < s.length && out.length < max; k++) {
    const i = s[k];
    if (i === cov.except) continue;
    if (minHi !== -1 && set.compareLo(i, set.hiHigh(minHi), set.hiLow(minHi)) > 0) break;
    const it = set.item(i);
    out.push(it.lo, it.hi);
    if (minHi === -1 || set.compareHi(i, set.hiHigh(minHi), set.hiLow(minHi)) < 0) minHi = i;
  }
  return out;
}

/** What an item [lo, hi] would add, in words, or null when it adds nothing or swallows another item. */
export function whatItAdds(cov: Coverage, lo: Version, hi: Version): string | null {
  if (cmp(lo, hi) > 0 || swallowed(cov, lo, hi)) return null;
  const parts = added(cov, lo, hi);
  if (parts.length === 0) return null;
  const whole = parts.length === 1 && cmp(parts[0].lo, lo) === 0 && cmp(parts[0].hi, hi) === 0;
  const words = parts.map((p) => describeItem(p)).join('; ');
  return whole ? `adds ${words}` : `adds ${words} (the rest is covered already)`;
}

/** One bound of a gap as a comparator that names an existing bound: `>5.11.99`, `>=5.11`, `<5.20.12`. */
export interface GapBound {
  op: '>' | '>=' | '<';
  version: Version;
}

/**
 * The stretches below `below` (CurrentVersion; null: none) that no item
 * covers, highest first, each with the comparators that say it exactly
 * (`>5.11.99 <5.20.12`). A stretch with no upper end is left out: an item
 * without an upper bound is an error.
 */
export function gaps(cov: Coverage, below: Version | null, limit = 3): { lo: Version; hi: Version; from?: GapBound; to: GapBound }[] {
  const out: { lo: Version; hi: Version; from?: GapBound; to: GapBound }[] = [];
  const top = below ? previousVersion(below) : MAX_VERSION;
  if (top === null) return out;
  let upper: Version | null = below; // exclusive end of the stretch; null: the top of the space
  let i = unionAt(cov, top);
  if (i >= 0 && hiVs(cov, i, top) >= 0) {
    upper = unionLo(cov, i);
    i--;
  }
  while (out.length < limit && upper !== null) {
    const end = i >= 0 ? unionHi(cov, i) : null; // the top of the covered stretch under this gap
    const lo = end ? nextVersion(end) : MIN_VERSION;
    const hi = previousVersion(upper);
    if (lo && hi && cmp(lo, hi) <= 0) {
      // A wildcard's top (5.10.65535.65535) reads better as ">=5.11".
      const from: GapBound | undefined = !end ? undefined : end.parts[3] === MAX_VERSION.parts[3] ? { op: '>=', version: lo } : { op: '>', version: end };
      out.push({ lo, hi, from, to: { op: '<', version: upper } });
    }
    if (!end) break;
    upper = unionLo(cov, i);
    i--;
  }
  return out;
}
