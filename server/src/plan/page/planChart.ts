// Draws a plan (PlanChartData) in a page: the figures, a timeline of desks
// waiting, downloading, installing and back at work, the link's use, and a
// sortable per-desk table. One module for the HTML report and the VS Code
// webview: it touches only the element it is given, loads nothing, and takes
// its colours from the --plan-* CSS properties (see plan.css).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './plan.css';
import type { PlanChartClient, PlanChartData } from '../chartTypes';

export type { PlanChartClient, PlanChartData, PlanChartFigure } from '../chartTypes';

export interface PlanView {
  /** Redraws with a new plan (e.g. after the config was saved). */
  update(data: PlanChartData): void;
  /** Fits the charts to the element's width again. */
  resize(): void;
  destroy(): void;
}

const STATES = [
  { key: 'back', label: 'Back at work', color: '--plan-back' },
  { key: 'installing', label: 'Installing', color: '--plan-installing' },
  { key: 'downloading', label: 'Downloading', color: '--plan-downloading' },
  { key: 'waiting', label: 'Waiting for a slot', color: '--plan-waiting' },
] as const;

function cssColor(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function axes(el: Element, yLabel: string, yValues?: (v: number) => string): uPlot.Axis[] {
  const stroke = cssColor(el, '--plan-fg', '#1f2328');
  const grid = { stroke: cssColor(el, '--plan-grid', '#e5e7eb'), width: 1 };
  return [
    { stroke, grid, ticks: grid },
    { stroke, grid, ticks: grid, label: yLabel, size: 60, values: yValues ? (_u, splits) => splits.map(yValues) : undefined },
  ];
}

function timeOptions(data: PlanChartData): Pick<uPlot.Options, 'tzDate'> {
  return { tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), data.timeZone) };
}

/** The stacked timeline: each state drawn as a cumulative band, largest first. */
export function drawTimeline(el: HTMLElement, data: PlanChartData, width: number): uPlot {
  const tl = data.timeline;
  const raw = STATES.map((s) => tl[s.key]);
  // Cumulative from the bottom (waiting) up: series k covers states k..3.
  const stacked = raw.map((_, k) => tl.t.map((_t, i) => raw.slice(k).reduce((n, r) => n + r[i], 0)));
  const stepped = uPlot.paths.stepped!({ align: 1 });
  const opts: uPlot.Options = {
    width,
    height: 300,
    ...timeOptions(data),
    cursor: { sync: { key: 'nsplan' } },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    axes: axes(el, 'desks'),
    series: [
      {},
      ...STATES.map((s, k) => {
        const color = cssColor(el, s.color, '#888');
        return { label: s.label, stroke: color, fill: color, width: 1, paths: stepped, points: { show: false }, value: (_u: uPlot, _v: number, _si: number, i: number | null) => (i === null ? '-' : String(raw[k][i])) };
      }),
    ],
  };
  return new uPlot(opts, [tl.t, ...stacked], el);
}

/** The link's use (Mbit/s) against its capacity. */
export function drawLinkChart(el: HTMLElement, data: PlanChartData, width: number): uPlot {
  const mbit = (bytes: number): number => (bytes * 8) / 1e6;
  const t = data.link.t.length > 0 ? [...data.link.t] : [data.start];
  const use = data.link.bytesPerSecond.map(mbit);
  // The last step holds until the last desk is back, so the line reaches the end of the timeline.
  const end = data.timeline.t[data.timeline.t.length - 1] ?? data.start;
  if (end > t[t.length - 1]) {
    t.push(end);
    use.push(use[use.length - 1] ?? 0);
  }
  const capacity = t.map(() => mbit(data.link.capacityBytesPerSecond));
  const opts: uPlot.Options = {
    width,
    height: 180,
    ...timeOptions(data),
    cursor: { sync: { key: 'nsplan' } },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(max, mbit(data.link.capacityBytesPerSecond)) * 1.05] } },
    axes: axes(el, 'Mbit/s', (v) => String(Math.round(v * 10) / 10)),
    series: [
      {},
      { label: 'Link in use', stroke: cssColor(el, '--plan-link', '#2f6fdb'), fill: cssColor(el, '--plan-link', '#2f6fdb') + '33', width: 2, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false }, value: (_u, v) => (v === null ? '-' : `${Math.round(v * 10) / 10} Mbit/s`) },
      { label: 'Link capacity', stroke: cssColor(el, '--plan-capacity', '#d1242f'), dash: [6, 4], width: 1, points: { show: false }, value: (_u, v) => (v === null ? '-' : `${Math.round(v * 10) / 10} Mbit/s`) },
    ],
  };
  return new uPlot(opts, [t, use, capacity], el);
}

interface Column {
  label: string;
  numeric?: boolean;
  sortKey: (c: PlanChartClient) => number | string;
  text: (c: PlanChartClient, time: (s: number | null) => string) => string;
}

