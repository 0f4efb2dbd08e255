// A plan for people (compact text) and for scripts (spec 9's JSON, every time
// ISO 8601 with the offset of the config's TimeZone).
import { describeRate, formatDuration } from '../config';
import { formatBytes } from '../simulator/report';
import type { Plan, PlannedClient } from './types';
import { isoInZone } from './time';

/** `v` to `digits` decimals, as a number (JSON prints no trailing zeros). */
export const round = (v: number, digits: number): number => Number(v.toFixed(digits));

/** The JSON of spec section 9: exactly its fields, in its order. */
export function planJson(plan: Plan): object {
  const iso = (seconds: number): string => isoInZone(plan.start + seconds * 1000, plan.timeZone);
  return {
    start: iso(0),
    clients: plan.clients.map((c) => {
      const out: Record<string, string | number> = { name: c.name, version: c.version, login: iso(c.login), action: c.action, reason: c.reason };
      if (c.mode) out.mode = c.mode;
      out.queuedSeconds = round(c.queuedSeconds, 3);
      if (c.downloadStart !== undefined) out.downloadStart = iso(c.downloadStart);
      if (c.downloadEnd !== undefined) out.downloadEnd = iso(c.downloadEnd);
      out.back = iso(c.back);
      out.downMinutes = round(c.downSeconds / 60, 2);
      return out;
    }),
    totals: {
      clients: plan.totals.clients,
      byAction: plan.totals.byAction,
      bytes: plan.totals.bytes,
      makespanSeconds: round(plan.totals.makespanSeconds, 3),
      peakQueue: plan.totals.peakQueue,
      downMinutes: round(plan.totals.downMinutes, 2),
      downMinutesInBusinessHours: round(plan.totals.downMinutesInBusinessHours, 2),
    },
  };
}

/** A span for people, in the syntax of DURATION: `1h5m`, `3m20s`, `45s`, `0.8s`. */
export function formatSpan(seconds: number): string {
  return formatDuration(seconds < 10 ? Math.round(seconds * 10) / 10 : Math.round(seconds));
}

/** Wall-clock time of a plan instant: `08:42:10`, with the date when the plan spans days. */
function clock(plan: Plan, seconds: number, withDate: boolean): string {
  const iso = isoInZone(plan.start + seconds * 1000, plan.timeZone);
  return withDate ? `${iso.slice(5, 10)} ${iso.slice(11, 19)}` : iso.slice(11, 19);
}

const SLOWEST = 5;

export function formatPlanText(plan: Plan, configName: string): string {
  const { totals, settings } = plan;
  const startIso = isoInZone(plan.start, plan.timeZone);
  const multiDay = isoInZone(plan.start + totals.makespanSeconds * 1000, plan.timeZone).slice(0, 10) !== startIso.slice(0, 10);
  const at = (s: number): string => clock(plan, s, multiDay);
  const weekday = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: plan.timeZone ?? undefined }).format(new Date(plan.start));
  const out: string[] = [];
  const spread = settings.loginsOverSeconds > 0 ? `logging in over ${formatSpan(settings.loginsOverSeconds)}` : 'logging in at once';
  out.push(`Plan for ${configName}: ${totals.clients} desk${totals.clients === 1 ? '' : 's'} ${spread} from ${weekday} ${startIso.slice(0, 16).replace('T', ' ')} ${startIso.slice(-6)}${plan.timeZone ? ` (${plan.timeZone})` : ''}, seed ${settings.seed}`);
  out.push(`Link ${describeRate(settings.linkBytesPerSecond)} shared by at most ${settings.maxTransfers} transfer${settings.maxTransfers === 1 ? '' : 's'}${settings.clientLinkBytesPerSecond ? `, each at most ${describeRate(settings.clientLinkBytesPerSecond)}` : ''}; setup ${formatSpan(settings.setupSeconds)}, restart ${formatSpan(settings.restartSeconds)}${settings.forcedHours ? `; forced only in ${settings.forcedHours}` : ''}`);
  out.push('');
  const byVersion = new Map<string, PlannedClient[]>();
  for (const c of plan.clients) byVersion.set(c.version, [...(byVersion.get(c.version) ?? []), c]);
  const rows = [...byVersion].sort((a, b) => b[1].length - a[1].length).map(([version, cs]) => {
    const kinds = new Map<string, number>();
    for (const c of cs) {
      const kind = c.mode ? `${c.action} ${c.mode}` : `${c.action} ${c.reason}`;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    const bytes = Math.max(...cs.map((c) => c.bytes));
    return {
      version,
      desks: String(cs.length),
      decision: [...kinds].map(([k, n]) => (kinds.size === 1 ? k : `${k} ${n}`)).join(', '),
      bytes: bytes ? formatBytes(bytes) : '-',
      back: at(Math.max(...cs.map((c) => c.back))),
    };
  });
  const w = (key: 'version' | 'decision', title: string): number => Math.max(title.length, ...rows.map((r) => r[key].length));
  const [wv, wd] = [w('version', 'Version'), w('decision', 'decision')];
  out.push(`${'Version'.padEnd(wv + 2)}  desks  ${'decision'.padEnd(wd)}  bytes each  last back`);
  for (const r of rows) out.push(`  ${r.version.padEnd(wv)}  ${r.desks.padStart(5)}  ${r.decision.padEnd(wd)}  ${r.bytes.padStart(10)}  ${r.back}`);
  out.push('');
  const actions = (['full', 'patch', 'allow', 'reject'] as const).filter((a) => totals.byAction[a] > 0).map((a) => `${a} ${totals.byAction[a]}`);
  out.push(`Decisions      ${actions.join(', ')}`);
  out.push(`Bytes sent     ${formatBytes(totals.bytes)}`);
  out.push(`Makespan       ${formatSpan(totals.makespanSeconds)} (the last desk is back at ${at(totals.makespanSeconds)})`);
  out.push(`Peak queue     ${totals.peakQueue} desk${totals.peakQueue === 1 ? '' : 's'} waiting for a transfer slot`);
  out.push(`Down           ${round(totals.downMinutes, 1)} desk-minutes ("Upgrade in progress", forced only), ${round(totals.downMinutesInBusinessHours, 1)} in business hours${settings.forcedHours ? ' (outside ForcedHours)' : ''}`);
  const upgraded = plan.clients.filter((c) => c.downloadStart !== undefined);
  if (upgraded.length > 0) {
    out.push('', 'Slowest desks  login     waited   download            back      down');
    for (const c of [...upgraded].sort((a, b) => b.back - b.login - (a.back - a.login)).slice(0, SLOWEST)) {
      out.push(`  ${c.name.padEnd(12)} ${at(c.login)}  ${formatSpan(c.queuedSeconds).padStart(7)}  ${at(c.downloadStart!)}-${at(c.downloadEnd!)}  ${at(c.back)}  ${c.mode === 'forced' ? formatSpan(c.downSeconds) : '- (optional)'}`);
    }
  }
  return `${out.join('\n')}\n`;
}
