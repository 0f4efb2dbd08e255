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

/** Time labels in the plan's zone, 24-hour like ForcedHours; the day under the first tick of each day. */
function timeLabels(data: PlanChartData): { axis: (u: uPlot, splits: number[]) => string[]; cursor: (u: uPlot, v: number | null) => string } {
  const zone = { timeZone: data.timeZone, hourCycle: 'h23' } as const;
  const hm = new Intl.DateTimeFormat('en-GB', { ...zone, hour: '2-digit', minute: '2-digit' });
  const hms = new Intl.DateTimeFormat('en-GB', { ...zone, hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const day = new Intl.DateTimeFormat('en-GB', { timeZone: data.timeZone, weekday: 'short', day: 'numeric', month: 'short' });
  return {
    axis: (_u, splits) => {
      const fine = splits.length > 1 && splits[1] - splits[0] < 60;
      let lastDay = '';
      return splits.map((s) => {
        const d = new Date(s * 1000);
        const label = (fine ? hms : hm).format(d);
        const today = day.format(d);
        const first = today !== lastDay;
        lastDay = today;
        return first ? `${label}\n${today}` : label;
      });
    },
    cursor: (_u, v) => (v === null ? '--' : `${day.format(new Date(v * 1000))} ${hms.format(new Date(v * 1000))}`),
  };
}

function axes(el: Element, data: PlanChartData, yLabel: string, yValues?: (v: number) => string): uPlot.Axis[] {
  const stroke = cssColor(el, '--plan-fg', '#1f2328');
  const grid = { stroke: cssColor(el, '--plan-grid', '#e5e7eb'), width: 1 };
  return [
    { stroke, grid, ticks: grid, values: timeLabels(data).axis, size: 50 },
    { stroke, grid, ticks: grid, label: yLabel, size: 60, values: yValues ? (_u, splits) => splits.map(yValues) : undefined },
  ];
}

/** Shades business hours (outside ForcedHours) over the plot, labelled once. */
function businessHoursHook(el: Element, data: PlanChartData): uPlot.Hooks.Arrays {
  const hours = data.businessHours;
  if (!hours || hours.length === 0) return {};
  const color = cssColor(el, '--plan-business', 'rgba(100, 100, 100, 0.16)');
  const text = cssColor(el, '--plan-fg', '#1f2328');
  return {
    draw: [
      (u) => {
        const { ctx, bbox } = u;
        ctx.save();
        ctx.fillStyle = color;
        ctx.font = `${Math.round(11 * devicePixelRatio)}px sans-serif`;
        ctx.textAlign = 'left';
        ctx.textBaseline = 'top';
        for (const [from, to] of hours) {
          const x0 = Math.max(bbox.left, u.valToPos(from, 'x', true));
          const x1 = Math.min(bbox.left + bbox.width, u.valToPos(to, 'x', true));
          if (x1 <= x0) continue;
          ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
          ctx.fillStyle = text;
          ctx.fillText('business hours', x0 + 4 * devicePixelRatio, bbox.top + 3 * devicePixelRatio);
          ctx.fillStyle = color;
        }
        ctx.restore();
      },
    ],
  };
}

/** The link's unit: the largest of Gbit, Mbit, Kbit/s that keeps the capacity >= 1. */
function linkUnit(capacityBytesPerSecond: number): { name: string; bytes: number } {
  const bits = capacityBytesPerSecond * 8;
  for (const [name, size] of [['Gbit/s', 1e9], ['Mbit/s', 1e6], ['Kbit/s', 1e3]] as const) if (bits >= size) return { name, bytes: size / 8 };
  return { name: 'bit/s', bytes: 1 / 8 };
}

/** What both charts share: the time axis in the plan's zone, a synced cursor, business hours shaded. */
function timeChart(el: HTMLElement, data: PlanChartData, size: { width: number; height: number }, y: { label: string; top: (max: number) => number; values?: (v: number) => string }, series: uPlot.Series[], values: uPlot.AlignedData): uPlot {
  const opts: uPlot.Options = {
    ...size,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), data.timeZone),
    cursor: { sync: { key: 'nsplan' } },
    hooks: businessHoursHook(el, data),
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, y.top(max)] } },
    axes: axes(el, data, y.label, y.values),
    series: [{ label: 'Time', value: timeLabels(data).cursor }, ...series],
  };
  return new uPlot(opts, values, el);
}

