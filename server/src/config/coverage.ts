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

/** A closed stretch of versions. */
export interface Interval {
  lo: Version;
  hi: Version;
}

export interface Coverage {
  /** The items by lower bound (byLowerBound's order), the edited one included: skip `except`. */
  readonly sorted: readonly VersionSetItem[];
  /** The item being edited: it counts for nothing. */
  readonly except: VersionSetItem | undefined;
  /** The union of the other items, as the bounds of its intervals (disjoint, not touching, ascending): los[i]..his[i]. */
  readonly los: readonly Version[];
  readonly his: readonly Version[];
}

const cmp = compareVersions;

/** Is `b` at most one version after `a` (no version lies between them)? Without making versions: it runs per item. */
function reaches(a: Version, b: Version): boolean {
  if (cmp(b, a) <= 0) return true;
  // a + 1: the last component below 65535 goes up by one, those after it wrap to 0.
  const p = a.parts;
  const q = b.parts;
  let k = 3;
  while (k >= 0 && p[k] === MAX_VERSION.parts[3]) k--;
  if (k < 0) return true;
  for (let i = 0; i < k; i++) if (p[i] !== q[i]) return false;
  if (q[k] !== p[k] + 1) return false;
  for (let i = k + 1; i < 4; i++) if (q[i] !== 0) return false;
  return true;
}

// Completion asks again and again on an unchanged document: one coverage per list and edited item.
const cache = new WeakMap<readonly VersionSetItem[], { except: VersionSetItem | undefined; coverage: Coverage }>();

/** The coverage of `items` without `except` (the item being edited). */
export function coverageOf(items: readonly VersionSetItem[], except?: VersionSetItem): Coverage {
  const hit = cache.get(items);
  if (hit && hit.except === except) return hit.coverage;
  const sorted = byLowerBound(items);
  // Two arrays of bounds, not an object per interval: this runs after every keystroke in a 20,000-item list.
  const los: Version[] = [];
  const his: Version[] = [];
  for (const it of sorted) {
    if (it === except) continue;
    const last = his.length - 1;
    // Touching intervals (5.1 - 5.3 and 5.3.0.1 - 5.9) leave no version between them.
    if (last >= 0 && reaches(his[last], it.lo)) {
      if (cmp(it.hi, his[last]) > 0) his[last] = it.hi;
    } else {
      los.push(it.lo);
      his.push(it.hi);
    }
  }
  const coverage: Coverage = { sorted, except, los, his };
  cache.set(items, { except, coverage });
  return coverage;
}

/** Index of the last union interval whose lo <= v, or -1. */
function unionAt(cov: Coverage, v: Version): number {
  let lo = 0;
  let hi = cov.los.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cmp(cov.los[mid], v) <= 0) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export function isCovered(cov: Coverage, v: Version): boolean {
  const i = unionAt(cov, v);
  return i >= 0 && cmp(cov.his[i], v) >= 0;
}

/** The parts of [lo, hi] no other item matches (at most `limit` of them). */
export function added(cov: Coverage, lo: Version, hi: Version, limit = 3): Interval[] {
  const out: Interval[] = [];
  let from: Version | null = lo;
  let i = Math.max(0, unionAt(cov, lo));
  while (from !== null && cmp(from, hi) <= 0 && out.length < limit) {
    if (i >= cov.los.length || cmp(cov.los[i], hi) > 0) {
      out.push({ lo: from, hi });
      break;
    }
    if (cmp(cov.his[i], from) < 0) {
      i++;
      continue;
    }
    if (cmp(cov.los[i], from) > 0) out.push({ lo: from, hi: previousVersion(cov.los[i]) ?? from });
    from = nextVersion(cov.his[i]);
    i++;
  }
  return out;
}

/** The index in `cov.sorted` of the first item whose lower bound is at or above `v`. */
export function firstFrom(cov: Coverage, v: Version): number {
  const s = cov.sorted;
  let a = 0;
  let b = s.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (cmp(s[mid].lo, v) < 0) a = mid + 1;
    else b = mid;
  }
  return a;
}

/** Another item lying wholly inside [lo, hi], if any. */
export function swallowed(cov: Coverage, lo: Version, hi: Version): VersionSetItem | undefined {
  const s = cov.sorted;
  for (let i = firstFrom(cov, lo); i < s.length && cmp(s[i].lo, hi) <= 0; i++) if (s[i] !== cov.except && cmp(s[i].hi, hi) <= 0) return s[i];
  return undefined;
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
  if (i >= 0 && cmp(cov.his[i], top) >= 0) {
    upper = cov.los[i];
    i--;
  }
  while (out.length < limit && upper !== null) {
    const end = i >= 0 ? cov.his[i] : null; // the top of the covered stretch under this gap
    const lo = end ? nextVersion(end) : MIN_VERSION;
    const hi = previousVersion(upper);
    if (lo && hi && cmp(lo, hi) <= 0) {
      // A wildcard's top (5.10.65535.65535) reads better as ">=5.11".
      const from: GapBound | undefined = !end ? undefined : end.parts[3] === MAX_VERSION.parts[3] ? { op: '>=', version: lo } : { op: '>', version: end };
      out.push({ lo, hi, from, to: { op: '<', version: upper } });
    }
    if (!end) break;
    upper = cov.los[i];
    i--;
  }
  return out;
}
