// What the Patchable list already covers, so that completion offers only
// items that add something (issue 10 item 14): an item offered must match a
// version no other item matches, and must not swallow another item whole
// (either way the checks would then warn "redundant"). Items are intervals of
// the version space (config/versionSet.ts), so both are interval questions
// over the other items sorted once by lower bound.
import {
  byLowerBound,
  compareVersions,
  describeItem,
  MAX_VERSION,
  MIN_VERSION,
  nextVersion,
  previousVersion,
  type Version,
  type VersionSetItem,
} from '../config';

export interface Interval {
  lo: Version;
  hi: Version;
}

export interface Coverage {
  /** The other items, by lower bound (config's byLowerBound order). */
  readonly sorted: readonly VersionSetItem[];
  /** Their union: disjoint, not touching, ascending. */
  readonly union: readonly Interval[];
}

const cmp = compareVersions;

/** The coverage of `items` without `except` (the item being edited). */
export function coverageOf(items: readonly VersionSetItem[], except?: VersionSetItem): Coverage {
  const all = byLowerBound(items);
  const sorted = except ? all.filter((it) => it !== except) : all;
  const union: Interval[] = [];
  for (const it of sorted) {
    const last = union[union.length - 1];
    // Touching intervals (5.1 - 5.3 and 5.3.0.1 - 5.9) leave no version between them.
    const after = last ? nextVersion(last.hi) : null;
    if (last && (after === null || cmp(it.lo, after) <= 0)) {
      if (cmp(it.hi, last.hi) > 0) last.hi = it.hi;
    } else union.push({ lo: it.lo, hi: it.hi });
  }
  return { sorted, union };
}

/** Index of the last union interval whose lo <= v, or -1. */
function unionAt(cov: Coverage, v: Version): number {
  let lo = 0;
  let hi = cov.union.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cmp(cov.union[mid].lo, v) <= 0) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export function isCovered(cov: Coverage, v: Version): boolean {
  const i = unionAt(cov, v);
  return i >= 0 && cmp(cov.union[i].hi, v) >= 0;
}

/** The parts of [lo, hi] no other item matches (at most `limit` of them). */
export function added(cov: Coverage, lo: Version, hi: Version, limit = 3): Interval[] {
  const out: Interval[] = [];
  let from: Version | null = lo;
  let i = Math.max(0, unionAt(cov, lo));
  while (from !== null && cmp(from, hi) <= 0 && out.length < limit) {
    const u = cov.union[i];
    if (!u || cmp(u.lo, hi) > 0) {
      out.push({ lo: from, hi });
      break;
    }
    if (cmp(u.hi, from) < 0) {
      i++;
      continue;
    }
    if (cmp(u.lo, from) > 0) out.push({ lo: from, hi: previousVersion(u.lo) ?? from });
    from = nextVersion(u.hi);
    i++;
  }
  return out;
}

/** Another item lying wholly inside [lo, hi], if any. */
export function swallowed(cov: Coverage, lo: Version, hi: Version): VersionSetItem | undefined {
  const s = cov.sorted;
  let a = 0;
  let b = s.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (cmp(s[mid].lo, lo) < 0) a = mid + 1;
    else b = mid;
  }
  for (let i = a; i < s.length && cmp(s[i].lo, hi) <= 0; i++) if (cmp(s[i].hi, hi) <= 0) return s[i];
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
  if (i >= 0 && cmp(cov.union[i].hi, top) >= 0) {
    upper = cov.union[i].lo;
    i--;
  }
  while (out.length < limit && upper !== null) {
    const u = i >= 0 ? cov.union[i] : null;
    const lo = u ? nextVersion(u.hi) : MIN_VERSION;
    const hi = previousVersion(upper);
    if (lo && hi && cmp(lo, hi) <= 0) {
      // A wildcard's top (5.10.65535.65535) reads better as ">=5.11".
      const from: GapBound | undefined = !u ? undefined : u.hi.parts[3] === MAX_VERSION.parts[3] ? { op: '>=', version: lo } : { op: '>', version: u.hi };
      out.push({ lo, hi, from, to: { op: '<', version: upper } });
    }
    if (!u) break;
    upper = u.lo;
    i--;
  }
  return out;
}
