// Completion in [Rollout] (spec section 7, issue 12): days, day ranges and
// times on the hour in ForcedHours, the runtime's IANA zones in TimeZone, the
// known client names in Pilot and Exclude (from the workspace's fleet files
// and the running server's inventory), and shares in Percent with how many
// known clients each takes in. As in Patchable, nothing is offered that the
// checks would then call redundant: a name a list already matches is left out.
import { CompletionItemKind, type CompletionItem, type CompletionList } from 'vscode-languageserver-types';
import { DAY_NAMES, defaultRollout, formatTime, matchName, supportedTimeZones, type EntryNode, type KeySchema, type NamePattern } from '../config';
import type { DocumentState } from './documentState';
import { toRange } from './positions';
import { leadingBlank } from './patchableCompletion';
import { clientBucket, rolloutShare, type KnownClient } from './rolloutShare';

const MAX_ITEMS = 200;
const FULL_DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const DAY_RANGES: [string, string][] = [
  ['Mon-Fri', 'weekdays'],
  ['Sat-Sun', 'the weekend'],
  ['Mon-Sun', 'every day'],
  ['Fri-Mon', 'Friday to Monday (a range may wrap)'],
];

/** Completion inside a [Rollout] value, or null when the key has none of its own. */
export function rolloutCompletion(state: DocumentState, offset: number, entry: EntryNode, key: KeySchema, clients: readonly KnownClient[]): CompletionList | null {
  switch (key.type) {
    case 'windows':
      return windowCompletion(state, offset, entry);
    case 'timeZone':
      return zoneCompletion(state, offset, entry);
    case 'names':
      return nameCompletion(state, offset, entry, key.name === 'Pilot' ? 'Pilot' : 'Exclude', clients);
    default:
      return key.name === 'Percent' ? percentCompletion(state, offset, entry, clients) : null;
  }
}

/** Where the list item under the cursor starts (after the last comma before it, blanks skipped). */
function itemStart(text: string, offset: number, valueStart: number): number {
  let start = offset;
  while (start > valueStart && text[start - 1] !== ',') start--;
  while (start < offset && (text[start] === ' ' || text[start] === '\t')) start++;
  return start;
}

function windowCompletion(state: DocumentState, offset: number, entry: EntryNode): CompletionList {
  const text = state.text;
  const start = itemStart(text, offset, entry.valueSpan.start);
  // The token being typed: a word (a day) or a time.
  let token = offset;
  while (token > start && /[A-Za-z0-9:]/.test(text[token - 1])) token--;
  const before = text.slice(start, token);
  const typed = text.slice(token, offset);
  const range = toRange(state.map, { start: token, end: offset });
  const lead = leadingBlank(text, token);
  const items: CompletionItem[] = [];
  const offer = (label: string, detail: string, kind: CompletionItemKind, sort: number): void => {
    if (typed && !label.toLowerCase().startsWith(typed.toLowerCase())) return;
    items.push({ label, kind, detail, sortText: String(sort).padStart(3, '0'), textEdit: { range, newText: lead + label } });
  };
  const hours = (detail: (minutes: number) => string, from = 0, to = 23): void => {
    for (let h = from; h <= to; h++) offer(formatTime(h * 60), detail(h * 60), CompletionItemKind.Value, 100 + h);
  };
  const startTime = /(\d{1,2}):(\d{2})-$/.exec(before);
  if (startTime) {
    // The end of a time range: any hour up to 24:00; one before the start runs into the next morning.
    const from = Number(startTime[1]) * 60 + Number(startTime[2]);
    hours((m) => (m === from ? 'the same as the start: no time at all' : m < from ? 'the next morning' : 'the same day'), 0, 24);
    return { isIncomplete: false, items: items.filter((i) => !/no time at all/.test(i.detail ?? '')) };
  }
  if (/[A-Za-z]-$/.test(before)) {
    // The end of a day range.
    const first = DAY_NAMES.findIndex((d) => before.toLowerCase().endsWith(`${d.toLowerCase()}-`));
    DAY_NAMES.forEach((d, i) => {
      if (i !== first) offer(d, first >= 0 ? `${FULL_DAYS[first]} to ${FULL_DAYS[i]}` : FULL_DAYS[i], CompletionItemKind.EnumMember, i);
    });
    return { isIncomplete: false, items };
  }
  if (/[A-Za-z][ \t]+$/.test(before)) {
    // Days written: the start of the hours.
    hours((m) => `from ${formatTime(m)}`);
    return { isIncomplete: false, items };
  }
  if (before.trim().length === 0) {
    // A new item: days, day ranges, or hours alone (every day).
    DAY_RANGES.forEach(([label, detail], i) => offer(label, detail, CompletionItemKind.EnumMember, i));
    DAY_NAMES.forEach((d, i) => offer(d, FULL_DAYS[i], CompletionItemKind.EnumMember, 10 + i));
    hours((m) => `every day from ${formatTime(m)}`);
  }
  return { isIncomplete: false, items };
}

