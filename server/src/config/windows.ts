// `ForcedHours` windows (spec section 7): `DAYS`, `HH:MM-HH:MM` or
// `DAYS HH:MM-HH:MM`, as sets of wall-clock minutes of the week. Like version
// sets, every question is an interval question: an item is redundant when its
// intervals lie inside another item's, and a time is inside when its minute
// of the week lies in an interval (rollout.ts).
import type { Diagnostic, EntryNode, Fix, IniDocument, Span, TimeWindow } from './types';
import { splitList, type ListItem } from './listItems';
import { removeListItemEdit } from './edits';
import { suggest } from './suggest';
import { charLength } from './chars';

export const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const FULL_DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export const MINUTES_PER_DAY = 1440;
const WEEK = 7 * MINUTES_PER_DAY;

// Words people write for a set of days, with the DAYS that says it.
const DAY_SET_WORDS: Record<string, string> = { weekdays: 'Mon-Fri', workdays: 'Mon-Fri', weekend: 'Sat-Sun', weekends: 'Sat-Sun', daily: 'Mon-Sun' };

type Token = { kind: 'word' | 'number' | 'dash'; text: string; span: Span };

/** What an item says, before it becomes intervals. */
interface WindowParts {
  /** Day indexes (0 = Monday), in order from the first day of the range. */
  days: number[] | null;
  daysText: string | null;
  /** Minutes after midnight; null: the whole day. */
  start: number | null;
  end: number | null;
}

/** The windows of a `ForcedHours` value; reports malformed items and redundant ones. */
export function readWindows(entry: EntryNode, doc: IniDocument, name: string, report: (d: Diagnostic) => void): TimeWindow[] {
  const windows: TimeWindow[] = [];
  for (const item of splitList(entry.value, entry.valueSpan.start, name, report)) {
    const parts = parseWindow(item, report);
    if (parts) windows.push(toWindow(item, parts));
  }
  for (const { item, container } of findRedundantWindows(windows)) {
    report({
      code: 'redundant-window',
      severity: 'warning',
      span: item.span,
      message: sameMinutes(item, container)
        ? `"${item.text}" covers the same hours as "${container.text}": remove one`
        : `"${item.text}" is wholly inside "${container.text}" (${describeWindow(container)}): it adds nothing, remove it`,
      related: [{ span: container.span, message: `"${container.text}" already covers it` }],
      fixes: [{ title: `Remove "${item.text}"`, edits: [removeListItemEdit(doc.text, item.span, entry.valueSpan)], preferred: true }],
    });
  }
  return windows;
}

// ------------------------------------------------------------------ one item

function tokenize(item: ListItem): Token[] | Span {
  const tokens: Token[] = [];
  const text = item.text;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const at = item.span.start + i;
    let m: RegExpExecArray | null;
    if (c === '-') {
      tokens.push({ kind: 'dash', text: c, span: { start: at, end: at + 1 } });
      i++;
    } else if ((m = /^[A-Za-z]+/.exec(text.slice(i)))) {
      tokens.push({ kind: 'word', text: m[0], span: { start: at, end: at + m[0].length } });
      i += m[0].length;
    } else if ((m = /^[0-9]+(?:[:.][0-9]*)?/.exec(text.slice(i)))) {
      tokens.push({ kind: 'number', text: m[0], span: { start: at, end: at + m[0].length } });
      i += m[0].length;
    } else {
      // The whole character, so the message never quotes half of an emoji.
      return { start: at, end: at + charLength(text, i) };
    }
  }
  return tokens;
}

const SHAPE = 'write a day (Mon), days (Mon-Fri), times (18:00-07:00) or both (Mon-Fri 18:00-07:00)';

