// RATE and DURATION of spec section 9, until the model's config/units.ts lands
// (then this file goes: one parser of units, in the model).

const RATE_UNITS: Record<string, number> = { bit: 1 / 8, kbit: 1e3 / 8, mbit: 1e6 / 8, gbit: 1e9 / 8, b: 1, kb: 1e3, mb: 1e6, gb: 1e9 };

/** `100Mbit`, `12.5MB`: bytes per second (K, M, G powers of 1000), or null. */
export function parseRate(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([KMG]?)(bit|B)$/i.exec(text.trim());
  if (!m || (m[3] !== 'B' && m[3].toLowerCase() !== 'bit')) return null;
  const value = Number(m[1]) * RATE_UNITS[`${m[2]}${m[3]}`.toLowerCase()];
  return value > 0 && Number.isFinite(value) ? value : null;
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** `90s`, `15m`, `2h`, `0s`: seconds, or null. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([smh])$/.exec(text.trim());
  if (!m) return null;
  const value = Number(m[1]) * DURATION_UNITS[m[2]];
  return Number.isFinite(value) ? value : null;
}
