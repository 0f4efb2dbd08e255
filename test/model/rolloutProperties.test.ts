// Properties of [Rollout] over generated input (fast-check): raising Percent
// never removes a client; the share is Percent within ±3 % over 10,000 random
// names; and a time is inside ForcedHours exactly when a brute-force oracle
// says so, across the DST changes of Europe/Berlin and America/New_York. The
// oracle converts instants to wall-clock time with the zones' own DST rules
// written out here (no Intl, no minuteOfWeek) and reads each window as
// section 7 words it (days, start <= t < end, an end before the start runs
// into the next morning).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, decide, type ConfigFiles, type Login, type UpgradeConfig } from '../../server/src/config';

const FILES: ConfigFiles = {
  fullSetup: { key: 'FullSetup', relPath: 'full.exe', absPath: '/srv/full.exe', size: 1, sha256: 'a'.repeat(64), mtimeMs: 0 },
};

function config(rollout: string, current = '5.20.12'): UpgradeConfig {
  const a = analyze(`[Upgrade]\nCurrentVersion = ${current}\nFullSetup = full.exe\n[Rollout]\n${rollout}\n`);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, [], rollout);
  return a.config;
}

function login(name: string, at = new Date(0)): Login {
  return { version: '1.0', name, at, rollout: { offeredLastHour: 0, alreadyOffered: false, failures: 0 } };
}

const inRollout = (c: UpgradeConfig, name: string): boolean => decide(c, FILES, login(name)).reason !== 'held-back';

const version = fc.tuple(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 })).map((p) => p.join('.'));

test('raising Percent never removes a client', () => {
  fc.assert(
    fc.property(version, fc.fullUnicodeString({ maxLength: 30 }).filter((s) => !/[\r\n";#]/.test(s)), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (current, name, a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      if (inRollout(config(`Percent = ${lo}`, current), name)) assert.ok(inRollout(config(`Percent = ${hi}`, current), name), `${name} in at ${lo} % but not at ${hi} %`);
    }),
    { numRuns: 500 },
  );
});

test('the share in the rollout is Percent within ±3 % over 10,000 random names', () => {
  fc.assert(
    fc.property(version, fc.integer({ min: 0, max: 100 }), fc.integer(), (current, percent, seed) => {
      const names = fc.sample(fc.string({ minLength: 1, maxLength: 20 }), { numRuns: 10_000, seed });
      const c = config(`Percent = ${percent}`, current);
      const share = names.filter((n) => inRollout(c, n)).length / names.length;
      assert.ok(Math.abs(share - percent / 100) <= 0.03, `${percent} %: ${(share * 100).toFixed(2)} % of 10,000 names (CurrentVersion ${current})`);
    }),
    { numRuns: 12 },
  );
});

// ------------------------------------------------------------ DST, by hand

const HOUR = 3_600_000;

/** The day of month of the last Sunday of `month` (0-based) of `year`. */
function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return last.getUTCDate() - last.getUTCDay();
}

/** The day of month of the `n`th Sunday (1-based) of `month`. */
function nthSunday(year: number, month: number, n: number): number {
  const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return 1 + ((7 - first) % 7) + 7 * (n - 1);
}

/** UTC offset in ms: EU rules (CET+1, CEST+2 from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC). */
function berlinOffset(t: number): number {
  const y = new Date(t).getUTCFullYear();
  const start = Date.UTC(y, 2, lastSunday(y, 2), 1);
  const end = Date.UTC(y, 9, lastSunday(y, 9), 1);
  return (t >= start && t < end ? 2 : 1) * HOUR;
}

/** US rules since 2007 (EST-5, EDT-4 from the 2nd Sunday of March 02:00 EST to the 1st Sunday of November 02:00 EDT). */
function newYorkOffset(t: number): number {
  const y = new Date(t).getUTCFullYear();
  const start = Date.UTC(y, 2, nthSunday(y, 2, 2), 7);
  const end = Date.UTC(y, 10, nthSunday(y, 10, 1), 6);
  return (t >= start && t < end ? -4 : -5) * HOUR;
}

const ZONES: Record<string, (t: number) => number> = { 'Europe/Berlin': berlinOffset, 'America/New_York': newYorkOffset };

