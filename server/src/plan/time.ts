// Wall-clock time in the config's TimeZone for the planner: ISO 8601 with the
// zone's offset, the default start (next Monday 08:00) and the share of an
// interval outside ForcedHours. Windows are judged by the model's inWindows
// and the wall clock read by its wallClock (one Intl formatter per zone for
// both); this file only turns instants into wall-clock text and back.
import { inWindows, wallClock, type TimeWindow } from '../config';

const MINUTE_MS = 60_000;
// Offsets only change on whole minutes (every zone of the tz database since
// 1972), so one Intl call per distinct minute is enough even for 10,000 desks.
const offsetCache = new Map<string, number>();

/** The zone's offset from UTC at `ms`, in minutes (east positive). */
export function zoneOffsetMinutes(ms: number, timeZone: string | null): number {
  const minute = Math.floor(ms / MINUTE_MS);
  const key = `${timeZone ?? ''}@${minute}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    const p = wallClock(minute * MINUTE_MS, timeZone);
    offset = Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - minute * MINUTE_MS) / MINUTE_MS);
    if (offsetCache.size > 100_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

/** ISO 8601 with the zone's offset: `2025-12-01T08:00:00+01:00` (milliseconds only when there are any). */
export function isoInZone(ms: number, timeZone: string | null): string {
  const rounded = Math.round(ms);
  const offset = zoneOffsetMinutes(rounded, timeZone);
  const wall = new Date(rounded + offset * MINUTE_MS).toISOString();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const suffix = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${rounded % 1000 === 0 ? wall.slice(0, 19) : wall.slice(0, 23)}${suffix}`;
}

/** The instant of a wall-clock time in `timeZone`; a time in a spring-forward
 *  gap lands after the gap, as a clock set to it would. */
export function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string | null): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  // Two rounds settle every real offset change (the second corrects a guess
  // that fell on the other side of a transition).
  let ms = asUtc - zoneOffsetMinutes(asUtc, timeZone) * MINUTE_MS;
  ms = asUtc - zoneOffsetMinutes(ms, timeZone) * MINUTE_MS;
  return ms;
}

/** Spec 9's default start: the first Monday 08:00 in `timeZone` after `now`. */
export function nextMondayAt8(now: number, timeZone: string | null): number {
  const p = wallClock(now, timeZone);
  const today = new Date(Date.UTC(p.year, p.month - 1, p.day));
  for (let ahead = p.weekday === 0 ? 0 : 7 - p.weekday; ; ahead += 7) {
    const d = new Date(today.getTime() + ahead * 86_400_000);
    const at = zonedInstant(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 8, 0, timeZone);
    if (at > now) return at;
  }
}

/**
 * Seconds of [from, to) (epoch ms) outside `windows`: business hours when
 * ForcedHours keeps forced upgrades out of them. Built once per plan over its
 * span with one inWindows call per minute, then O(1) per interval.
 */
export class OutsideWindows {
  private readonly first: number;
  /** prefix[i]: minutes outside the windows among the first i minutes. */
  private readonly prefix: Int32Array;

  constructor(
    private readonly windows: readonly TimeWindow[],
    private readonly timeZone: string | null,
    fromMs: number,
    toMs: number,
  ) {
    this.first = Math.floor(fromMs / MINUTE_MS);
    const count = Math.max(0, Math.ceil(toMs / MINUTE_MS) - this.first) + 1;
    this.prefix = new Int32Array(count + 1);
    for (let i = 0; i < count; i++) this.prefix[i + 1] = this.prefix[i] + (this.outside(this.first + i) ? 1 : 0);
  }

  private outside(minute: number): boolean {
    return !inWindows(this.windows, new Date(minute * MINUTE_MS), this.timeZone);
  }

  /** Outside minutes among whole minutes [a, b) (indexes since the epoch). */
  private wholeMinutes(a: number, b: number): number {
    const i = Math.max(0, Math.min(this.prefix.length - 1, a - this.first));
    const j = Math.max(0, Math.min(this.prefix.length - 1, b - this.first));
    return this.prefix[j] - this.prefix[i];
  }

  /** The runs of whole outside minutes over the span, as [fromMs, toMs). */
  runs(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let i = 0; i + 1 < this.prefix.length; i++) {
      if (this.prefix[i + 1] === this.prefix[i]) continue;
      const from = (this.first + i) * MINUTE_MS;
      const last = out[out.length - 1];
      if (last && last[1] === from) last[1] = from + MINUTE_MS;
      else out.push([from, from + MINUTE_MS]);
    }
    return out;
  }

  seconds(fromMs: number, toMs: number): number {
    if (toMs <= fromMs) return 0;
    const a = Math.floor(fromMs / MINUTE_MS);
    const b = Math.floor(toMs / MINUTE_MS);
    if (a === b) return this.wholeMinutes(a, a + 1) * (toMs - fromMs) / 1000;
    const head = this.wholeMinutes(a, a + 1) * ((a + 1) * MINUTE_MS - fromMs);
    const tail = this.wholeMinutes(b, b + 1) * (toMs - b * MINUTE_MS);
    return (head + tail) / 1000 + this.wholeMinutes(a + 1, b) * 60;
  }
}
