// A plan as PlanChartData: the one shape the HTML report and the VS Code
// webview draw. The counts by state are derived here from the per-desk times
// (one sorted sweep), and the figures are worded once for both.
import type { PlanChartData, PlanChartFigure } from './chartTypes';
import { describeRate } from '../config';
import { formatBytes } from '../simulator/report';
import { formatSpan, round } from './format';
import { isoInZone } from './time';
import type { Plan } from './types';

/** `plan: 300 desks back by 09:42, 18 desk-minutes down in business hours`. */
export function planHeadline(plan: Plan): string {
  const back = isoInZone(plan.start + plan.totals.makespanSeconds * 1000, plan.timeZone).slice(11, 16);
  const down = Math.round(plan.totals.downMinutesInBusinessHours);
  return `plan: ${plan.totals.clients} desk${plan.totals.clients === 1 ? '' : 's'} back by ${back}, ${down} desk-minute${down === 1 ? '' : 's'} down in business hours`;
}

function figures(plan: Plan): PlanChartFigure[] {
  const { totals, settings } = plan;
  const at = (s: number): string => isoInZone(plan.start + s * 1000, plan.timeZone).slice(11, 16);
  const upgraded = totals.byAction.full + totals.byAction.patch;
  const parts = (['full', 'patch', 'allow', 'reject'] as const).filter((a) => totals.byAction[a] > 0).map((a) => `${a} ${totals.byAction[a]}`);
  return [
    { label: 'Desks', value: String(totals.clients), detail: parts.join(' · ') },
    { label: 'All back at work by', value: at(totals.makespanSeconds), detail: `${formatSpan(totals.makespanSeconds)} after the start` },
    { label: 'Peak queue', value: String(totals.peakQueue), detail: `desks waiting for one of ${settings.maxTransfers} transfer slots` },
    {
      label: 'Desk-minutes down (forced)',
      value: String(round(totals.downMinutes, totals.downMinutes < 100 ? 1 : 0)),
      detail: `${round(totals.downMinutesInBusinessHours, totals.downMinutesInBusinessHours < 100 ? 1 : 0)} in business hours${settings.forcedHours ? ' (outside ForcedHours)' : ''}`,
    },
    { label: 'Sent', value: formatBytes(totals.bytes), detail: `to ${upgraded} desk${upgraded === 1 ? '' : 's'} over ${describeRate(settings.linkBytesPerSecond)}` },
  ];
}

type State = 'waiting' | 'downloading' | 'installing' | 'back';

export function toChartData(plan: Plan, title: string): PlanChartData {
  const startS = plan.start / 1000;
  const epoch = (s: number): number => round(startS + s, 3);
  // Every change of state is one event: +1 for the new state, -1 for the old.
  const events: { t: number; from: State | null; to: State }[] = [];
  for (const c of plan.clients) {
    if (c.downloadStart === undefined || c.downloadEnd === undefined) {
      events.push({ t: c.login, from: null, to: 'back' });
      continue;
    }
    events.push({ t: c.login, from: null, to: 'waiting' });
    events.push({ t: c.downloadStart, from: 'waiting', to: 'downloading' });
    events.push({ t: c.downloadEnd, from: 'downloading', to: 'installing' });
    events.push({ t: c.back, from: 'installing', to: 'back' });
  }
  events.sort((a, b) => a.t - b.t);
  const timeline: PlanChartData['timeline'] = { t: [], waiting: [], downloading: [], installing: [], back: [] };
  const count: Record<State, number> = { waiting: 0, downloading: 0, installing: 0, back: 0 };
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.from) count[e.from]--;
    count[e.to]++;
    // One point per instant, after all of its changes.
    if (i + 1 < events.length && events[i + 1].t === e.t) continue;
    timeline.t.push(epoch(e.t));
    for (const s of ['waiting', 'downloading', 'installing', 'back'] as const) timeline[s].push(count[s]);
  }
  const link = { t: plan.link.at.map(epoch), bytesPerSecond: [...plan.link.bytesPerSecond], capacityBytesPerSecond: plan.settings.linkBytesPerSecond };
  const { settings } = plan;
  const zone = plan.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const startIso = isoInZone(plan.start, plan.timeZone);
  return {
    title: `${title}: ${plan.totals.clients} desks from ${startIso.slice(0, 16).replace('T', ' ')} ${startIso.slice(-6)} (${zone})`,
    subtitle: [
      settings.loginsOverSeconds > 0 ? `logins over ${formatSpan(settings.loginsOverSeconds)}` : 'all log in at once',
      `link ${describeRate(settings.linkBytesPerSecond)}${settings.clientLinkBytesPerSecond ? `, at most ${describeRate(settings.clientLinkBytesPerSecond)} a desk` : ''}`,
      `${settings.maxTransfers} transfer${settings.maxTransfers === 1 ? '' : 's'} at once`,
      `setup ${formatSpan(settings.setupSeconds)}, restart ${formatSpan(settings.restartSeconds)}`,
      ...(settings.forcedHours ? [`forced only in ${settings.forcedHours}`] : []),
      `seed ${settings.seed}`,
    ].join(' · '),
    timeZone: zone,
    start: round(startS, 3),
    timeline,
    link,
    businessHours: plan.businessHours?.map(([a, b]) => [epoch(a), epoch(b)]) ?? null,
    figures: figures(plan),
    clients: plan.clients.map((c) => ({
      name: c.name,
      version: c.version,
      action: c.action,
      reason: c.reason,
      mode: c.mode ?? null,
      login: epoch(c.login),
      queuedSeconds: round(c.queuedSeconds, 3),
      downloadStart: c.downloadStart === undefined ? null : epoch(c.downloadStart),
      downloadEnd: c.downloadEnd === undefined ? null : epoch(c.downloadEnd),
      back: epoch(c.back),
      downMinutes: round(c.downSeconds / 60, 2),
      restarts: c.restarts,
    })),
  };
}
