// The pure rules of spec section 7 that a login is judged by: the client's
// bucket, name lists and ForcedHours windows. No clock and no I/O: the caller
// passes the time, so the server, `decide` on the command line and the planner
// in simulated time all get the same answer for the same instant.
import * as crypto from 'node:crypto';
import type { NamePattern, TimeWindow, Version } from './types';

/** CurrentVersion as the bucket hashes it: decimal components without leading
 *  zeros, trailing zero components dropped, at least one kept (`5.20.0012.0` -> `5.20.12`). */
export function canonicalVersion(version: Version): string {
  let canon = canonicals.get(version);
  if (canon === undefined) {
    const parts = [...version.parts];
    while (parts.length > 1 && parts[parts.length - 1] === 0) parts.pop();
    canon = parts.join('.');
    canonicals.set(version, canon);
  }
  return canon;
}

// CurrentVersion is hashed into every login's bucket: written out once per version object.
const canonicals = new WeakMap<Version, string>();

/** The client's bucket 0-99: floor(u * 100 / 2^32), u the first four bytes
 *  (big-endian) of SHA-256(CANON + "/" + lowercase(name)). */
export function bucketOf(current: Version, name: string): number {
  const text = `${canonicalVersion(current)}/${name.toLowerCase()}`;
  // It runs at every login: the one-shot hash (Node 20.12+) costs a third of a Hash object.
  const digest = oneShotSha256 ? oneShotSha256('sha256', text, 'buffer') : crypto.createHash('sha256').update(text, 'utf8').digest();
  return Math.floor((digest.readUInt32BE(0) * 100) / 2 ** 32);
}

const oneShotSha256 = (crypto as { hash?: (algorithm: string, data: string, encoding: 'buffer') => Buffer }).hash;

// Compiled once per pattern text: a name list is matched at every login.
const compiled = new Map<string, RegExp>();

/** A pattern's text as a regular expression body (`*` any run, `?` one character). */
function patternBody(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
}

function patternRegExp(text: string): RegExp {
  let re = compiled.get(text);
  if (!re) {
    const body = patternBody(text);
    // 's': a name is matched whole, whatever characters it holds; 'u': `?` is
    // one character (spec 7) even outside the BMP, not one UTF-16 unit.
    re = new RegExp(`^${body}$`, 'isu');
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(text, re);
  }
  return re;
}

/** Does `pattern` (with `*` and `?`) match the whole name, case-insensitively? */
export function nameMatches(pattern: string, name: string): boolean {
  return patternRegExp(pattern).test(name);
}

// A whole list as one expression, so a login that matches no item (most of
// them) costs one test, not one per item. Keyed by the list: a config's lists
// live as long as the config.
const compiledLists = new WeakMap<readonly NamePattern[], RegExp>();

/** The first item of `list` that matches `name`, or undefined. */
export function matchName(list: readonly NamePattern[], name: string): NamePattern | undefined {
  if (list.length === 0) return undefined;
  let any = compiledLists.get(list);
  if (!any) {
    any = new RegExp(`^(?:${list.map((p) => patternBody(p.text)).join('|')})$`, 'isu');
    compiledLists.set(list, any);
  }
  if (!any.test(name)) return undefined;
  return list.find((p) => nameMatches(p.text, name));
}

export const MINUTES_PER_WEEK = 7 * 24 * 60;
const WEEKDAYS: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

// Intl formatters are costly to build and cheap to use: one cache for every
// wall-clock reading of the code base, a formatter per zone and kind. The
// windows read only weekday, hour and minute (every login asks: fewer fields
// format faster); the planner's zoned times read the date and seconds too.
const formatters = new Map<string, Intl.DateTimeFormat>();

const FIELDS = {
  week: { weekday: 'short', hour: '2-digit', minute: '2-digit' },
  full: { weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' },
} as const;

function formatterFor(timeZone: string | null, kind: keyof typeof FIELDS): Intl.DateTimeFormat {
  const key = `${kind} ${timeZone ?? ''}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timeZone ?? undefined, ...FIELDS[kind], hourCycle: 'h23' });
    formatters.set(key, f);
  }
  return f;
}

/** The fields of `at` in `timeZone` as the formatter of `kind` gives them. */
function readClock(at: number, timeZone: string | null, kind: keyof typeof FIELDS): WallClock {
  const out: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 0 };
  for (const p of formatterFor(timeZone, kind).formatToParts(new Date(at))) {
    if (p.type === 'weekday') out.weekday = WEEKDAYS[p.value] ?? 0;
    // 'hour' may read 24 at midnight in some runtimes despite h23.
    else if (p.type === 'hour') out.hour = Number(p.value) % 24;
    else if (p.type in out) out[p.type as keyof WallClock] = Number(p.value);
  }
  return out;
}

/** The wall clock of an instant in a zone; `weekday` 0 is Monday. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/** The wall-clock fields of `at` (epoch ms) in `timeZone` (null: the process's zone). */
export function wallClock(at: number, timeZone: string | null): WallClock {
  return readClock(at, timeZone, 'full');
}

/** Is `timeZone` a zone this runtime knows (spec 7: what `Intl.DateTimeFormat` accepts)? */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock minute of the week (Monday 00:00 = 0) of instant `at` in
 *  `timeZone` (null: the process's own zone). Windows are wall-clock times, so
 *  a start that a DST jump skips begins at the first minute after the gap, and
 *  a repeated hour is inside whenever its wall-clock time is (spec 7). */
export function minuteOfWeek(at: Date, timeZone: string | null): number {
  // Every login asks, many in the same second: the answer of the last second is
  // kept per zone (zone offsets are whole seconds, so a second is one wall minute).
  const second = Math.floor(at.getTime() / 1000);
  const key = timeZone ?? '';
  const last = lastMinute.get(key);
  if (last && last.second === second) return last.minute;
  const minute = wallMinuteOfWeek(at, timeZone);
  lastMinute.set(key, { second, minute });
  return minute;
}

const lastMinute = new Map<string, { second: number; minute: number }>();

function wallMinuteOfWeek(at: Date, timeZone: string | null): number {
  const w = readClock(at.getTime(), timeZone, 'week');
  return w.weekday * 1440 + w.hour * 60 + w.minute;
}

/** Does the instant fall inside any of the windows (start <= t < end)? */
export function inWindows(windows: readonly TimeWindow[], at: Date, timeZone: string | null): boolean {
  const m = minuteOfWeek(at, timeZone);
  return windows.some((w) => w.intervals.some(([start, end]) => start <= m && m < end));
}
