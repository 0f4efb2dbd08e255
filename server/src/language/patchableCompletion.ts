// Completion inside Patchable, at any position of the list: item snippets,
// versions, range bounds, comparators. Two rules hold for everything offered:
// nothing the checks then reject as an error (no version at or above
// CurrentVersion, except after "<"), and nothing that adds no version or
// swallows another item (issue 10 item 14: accepting must never bring a
// redundancy warning). The detail of each says what it adds.
import {
  CompletionItemKind,
  InsertTextFormat,
  type CompletionItem,
  type CompletionList,
} from 'vscode-languageserver-types';
import { boundsAbove, compareVersions, coverageOf, gaps, isCovered, isEmptyItem, MAX_VERSION, MIN_VERSION, nextItemAbove, parseItem, scanVersion, unionIntervals, whatItAdds, type Coverage, type Version, type VersionSetItem } from '../config';
import type { DocumentState } from './documentState';
import { toRange } from './positions';

const MAX_ITEMS = 200;
const OPERATORS = ['>=', '<', '<=', '>', '='];
const cmp = compareVersions;

/** A blank after "=" or "," (and after " -"), so accepting right after a trigger character reads `a, b`, not `a,b`. */
export function leadingBlank(text: string, at: number): string {
  const c = text[at - 1];
  if (c === '=' || c === ',') return ' ';
  if (c === '-' && (text[at - 2] === ' ' || text[at - 2] === '\t')) return ' ';
  return '';
}

/** The versions a file name mentions (Netphone_5.19.9.exe): likely versions of the office. */
function fileVersions(state: DocumentState): Version[] {
  const out: Version[] = [];
  const upgrade = state.analysis.config.upgrade;
  for (const name of [upgrade.fullSetup, upgrade.patchFile]) {
    const m = name ? /(\d+(?:\.\d+){1,3})/.exec(name) : null;
    if (!m) continue;
    const v = scanVersion(m[1], 0, m[1].length);
    if (typeof v !== 'string') out.push(v);
  }
  return out;
}

/** Round versions just below CurrentVersion (5.20.12: 5.20.11, 5.19, 4.0), for snippet defaults. */
function roundVersionsBelow(current: Version | null): Version[] {
  if (!current) return ['5.0', '4.0'].map((t) => scanVersion(t, 0, t.length) as Version);
  const out: Version[] = [];
  for (let k = 3; k >= 0; k--) {
    if (current.parts[k] === 0) continue;
    const parts = current.parts.slice(0, k + 1);
    parts[k]--;
    while (parts.length < 2) parts.push(0);
    const text = parts.join('.');
    out.push(scanVersion(text, 0, text.length) as Version);
  }
  return out;
}

/** Newest first, each version once. */
function distinctDescending(versions: Version[]): Version[] {
  versions.sort((a, b) => cmp(b, a));
  return versions.filter((v, i) => i === 0 || cmp(versions[i - 1], v) !== 0);
}

/** The interval an item text would match, or null when it would not parse (or matches nothing). */
function intervalOf(text: string): VersionSetItem | null {
  const r = parseItem(text, 0);
  return 'code' in r || isEmptyItem(r) ? null : r;
}

/**
 * What an item would add, or null when it must not be offered. An item still
 * open above (`>=5.12`, to be bounded next) is judged by its start: that
 * version must be below CurrentVersion and not covered yet.
 */
function judge(cov: Coverage, item: VersionSetItem | null, current: Version | null): string | null {
  if (!item) return null;
  if (cmp(item.hi, MAX_VERSION) === 0) {
    if ((current && cmp(item.lo, current) >= 0) || isCovered(cov, item.lo)) return null;
    return `starts at ${item.lo.text}, not covered yet: add an upper bound below CurrentVersion`;
  }
  if (current && cmp(item.hi, current) >= 0) return null;
  return whatItAdds(cov, item.lo, item.hi);
}