function zoneCompletion(state: DocumentState, offset: number, entry: EntryNode): CompletionList {
  const raw = entry.rawValueSpan;
  const start = raw.start === raw.end ? offset : raw.start;
  const range = toRange(state.map, { start, end: Math.max(offset, raw.end) });
  const lead = leadingBlank(state.text, start);
  const zones = ['UTC', ...supportedTimeZones().filter((z) => z !== 'UTC')];
  // All of them (about 400): the editor filters as the admin types.
  const items = zones.map((z, i): CompletionItem => ({ label: z, kind: CompletionItemKind.Value, sortText: String(i).padStart(4, '0'), textEdit: { range, newText: lead + z } }));
  return { isIncomplete: false, items };
}

function nameCompletion(state: DocumentState, offset: number, entry: EntryNode, list: 'Pilot' | 'Exclude', clients: readonly KnownClient[]): CompletionList {
  const text = state.text;
  const start = itemStart(text, offset, entry.valueSpan.start);
  let end = offset;
  while (end < entry.valueSpan.end && text[end] !== ',') end++;
  while (end > offset && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  const typed = text.slice(start, offset).toLowerCase();
  const rollout = state.analysis.config.rollout;
  const here = (list === 'Pilot' ? rollout?.pilot : rollout?.exclude) ?? [];
  const other = (list === 'Pilot' ? rollout?.exclude : rollout?.pilot) ?? [];
  // The item being rewritten counts for nothing.
  const others = here.filter((p) => !(p.span.start <= offset && offset <= p.span.end));
  const current = state.analysis.config.upgrade.currentVersion;
  const range = toRange(state.map, { start, end });
  const lead = leadingBlank(text, start);
  const items: CompletionItem[] = [];
  let more = false;
  for (const c of clients) {
    if (typed && !c.name.toLowerCase().startsWith(typed)) continue;
    const why = notOffered(c.name, list, others, other);
    if (why) continue;
    if (items.length >= MAX_ITEMS) {
      more = true;
      break;
    }
    const share = current ? `, bucket ${clientBucket(state.analysis.config, c.name)}` : '';
    items.push({ label: c.name, kind: CompletionItemKind.Value, detail: `${c.source}${share}`, textEdit: { range, newText: lead + c.name } });
  }
  return { isIncomplete: more, items };
}

/** Why a name would add nothing to a list: it matches already, or (in Pilot) Exclude keeps it out anyway. */
function notOffered(name: string, list: 'Pilot' | 'Exclude', here: readonly NamePattern[], other: readonly NamePattern[]): string | null {
  const already = matchName(here, name);
  if (already) return `"${already.text}" matches it already`;
  // In Pilot, a desk Exclude matches is never upgraded (Exclude wins); in Exclude, the same item in Pilot is an error.
  const there = list === 'Pilot' ? matchName(other, name) : other.find((p) => p.text.toLowerCase() === name.toLowerCase());
  return there ? `"${there.text}" in the other list` : null;
}

function percentCompletion(state: DocumentState, offset: number, entry: EntryNode, clients: readonly KnownClient[]): CompletionList {
  const raw = entry.rawValueSpan;
  const start = raw.start === raw.end ? offset : raw.start;
  const range = toRange(state.map, { start, end: Math.max(offset, raw.end) });
  const lead = leadingBlank(state.text, start);
  const config = state.analysis.config;
  const items = [0, 10, 25, 50, 75, 100].map((p, i): CompletionItem => {
    const share = clients.length > 0 && config.upgrade.currentVersion ? rolloutShare({ ...config, rollout: { ...(config.rollout ?? defaultRollout()), percent: p } }, clients) : null;
    const detail = share ? `takes in ${share.inRollout} of ${clients.length} known clients` : p === 0 ? 'the pilot desks only' : p === 100 ? 'every desk (the default)' : `about ${p} % of the desks`;
    return { label: String(p), kind: CompletionItemKind.Value, detail, sortText: String(i), textEdit: { range, newText: lead + String(p) } };
  });
  return { isIncomplete: false, items };
}