const COLUMNS: Column[] = [
  { label: 'Desk', sortKey: (c) => c.name, text: (c) => c.name },
  { label: 'Version', sortKey: (c) => c.version, text: (c) => c.version },
  { label: 'Decision', sortKey: (c) => `${c.action} ${c.reason}`, text: (c) => `${c.action} (${c.reason})` },
  { label: 'Mode', sortKey: (c) => c.mode ?? '', text: (c) => c.mode ?? '' },
  { label: 'Login', sortKey: (c) => c.login, text: (c, time) => time(c.login) },
  { label: 'Waited (s)', numeric: true, sortKey: (c) => c.queuedSeconds, text: (c) => (c.downloadStart === null ? '' : c.queuedSeconds.toFixed(1)) },
  { label: 'Download', sortKey: (c) => c.downloadStart ?? -1, text: (c, time) => (c.downloadStart === null ? '' : `${time(c.downloadStart)} – ${time(c.downloadEnd)}`) },
  { label: 'Back', sortKey: (c) => c.back, text: (c, time) => `${time(c.back)}${c.restarts ? ' (restart)' : ''}` },
  { label: 'Down (min)', numeric: true, sortKey: (c) => c.downMinutes, text: (c) => (c.downMinutes > 0 ? c.downMinutes.toFixed(1) : '') },
];

/** The per-desk table; a click on a header sorts by it (again: the other way). */
export function renderClientTable(el: HTMLElement, data: PlanChartData): void {
  const days = new Set(data.clients.map((c) => Math.floor(c.back / 86400)));
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: data.timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', ...(days.size > 1 ? { month: '2-digit', day: '2-digit' } : {}) });
  const time = (s: number | null): string => (s === null ? '' : fmt.format(new Date(s * 1000)));
  const table = element('table');
  const head = element('tr');
  const body = element('tbody');
  const rows = data.clients.map((c) => {
    const tr = element('tr');
    COLUMNS.forEach((col) => {
      const td = element('td', col.numeric ? 'num' : undefined, col.text(c, time));
      if (col.label === 'Mode' && c.mode === 'forced') td.classList.add('forced');
      tr.append(td);
    });
    return { c, tr };
  });
  let sorted = -1;
  let ascending = true;
  COLUMNS.forEach((col, k) => {
    const th = element('th', undefined, col.label);
    th.setAttribute('role', 'columnheader');
    th.addEventListener('click', () => {
      ascending = sorted === k ? !ascending : true;
      sorted = k;
      head.querySelectorAll('th').forEach((h, j) => (j === k ? h.setAttribute('aria-sort', ascending ? 'ascending' : 'descending') : h.removeAttribute('aria-sort')));
      const dir = ascending ? 1 : -1;
      rows.sort((a, b) => {
        const x = col.sortKey(a.c);
        const y = col.sortKey(b.c);
        return (x < y ? -1 : x > y ? 1 : 0) * dir || a.c.login - b.c.login;
      });
      body.append(...rows.map((r) => r.tr));
    });
    head.append(th);
  });
  const thead = element('thead');
  thead.append(head);
  body.append(...rows.map((r) => r.tr));
  table.append(thead, body);
  const wrap = element('div', 'nsplan-tablewrap');
  wrap.append(table);
  el.replaceChildren(wrap);
}

/** Title, figures, both charts and the table, into `root`. */
export function renderPlan(root: HTMLElement, data: PlanChartData): PlanView {
  let charts: uPlot[] = [];
  const draw = (d: PlanChartData): void => {
    charts.forEach((c) => c.destroy());
    root.classList.add('nsplan');
    const figures = element('div', 'nsplan-figures');
    for (const f of d.figures) {
      const card = element('div', 'nsplan-figure');
      card.append(element('div', 'label', f.label), element('div', 'value', f.value), element('div', 'detail', f.detail));
      figures.append(card);
    }
    const timeline = element('div', 'nsplan-chart nsplan-timeline');
    const link = element('div', 'nsplan-chart nsplan-link');
    const table = element('div', 'nsplan-table');
    root.replaceChildren(
      element('h1', undefined, d.title),
      element('p', 'nsplan-sub', d.subtitle),
      figures,
      element('h2', undefined, 'Desks over time'),
      timeline,
      element('h2', undefined, "The link's use"),
      link,
      element('h2', undefined, `Every desk (${d.clients.length}; click a column to sort)`),
      table,
    );
    const width = Math.max(320, timeline.clientWidth || root.clientWidth || 900);
    charts = [drawTimeline(timeline, d, width), drawLinkChart(link, d, width)];
    renderClientTable(table, d);
  };
  let current = data;
  draw(current);
  return {
    update(d) {
      current = d;
      draw(current);
    },
    resize() {
      const width = Math.max(320, root.querySelector('.nsplan-timeline')?.clientWidth ?? 900);
      charts.forEach((c) => c.setSize({ width, height: c.height }));
    },
    destroy() {
      charts.forEach((c) => c.destroy());
      charts = [];
      root.replaceChildren();
    },
  };
}