/** `label <NEXT`: the lower bound `label` with the end before the next item above it, or CurrentVersion. */
function upperBoundAfter(cov: Coverage, open: VersionSetItem | null, current: Version | null, label: string): string {
  if (!open) return label;
  const next = nextItemAbove(cov, open.lo);
  const end = next && (!current || cmp(next.lo, current) < 0) ? next.lo : current;
  return end ? `${label} <${end.text}` : label;
}

export function patchableCompletion(state: DocumentState, offset: number, valueStart: number): CompletionList {
  const text = state.text;
  // The item being typed: from after the last comma to the cursor.
  let itemStart = offset;
  while (itemStart > valueStart && text[itemStart - 1] !== ',') itemStart--;
  while (itemStart < offset && (text[itemStart] === ' ' || text[itemStart] === '\t')) itemStart++;
  const prefix = text.slice(itemStart, offset);
  // The token being typed: the version after the last operator, '-' or blank.
  let tokenStart = offset;
  while (tokenStart > itemStart && /[0-9.*]/.test(text[tokenStart - 1])) tokenStart--;
  const before = text.slice(itemStart, tokenStart).trimEnd();
  const typed = text.slice(tokenStart, offset);
  const upgrade = state.analysis.config.upgrade;
  const current = upgrade.currentVersion;
  // The item under the cursor is being rewritten: it does not count as covering anything.
  const editIndex = upgrade.patchable.indexAt(offset);
  const editing = editIndex === -1 ? undefined : upgrade.patchable.item(editIndex);
  const cov = coverageOf(upgrade.patchable, editIndex);
  const lead = leadingBlank(text, tokenStart);
  const range = toRange(state.map, { start: tokenStart, end: offset });
  const items: CompletionItem[] = [];
  const own = editing ? [editing.lo, editing.hi] : [];

  /** Offers each version whose item (`itemText(insert)`) adds something; `finish` may go on after the version. */
  const versions = (pool: Version[], itemText: (insert: string) => string, finish: (label: string) => string = (label) => label): void => {
    for (const v of distinctDescending(pool)) {
      if (items.length >= MAX_ITEMS) break;
      const label = v.text;
      if (typed && (!label.startsWith(typed) || label === typed)) continue;
      const insert = finish(label);
      const detail = judge(cov, intervalOf(itemText(insert)), current);
      if (detail === null) continue;
      items.push({ label, labelDetails: insert === label ? undefined : { detail: insert.slice(label.length) }, kind: CompletionItemKind.Constant, detail, sortText: String(items.length).padStart(5, '0'), textEdit: { range, newText: lead + insert } });
    }
  };

  if (before.endsWith('-')) {
    // The upper bound of a range: above its lower bound, below CurrentVersion.
    const loText = before.slice(0, -1).trim();
    const lo = scanVersion(loText, 0, loText.length);
    if (typeof lo !== 'string') versions([...boundsAbove(cov, lo), ...fileVersions(state), ...own], (label) => `${loText} - ${label}`);
  } else if (/(>=|<=|>|<|=)$/.test(before)) {
    const op = /(>=|<=|>|<|=)$/.exec(before)![1];
    const pool = [...fileVersions(state), ...own];
    if (op === '<' || op === '<=') {
      // An upper bound: up to the first item the comparators would swallow.
      const earlier = intervalOf(before.slice(0, -op.length).trim());
      pool.push(...boundsAbove(cov, earlier?.lo ?? MIN_VERSION));
      // `<CurrentVersion` is the one bound that may name it: it stays below.
      if (op === '<' && current) pool.push(current);
      versions(pool, (insert) => `${before}${insert}`);
    } else {
      // Right after a stretch that is covered: `>5.11.99`.
      pool.push(...unionIntervals(cov, 50).map((u) => u.hi));
      // A lower bound alone matches every newer version (an error): it comes
      // with the upper bound that stops before the next item or CurrentVersion.
      const open = intervalOf(`${before}0`);
      const upTo = open && cmp(open.hi, MAX_VERSION) === 0 ? (label: string) => upperBoundAfter(cov, intervalOf(`${before}${label}`), current, label) : undefined;
      versions(pool, (insert) => `${before}${insert}`, upTo);
    }
  } else if (/^(>=|<=|>|<|=)/.test(prefix) && /[ \t]$/.test(prefix)) {
    // After a comparator and a blank: another comparator, usually the upper bound.
    for (const op of ['<', '<=']) items.push({ label: op, kind: CompletionItemKind.Operator, textEdit: { range: toRange(state.map, { start: offset, end: offset }), newText: op } });
  } else if (tokenStart === itemStart) {
    const whole = toRange(state.map, { start: itemStart, end: offset });
    const itemLead = leadingBlank(text, itemStart);
    if (prefix.length === 0) {
      // Offered on an empty item only: once digits are typed, versions fit better.
      for (const s of snippets(state, cov, current, own)) {
        items.push({ label: s.label, kind: CompletionItemKind.Snippet, detail: s.detail, documentation: s.doc, insertTextFormat: InsertTextFormat.Snippet, sortText: `~${s.label}`, textEdit: { range: whole, newText: itemLead + s.body } });
      }
    }
    versions([...fileVersions(state), ...own], (label) => label);
    for (const op of OPERATORS) items.push({ label: op, kind: CompletionItemKind.Operator, sortText: `~~${op}`, textEdit: { range: whole, newText: itemLead + op } });
  } else if (tokenStart === offset) {
    // A whole version and a blank: the item can only go on as a range.
    if (/^[0-9.]+[ \t]+$/.test(prefix)) items.push({ label: '-', kind: CompletionItemKind.Operator, detail: 'make it a range: lo - hi', textEdit: { range, newText: '- ' } });
  } else {
    versions([...fileVersions(state), ...own], (label) => `${before} ${label}`);
  }
  return { isIncomplete: items.length >= MAX_ITEMS, items };
}