/** Wall-clock day (0 = Monday) and minute of the day of instant t in the zone, from its DST rules. */
function wallClock(t: number, zone: string): { day: number; minute: number } {
  const local = new Date(t + ZONES[zone](t));
  return { day: (local.getUTCDay() + 6) % 7, minute: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

// ------------------------------------------------------------ windows

interface Win {
  days: [number, number] | null;
  times: [number, number] | null;
}

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

function windowText(w: Win): string {
  const days = w.days === null ? '' : w.days[0] === w.days[1] ? DAYS[w.days[0]] : `${DAYS[w.days[0]]}-${DAYS[w.days[1]]}`;
  const times = w.times === null ? '' : `${hhmm(w.times[0])}-${hhmm(w.times[1])}`;
  return [days, times].filter(Boolean).join(' ');
}

/** The days a DAYS range names, wrapping past Sunday. */
function daySet(w: Win): Set<number> {
  if (w.days === null) return new Set([0, 1, 2, 3, 4, 5, 6]);
  const out = new Set<number>([w.days[0]]);
  for (let d = w.days[0]; d !== w.days[1]; ) out.add((d = (d + 1) % 7));
  return out;
}

/** Section 7 in words: is wall-clock (day, minute) inside window w? */
function oracleInside(w: Win, day: number, minute: number): boolean {
  const days = daySet(w);
  if (w.times === null) return days.has(day);
  const [start, end] = w.times;
  if (start < end) return days.has(day) && start <= minute && minute < end;
  // crosses midnight: the evening of a listed day, or the morning after one
  return (days.has(day) && minute >= start) || (days.has((day + 6) % 7) && minute < end);
}

const dayIndex = fc.integer({ min: 0, max: 6 });
const win: fc.Arbitrary<Win> = fc.record({
  days: fc.option(fc.tuple(dayIndex, fc.oneof(dayIndex, fc.constant(-1))).map(([a, b]): [number, number] => [a, b < 0 ? a : b]), { nil: null }),
  times: fc.option(
    fc
      .tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 1440 }))
      .filter(([s, e]) => s !== e)
      .map(([s, e]): [number, number] => [s, e]),
    { nil: null },
  ),
}).filter((w) => w.days !== null || w.times !== null);

// Instants near the DST changes of 2024-2026 in both zones (±36 h), and anywhere in those years.
const transitions = [2024, 2025, 2026].flatMap((y) => [
  Date.UTC(y, 2, lastSunday(y, 2), 1),
  Date.UTC(y, 9, lastSunday(y, 9), 1),
  Date.UTC(y, 2, nthSunday(y, 2, 2), 7),
  Date.UTC(y, 10, nthSunday(y, 10, 1), 6),
]);
const instant = fc.oneof(
  fc.tuple(fc.constantFrom(...transitions), fc.integer({ min: -36 * 60, max: 36 * 60 })).map(([t, m]) => t + m * 60_000),
  fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2026, 11, 31) }).map((t) => t - (t % 60_000)),
);

test('the hand-written DST rules agree with the known changes (the oracle is checked too)', () => {
  // 2025: Berlin 30 March 01:00 UTC and 26 October 01:00 UTC; New York 9 March 07:00 UTC and 2 November 06:00 UTC.
  assert.deepEqual(wallClock(Date.UTC(2025, 2, 30, 0, 59), 'Europe/Berlin'), { day: 6, minute: 1 * 60 + 59 });
  assert.deepEqual(wallClock(Date.UTC(2025, 2, 30, 1, 0), 'Europe/Berlin'), { day: 6, minute: 3 * 60 });
  assert.deepEqual(wallClock(Date.UTC(2025, 9, 26, 0, 30), 'Europe/Berlin'), { day: 6, minute: 2 * 60 + 30 });
  assert.deepEqual(wallClock(Date.UTC(2025, 9, 26, 1, 30), 'Europe/Berlin'), { day: 6, minute: 2 * 60 + 30 }, 'the repeated hour');
  assert.deepEqual(wallClock(Date.UTC(2025, 2, 9, 7, 0), 'America/New_York'), { day: 6, minute: 3 * 60 });
  assert.deepEqual(wallClock(Date.UTC(2025, 2, 9, 6, 59), 'America/New_York'), { day: 6, minute: 1 * 60 + 59 });
  assert.deepEqual(wallClock(Date.UTC(2025, 10, 2, 5, 30), 'America/New_York'), { day: 6, minute: 1 * 60 + 30 });
  assert.deepEqual(wallClock(Date.UTC(2025, 10, 2, 6, 30), 'America/New_York'), { day: 6, minute: 1 * 60 + 30 }, 'the repeated hour');
});

