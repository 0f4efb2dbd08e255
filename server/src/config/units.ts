// Rates and durations (spec section 9's RATE and DURATION), the one reader of
// both (and of the instants of --at and --start, which the editor's Decide... reads too): `[Server] MaxRate`, the planner's --link/--client-link/--logins-over/
// --setup-time/--restart-time and the CLI all take them from here, so "80Mbit"
// means 10,000,000 bytes a second everywhere.

/** A parsed quantity, or what is wrong with the text in plain words. */
export type UnitParse = { ok: true; value: number } | { ok: false; problem: string };

// K, M and G are powers of 1000 (network speeds), never 1024.
const RATE_UNITS: Record<string, number> = {
  bit: 1 / 8,
  kbit: 1e3 / 8,
  mbit: 1e6 / 8,
  gbit: 1e9 / 8,
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
};

const RATE_EXAMPLE = 'write a number and a unit per second: bit, Kbit, Mbit, Gbit (bits) or B, KB, MB, GB (bytes), e.g. 50Mbit or 6MB';

/** The largest rate accepted (bytes a second): 1,000 GB/s is far beyond any link. */
export const MAX_RATE = 1e12;

const NUMBER = /^([0-9]+(?:\.[0-9]+)?)\s*(.*)$/;

/**
 * Reads a RATE: `50Mbit`, `12.5MB`, `800 Kbit`, optionally with `/s`
 * (`6MB/s`). The value is in bytes a second, always > 0. Bits and bytes are
 * told apart by `bit` against `B`; a lowercase `b` alone (`mb`, `kb`) is
 * refused as ambiguous rather than guessed.
 */
export function parseRate(text: string): UnitParse {
  const t = text.trim();
  if (t.length === 0) return { ok: false, problem: `the rate is empty: ${RATE_EXAMPLE}` };
  const m = NUMBER.exec(t);
  if (!m) return { ok: false, problem: `"${t}" does not start with a number: ${RATE_EXAMPLE}` };
  const unitText = m[2].replace(/\/s$/i, '').trim();
  if (unitText.length === 0) return { ok: false, problem: `"${t}" has no unit, so bits and bytes cannot be told apart: ${RATE_EXAMPLE}` };
  const unit = rateUnit(unitText);
  if (unit === undefined) return { ok: false, problem: `"${unitText}" is not a rate unit: ${RATE_EXAMPLE}` };
  if (unit === 'ambiguous') {
    const prefix = unitText.slice(0, -1).toUpperCase();
    return { ok: false, problem: `"${unitText}" could be bits or bytes: write ${prefix}bit for bits or ${prefix}B for bytes` };
  }
  const value = Number(m[1]) * RATE_UNITS[unit];
  if (value <= 0) return { ok: false, problem: `a rate of ${t} would never send anything: give a rate above 0` };
  if (!Number.isFinite(value) || value > MAX_RATE) return { ok: false, problem: `${t} is more than the largest rate accepted (1000GB)` };
  return { ok: true, value };
}

function rateUnit(unit: string): string | undefined | 'ambiguous' {
  const lower = unit.toLowerCase();
  if (lower === 'bit' || lower === 'kbit' || lower === 'mbit' || lower === 'gbit') return lower;
  if (/^[kmg]?B$/i.test(unit) && unit.endsWith('B')) return unit.length === 1 ? 'B' : `${unit[0].toUpperCase()}B`;
  if (/^[kmg]?b$/i.test(unit)) return 'ambiguous';
  return undefined;
}

const DURATION_UNITS: Record<string, number> = { h: 3600, m: 60, s: 1 };
const DURATION_PART = /([0-9]+(?:\.[0-9]+)?)\s*([hms])/gy;
const DURATION_EXAMPLE = 'write a number and s, m or h, e.g. 90s, 15m, 2h (or 1h30m)';

/** Reads a DURATION: `90s`, `15m`, `2h`, `0s`, or parts in the order h, m, s (`1h30m`). Seconds, >= 0. */
export function parseDuration(text: string): UnitParse {
  const t = text.trim();
  if (t.length === 0) return { ok: false, problem: `the duration is empty: ${DURATION_EXAMPLE}` };
  if (/^[0-9]+(\.[0-9]+)?$/.test(t)) return { ok: false, problem: `"${t}" has no unit: ${DURATION_EXAMPLE}` };
  let seconds = 0;
  let last = -1;
  const order = 'hms';
  DURATION_PART.lastIndex = 0;
  let at = 0;
  for (;;) {
    while (at < t.length && (t[at] === ' ' || t[at] === '\t')) at++;
    if (at >= t.length) break;
    DURATION_PART.lastIndex = at;
    const m = DURATION_PART.exec(t);
    if (!m) return { ok: false, problem: `"${t}" is not a duration: ${DURATION_EXAMPLE}` };
    const rank = order.indexOf(m[2]);
    if (rank <= last) return { ok: false, problem: `"${t}" is not a duration: give hours, minutes and seconds at most once each, in that order (1h30m)` };
    last = rank;
    seconds += Number(m[1]) * DURATION_UNITS[m[2]];
    at = DURATION_PART.lastIndex;
  }
  if (!Number.isFinite(seconds)) return { ok: false, problem: `"${t}" is too long a duration` };
  return { ok: true, value: seconds };
}

/** A rate in the syntax parseRate reads, in the largest byte unit that keeps it >= 1: `10MB`, `1.5GB`, `125KB`. */
export function formatRate(bytesPerSecond: number): string {
  for (const [unit, size] of [['GB', 1e9], ['MB', 1e6], ['KB', 1e3]] as const) {
    if (bytesPerSecond >= size) return `${round(bytesPerSecond / size)}${unit}`;
  }
  return `${round(bytesPerSecond)}B`;
}

/** A rate for people: "10 MB/s (80 Mbit/s)". */
export function describeRate(bytesPerSecond: number): string {
  const bits = bytesPerSecond * 8;
  let bitText = `${round(bits)} bit/s`;
  for (const [unit, size] of [['Gbit', 1e9], ['Mbit', 1e6], ['Kbit', 1e3]] as const) {
    if (bits >= size) {
      bitText = `${round(bits / size)} ${unit}/s`;
      break;
    }
  }
  return `${formatRate(bytesPerSecond).replace(/([0-9.])([A-Z])/, '$1 $2')}/s (${bitText})`;
}

/** A duration in the syntax parseDuration reads: `90s` below 2 minutes, else `1h30m`, `15m`, `2h5m10s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 120) return `${round(seconds)}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds - h * 3600) / 60);
  const s = seconds - h * 3600 - m * 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 ? `${round(s)}s` : ''}`;
}

/** At most three decimals, no trailing zeros. */
function round(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

/** An ISO 8601 date-time with an offset or `Z` (`2026-03-03T10:00+01:00`) as epoch
 *  milliseconds, or null: the times of `--at` and `--start` name one instant. */
export function parseInstant(text: string): number | null {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(t)) return null;
  // Date.parse rolls 2026-02-30 over into March: a date that is not on the calendar is refused instead.
  const [y, mo, d, h, mi] = t.slice(0, 16).split(/[-T:]/).map(Number);
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > days || h > 23 || mi > 59) return null;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms : null;
}
