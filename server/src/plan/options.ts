// The plan's options as spec 9 defines them, for `nsupgrade plan` and the
// workbench child (VS Code's Plan Rollout...) alike: the defaults, and the
// start (--start): ISO 8601 with an offset or Z, or a wall-clock time without
// one in the config's TimeZone; nothing: the next Monday 08:00 there.
import { parseInstant, type UpgradeConfig } from '../config';
import { nextMondayAt8, zonedInstant } from './time';

/** The start as epoch milliseconds, or a sentence saying what is wrong with `text`. */
export function parsePlanStart(text: string | undefined, timeZone: string | null, now: number): { ok: true; value: number } | { ok: false; problem: string } {
  if (text === undefined || text.trim() === '') return { ok: true, value: nextMondayAt8(now, timeZone) };
  const t = text.trim();
  const local = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(t);
  if (local) {
    const [y, mo, d, h, mi] = local.slice(1).map(Number);
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59) return { ok: true, value: zonedInstant(y, mo, d, h, mi, timeZone) };
  } else {
    const instant = parseInstant(t);
    if (instant !== null) return { ok: true, value: instant };
  }
  return { ok: false, problem: `the start must be an ISO 8601 time such as 2025-12-01T08:00+01:00 (or 2025-12-01T08:00 in the config's TimeZone), not "${text}"` };
}

/** `1Gbit`: the link when neither the plan nor [Server] MaxRate says. */
const DEFAULT_LINK_BYTES_PER_SECOND = 125_000_000;

/** The server's uplink by default: [Server] MaxRate when set, else 1Gbit. */
export function defaultLink(config: UpgradeConfig): number {
  return config.server.maxRate ?? DEFAULT_LINK_BYTES_PER_SECOND;
}

/** Setup and restart take these unless the plan says (seconds). */
export const DEFAULT_SETUP_SECONDS = 60;
export const DEFAULT_RESTART_SECONDS = 120;