function parseWindow(item: ListItem, report: (d: Diagnostic) => void): WindowParts | null {
  const malformed = (problem: string, fix?: string): null => {
    const fixes: Fix[] | undefined = fix !== undefined ? [{ title: `Write "${fix}"`, edits: [{ span: item.span, newText: fix }], preferred: true }] : undefined;
    report({ code: 'invalid-window', severity: 'error', span: item.span, message: `ForcedHours item "${item.text}" is malformed: ${problem}`, fixes });
    return null;
  };
  const tokens = tokenize(item);
  if (!Array.isArray(tokens)) return malformed(`"${item.text.slice(tokens.start - item.span.start, tokens.end - item.span.start)}" has no place in a window: ${SHAPE}`);

  // DAYS: a word, or word - word.
  let k = 0;
  let days: Token[] = [];
  if (tokens[0]?.kind === 'word') {
    days = [tokens[0]];
    k = 1;
    if (tokens[1]?.kind === 'dash' && tokens[2]?.kind === 'word') {
      days = [tokens[0], tokens[2]];
      k = 3;
    }
  }
  // Times: number - number.
  const rest = tokens.slice(k);
  let times: Token[] = [];
  if (rest.length === 3 && rest[0].kind === 'number' && rest[1].kind === 'dash' && rest[2].kind === 'number') times = [rest[0], rest[2]];
  else if (rest.length > 0) {
    const lone = rest[0].kind === 'number' && (rest.length === 1 || (rest.length === 2 && rest[1].kind === 'dash'));
    if (lone) {
      // A start with no end: the clear repair is to run to midnight.
      const start = readTime(rest[0], 'start');
      const fix = typeof start === 'number' ? `${days.length > 0 ? `${daysText(days)} ` : ''}${formatTime(start)}-24:00` : undefined;
      return malformed(`"${rest[0].text}" has no end time: write a start and an end, e.g. ${rest[0].text}-24:00`, fix);
    }
    if (days.length === 0 && rest[0].kind === 'number') return malformed(`a window is a start and an end time (18:00-07:00), optionally after days: ${SHAPE}`);
    return malformed(`${SHAPE}`);
  }
  if (days.length === 0 && times.length === 0) return malformed(SHAPE);

  // Words that are not days.
  const dayIndexes: number[] = [];
  let dayProblem = false;
  for (const token of days) {
    const index = DAY_NAMES.findIndex((d) => d.toLowerCase() === token.text.toLowerCase());
    if (index >= 0) dayIndexes.push(index);
    else {
      dayProblem = true;
      report(unknownDay(token, days.length === 1));
    }
  }
  let start: number | null = null;
  let end: number | null = null;
  let timeProblem = false;
  if (times.length === 2) {
    const s = readTime(times[0], 'start');
    const e = readTime(times[1], 'end');
    for (const [t, token] of [[s, times[0]], [e, times[1]]] as const) {
      if (typeof t !== 'number') {
        timeProblem = true;
        report({ code: 'invalid-time', severity: 'error', span: token.span, message: `ForcedHours: "${token.text}" ${t.problem}`, fixes: t.fix !== undefined ? [{ title: `Write ${t.fix}`, edits: [{ span: token.span, newText: t.fix }], preferred: true }] : undefined });
      }
    }
    if (typeof s === 'number' && typeof e === 'number') {
      start = s;
      end = e;
    }
  }
  if (dayProblem || timeProblem) return null;
  if (start !== null && start === end) {
    report({
      code: 'empty-window',
      severity: 'error',
      span: item.span,
      message: `ForcedHours item "${item.text}" starts and ends at ${formatTime(start)}: it covers no time at all. For the whole day write ${days.length > 0 ? daysText(days) : 'no times (or Mon-Sun)'}`,
      fixes: days.length > 0 ? [{ title: `Write "${daysText(days)}" (the whole day)`, edits: [{ span: item.span, newText: daysText(days) }] }] : undefined,
    });
    return null;
  }
  return { days: dayIndexes.length === 0 ? null : dayRange(dayIndexes[0], dayIndexes[dayIndexes.length - 1]), daysText: days.length > 0 ? daysText(days) : null, start, end };
}

function daysText(days: Token[]): string {
  return days.map((d) => d.text).join('-');
}

/** `alone`: the word is all of DAYS, so a word for several days (weekdays) can become a range. */
function unknownDay(token: Token, alone: boolean): Diagnostic {
  const lower = token.text.toLowerCase();
  let guess: string | undefined;
  if (lower.length >= 3) {
    const full = FULL_DAY_NAMES.findIndex((d) => d.toLowerCase().startsWith(lower));
    if (full >= 0) guess = DAY_NAMES[full];
  }
  if (!guess && alone) guess = DAY_SET_WORDS[lower];
  guess ??= suggest(token.text, DAY_NAMES);
  return {
    code: 'unknown-day',
    severity: 'error',
    span: token.span,
    message: `ForcedHours: "${token.text}" is not a day: write Mon, Tue, Wed, Thu, Fri, Sat or Sun${guess ? ` (did you mean ${guess}?)` : ''}`,
    fixes: guess ? [{ title: `Change to ${guess}`, edits: [{ span: token.span, newText: guess }], preferred: true }] : undefined,
  };
}

/** The days from `first` to `last`, wrapping past Sunday (Fri-Mon); a range of one day is that day. */
function dayRange(first: number, last: number): number[] {
  const days = [first];
  for (let d = first; d !== last; ) {
    d = (d + 1) % 7;
    days.push(d);
  }
  return days;
}

/** `H:MM` or `HH:MM`, 24:00 only as an end: minutes after midnight, or what is wrong (with a repair when it is clear). */
function readTime(token: Token, role: 'start' | 'end'): number | { problem: string; fix?: string } {
  const m = /^([0-9]{1,2}):([0-9]{2})$/.exec(token.text);
  if (!m) {
    // 8, 08.00, 8:0: the hour is clear, the form is not.
    const loose = /^([0-9]{1,2})(?:[:.]([0-9]{2}))?$/.exec(token.text);
    const fix = loose && Number(loose[1]) <= 24 && Number(loose[2] ?? 0) <= 59 ? formatTime(Number(loose[1]) * 60 + Number(loose[2] ?? 0)) : undefined;
    return { problem: `is not a time: write 24-hour H:MM or HH:MM${fix ? `, e.g. ${fix}` : ''}`, fix: fix === '24:00' && role === 'start' ? '00:00' : fix };
  }
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 24) return { problem: `has hour ${hour}: hours go from 0 to 24 (24:00 only as an end)` };
  if (minute > 59) return { problem: `has minute ${minute}: minutes go from 00 to 59` };
  if (hour === 24 && minute !== 0) return { problem: `is past 24:00: the latest time is 24:00, the end of the day` };
  if (hour === 24 && role === 'start') return { problem: 'is a start at 24:00: 24:00 ends a day; a window that starts at midnight starts at 00:00', fix: '00:00' };
  return hour * 60 + minute;
}