test('a time is inside ForcedHours iff the brute-force oracle says so, across DST changes in Europe/Berlin and America/New_York', () => {
  fc.assert(
    fc.property(fc.constantFrom(...Object.keys(ZONES)), fc.array(win, { minLength: 1, maxLength: 4 }), fc.array(instant, { minLength: 1, maxLength: 40 }), (zone, windows, instants) => {
      const c = config(`ForcedHours = ${windows.map(windowText).join(', ')}\nTimeZone = ${zone}`);
      for (const t of instants) {
        const { day, minute } = wallClock(t, zone);
        const expected = windows.some((w) => oracleInside(w, day, minute));
        const d = decide(c, FILES, login('x-desk', new Date(t)));
        assert.ok(d.action === 'full');
        assert.equal(d.mode === 'forced', expected, `${new Date(t).toISOString()} in ${zone} (day ${day}, ${hhmm(minute)}) vs ${windows.map(windowText).join(', ')}`);
        assert.equal(d.modeReason, expected ? undefined : 'outside-forced-hours');
      }
    }),
    { numRuns: 400 },
  );
});

test('the spring-forward gap: a window whose start does not exist begins at the first minute after the gap; the repeated autumn hour is inside whenever its wall-clock time is', () => {
  // Berlin, 30 March 2025: 02:00 -> 03:00. Window Sun 02:30-04:00.
  const spring = config('ForcedHours = Sun 02:30-04:00\nTimeZone = Europe/Berlin');
  const mode = (c: UpgradeConfig, t: number): string => (decide(c, FILES, login('d', new Date(t))) as { mode: string }).mode;
  assert.equal(mode(spring, Date.UTC(2025, 2, 30, 0, 59)), 'optional', '01:59 CET');
  assert.equal(mode(spring, Date.UTC(2025, 2, 30, 1, 0)), 'forced', '03:00 CEST, the first minute after the gap');
  // Berlin, 26 October 2025: 03:00 -> 02:00. Window Sun 02:15-02:45: both passes of the hour.
  const autumn = config('ForcedHours = Sun 02:15-02:45\nTimeZone = Europe/Berlin');
  assert.equal(mode(autumn, Date.UTC(2025, 9, 26, 0, 20)), 'forced', '02:20 CEST');
  assert.equal(mode(autumn, Date.UTC(2025, 9, 26, 1, 20)), 'forced', '02:20 CET, again');
  assert.equal(mode(autumn, Date.UTC(2025, 9, 26, 0, 50)), 'optional', '02:50 CEST');
});

test('analyze never throws on generated [Rollout] values, and every range lies inside the text', () => {
  const piece = fc.constantFrom('Mon', 'fri', 'Sun', '-', ' ', ',', '18:00', '7:30', '24:00', '25:61', '*', '?', 'desk', '"', ';', 'Europe/Berlin', '0', '100', 'x');
  const value = fc.array(piece, { maxLength: 10 }).map((p) => p.join(''));
  const key = fc.constantFrom('Pilot', 'Exclude', 'Percent', 'MaxPerHour', 'PauseAfterFailures', 'ForcedHours', 'TimeZone', 'MaxRate', 'StateFile');
  fc.assert(
    fc.property(fc.array(fc.tuple(key, value), { maxLength: 8 }), (entries) => {
      const text = `[Upgrade]\nCurrentVersion = 5.20\nFullSetup = a.exe\n[Rollout]\n${entries.map(([k, v]) => `${k} = ${v}`).join('\n')}\n`;
      const a = analyze(text);
      for (const d of a.diagnostics) {
        assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length, `${d.code} ${JSON.stringify(d.span)}`);
        for (const f of d.fixes ?? []) for (const e of f.edits) assert.ok(e.span.start <= e.span.end && e.span.end <= text.length);
      }
    }),
    { numRuns: 1000 },
  );
});