interface Snippet {
  label: string;
  body: string;
  detail: string;
  doc: string;
}

/** The four item forms, each with defaults that are valid and add something; a form with no such default is left out. */
function snippets(state: DocumentState, cov: Coverage, current: Version | null, own: Version[]): Snippet[] {
  const out: Snippet[] = [];
  const candidates = [...distinctDescending([...fileVersions(state), ...own]), ...roundVersionsBelow(current)];
  const gap = gaps(cov, current);
  for (const g of gap) candidates.push(g.lo);
  const exact = candidates.find((v) => judge(cov, intervalOf(v.text), current) !== null);
  if (exact) {
    const adds = judge(cov, intervalOf(exact.text), current) as string;
    out.push({ label: 'version', body: `\${1:${exact.text}}`, detail: adds, doc: 'exact: that version only' });
    const wildcard = candidates.map((v) => wildcardOver(v, cov, current)).find((w) => w !== null);
    if (wildcard) out.push({ label: 'wildcard', body: `\${1:${wildcard.prefix}}.*`, detail: wildcard.adds, doc: 'every version starting with those components' });
    out.push({ label: 'range', body: `\${1:${exact.text}} - \${2:${exact.text}}`, detail: adds, doc: 'lo - hi, both inclusive' });
  }
  const stretch = gap[0];
  if (stretch) {
    const body = stretch.from
      ? `${stretch.from.op}\${1:${stretch.from.version.text}} ${stretch.to.op}\${2:${stretch.to.version.text}}`
      : `${stretch.to.op}\${1:${stretch.to.version.text}}`;
    const adds = whatItAdds(cov, stretch.lo, stretch.hi);
    if (adds) out.push({ label: 'comparators', body, detail: adds, doc: 'every comparator holds; keep an upper bound below CurrentVersion' });
  }
  return out;
}

/** The shortest wildcard over `v` (two or three components) that stays below CurrentVersion and adds something. */
function wildcardOver(v: Version, cov: Coverage, current: Version | null): { prefix: string; adds: string } | null {
  const parts = v.text.split('.');
  for (let n = 2; n <= Math.min(3, parts.length); n++) {
    const prefix = parts.slice(0, n).join('.');
    const adds = judge(cov, intervalOf(`${prefix}.*`), current);
    if (adds !== null) return { prefix, adds };
  }
  return null;
}