export function formatTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

// -------------------------------------------------------------- as intervals

function toWindow(item: ListItem, parts: WindowParts): TimeWindow {
  const days = parts.days ?? [0, 1, 2, 3, 4, 5, 6];
  const raw: [number, number][] = [];
  for (const d of days) {
    const base = d * MINUTES_PER_DAY;
    const start = parts.start ?? 0;
    const end = parts.end ?? MINUTES_PER_DAY;
    // An end before the start runs into the next morning (and past Sunday into Monday).
    const until = end > start ? base + end : base + MINUTES_PER_DAY + end;
    if (until <= WEEK) raw.push([base + start, until]);
    else raw.push([base + start, WEEK], [0, until - WEEK]);
  }
  return { text: item.text, span: item.span, intervals: mergeIntervals(raw), days: parts.days, start: parts.start, end: parts.end };
}

/** Sorted, overlapping and touching intervals joined: one set has one form. */
export function mergeIntervals(intervals: readonly (readonly [number, number])[]): [number, number][] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Is every minute of `inner` in `outer`? Both merged: each interval of inner must lie in one of outer. */
export function windowInside(inner: TimeWindow, outer: TimeWindow): boolean {
  let j = 0;
  const o = outer.intervals;
  for (const [s, e] of inner.intervals) {
    while (j < o.length && o[j][1] <= s) j++;
    if (j >= o.length || o[j][0] > s || o[j][1] < e) return false;
  }
  return true;
}

function sameMinutes(a: TimeWindow, b: TimeWindow): boolean {
  return a.intervals.length === b.intervals.length && a.intervals.every(([s, e], i) => s === b.intervals[i][0] && e === b.intervals[i][1]);
}

export interface WindowRedundancy {
  item: TimeWindow;
  /** The window that wholly contains it (the earlier one, for the same minutes). */
  container: TimeWindow;
}

/**
 * Windows wholly inside another window. The widest windows are tried first
 * and a container must hold the item's first minute, so most pairs are
 * settled by one comparison; ForcedHours has a handful of items.
 */
export function findRedundantWindows(windows: readonly TimeWindow[]): WindowRedundancy[] {
  const size = (w: TimeWindow): number => w.intervals.reduce((n, [s, e]) => n + e - s, 0);
  const bySize = windows.map((w, index) => ({ w, index, size: size(w) })).sort((a, b) => b.size - a.size || a.index - b.index);
  const out: WindowRedundancy[] = [];
  for (const { w, index, size: n } of bySize) {
    if (w.intervals.length === 0) continue;
    const first = w.intervals[0][0];
    for (const other of bySize) {
      if (other.size < n) break;
      if (other.index === index || (other.size === n && other.index > index)) continue;
      if (!other.w.intervals.some(([s, e]) => s <= first && first < e)) continue;
      if (windowInside(w, other.w)) {
        out.push({ item: w, container: other.w });
        break;
      }
    }
  }
  return out.sort((a, b) => a.item.span.start - b.item.span.start);
}

// ------------------------------------------------------------------- in words

function describeDays(days: readonly number[] | null): string {
  if (days === null || days.length === 7) return 'every day';
  if (days.length === 1) return FULL_DAY_NAMES[days[0]];
  const key = days.join(',');
  if (key === '0,1,2,3,4') return 'weekdays';
  if (key === '5,6') return 'weekends';
  return `${FULL_DAY_NAMES[days[0]]} to ${FULL_DAY_NAMES[days[days.length - 1]]}`;
}

/** A window in words: "weekdays from 18:00 to 07:00 the next morning", and with
 *  `timeZone` given (null: the server's own) its clock: "..., Europe/Berlin". */
export function describeWindow(window: TimeWindow, timeZone?: string | null): string {
  const zone = timeZone === undefined ? '' : `, ${timeZone ?? "the server's time zone"}`;
  const days = describeDays(window.days ?? null);
  if (window.start === null || window.start === undefined || window.end === null || window.end === undefined) return `${days}, all day${zone}`;
  const next = window.end >= window.start ? '' : window.end <= 12 * 60 ? ' the next morning' : ' the next day';
  const end = window.end === MINUTES_PER_DAY ? 'midnight' : formatTime(window.end);
  return `${days} from ${formatTime(window.start)} to ${end}${next}${zone}`;
}