/** A colour at 20 % for an area under a line; only forms a canvas reads with an alpha added. */
function translucent(color: string): string | undefined {
  if (/^#[0-9a-f]{6}$/i.test(color)) return `${color}33`;
  if (/^#[0-9a-f]{3}$/i.test(color)) return `#${[...color.slice(1)].map((c) => c + c).join('')}33`;
  const rgb = /^rgb\(([^)]*)\)$/i.exec(color);
  return rgb ? `rgba(${rgb[1]}, 0.2)` : undefined;
}

/** The stacked timeline: each state drawn as a cumulative band, largest first. */
export function drawTimeline(el: HTMLElement, data: PlanChartData, width: number): uPlot {
  const tl = data.timeline;
  const raw = STATES.map((s) => tl[s.key]);
  // Cumulative from the bottom (waiting) up: series k covers states k..3.
  const stacked = raw.map((_, k) => tl.t.map((_t, i) => raw.slice(k).reduce((n, r) => n + r[i], 0)));
  const stepped = uPlot.paths.stepped!({ align: 1 });
  const series = STATES.map((s, k): uPlot.Series => {
    const color = cssColor(el, s.color, '#888');
    return { label: s.label, stroke: color, fill: color, width: 1, paths: stepped, points: { show: false }, value: (_u, _v, _si, i) => (i === null ? '-' : String(raw[k][i])) };
  });
  return timeChart(el, data, { width, height: 300 }, { label: 'desks', top: (max) => Math.max(1, max) }, series, [tl.t, ...stacked]);
}

/** The link's use against its capacity, in the capacity's unit (Kbit/s, Mbit/s, Gbit/s). */
export function drawLinkChart(el: HTMLElement, data: PlanChartData, width: number): uPlot {
  const unit = linkUnit(data.link.capacityBytesPerSecond);
  const scaled = (bytes: number): number => bytes / unit.bytes;
  const t = data.link.t.length > 0 ? [...data.link.t] : [data.start];
  const use = data.link.bytesPerSecond.map(scaled);
  // The last step holds until the last desk is back, so the line reaches the end of the timeline.
  const end = data.timeline.t[data.timeline.t.length - 1] ?? data.start;
  if (end > t[t.length - 1]) {
    t.push(end);
    use.push(use[use.length - 1] ?? 0);
  }
  const top = scaled(data.link.capacityBytesPerSecond);
  const capacity = t.map(() => top);
  const shown = (v: number | null): string => (v === null ? '-' : `${Math.round(v * 10) / 10} ${unit.name}`);
  const color = cssColor(el, '--plan-link', '#2f6fdb');
  const series: uPlot.Series[] = [
    { label: 'Link in use', stroke: color, fill: translucent(color), width: 2, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false }, value: (_u, v) => shown(v) },
    { label: 'Link capacity', stroke: cssColor(el, '--plan-capacity', '#d1242f'), dash: [6, 4], width: 1, points: { show: false }, value: (_u, v) => shown(v) },
  ];
  const y = { label: unit.name, top: (max: number) => Math.max(max, top) * 1.08, values: (v: number) => String(Math.round(v * 10) / 10) };
  return timeChart(el, data, { width, height: 180 }, y, series, [t, use, capacity]);
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

/** Rows drawn at first: a 10,000-desk table in the DOM takes seconds to lay out and sort. */
const FIRST_ROWS = 500;

/**
 * The per-desk table; a click on a header sorts by it (again: the other way).
 * The first FIRST_ROWS rows of the order are drawn, and a button draws the
 * rest: sorted by "Down", the worst desks are always on screen.
 */
export function renderClientTable(el: HTMLElement, data: PlanChartData): void {
  const days = new Set(data.clients.map((c) => Math.floor(c.back / 86400)));
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: data.timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', ...(days.size > 1 ? { month: '2-digit', day: '2-digit' } : {}) });
  const time = (s: number | null): string => (s === null ? '' : fmt.format(new Date(s * 1000)));
  const rowOf = new Map<PlanChartClient, HTMLTableRowElement>();
  const row = (c: PlanChartClient): HTMLTableRowElement => {
    let tr = rowOf.get(c);
    if (!tr) {
      tr = element('tr');
      for (const col of COLUMNS) {
        const td = element('td', col.numeric ? 'num' : undefined, col.text(c, time));
        if (col.label === 'Mode' && c.mode === 'forced') td.classList.add('forced');
        tr.append(td);
      }
      rowOf.set(c, tr);
    }
    return tr;
  };
  const order = [...data.clients];
  let shown = Math.min(FIRST_ROWS, order.length);
  const body = element('tbody');
  const more = element('button', 'nsplan-more');
  const draw = (): void => {
    body.replaceChildren(...order.slice(0, shown).map(row));
    more.hidden = shown >= order.length;
    more.textContent = `Show all ${order.length} desks (${order.length - shown} more)`;
  };
  more.addEventListener('click', () => {
    shown = order.length;
    draw();
  });
  const head = element('tr');
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
      order.sort((a, b) => {
        const x = col.sortKey(a);
        const y = col.sortKey(b);
        return (x < y ? -1 : x > y ? 1 : 0) * dir || a.login - b.login;
      });
      draw();
    });
    head.append(th);
  });
  const thead = element('thead');
  thead.append(head);
  const table = element('table');
  table.append(thead, body);
  const wrap = element('div', 'nsplan-tablewrap');
  wrap.append(table);
  draw();
  el.replaceChildren(wrap, more);
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
