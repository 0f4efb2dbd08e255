// Completion: section names, missing keys with their docs and a default
// snippet, enum and boolean values, files under FileRoot, and inside
// Patchable, at any position of the list, item snippets, known versions below
// CurrentVersion and operators. Nothing offered is something the checks
// would then reject (no version at or above CurrentVersion in Patchable).
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
} from 'vscode-languageserver-types';
import { compareVersions, findKey, findSection, formatVersion, scanVersion, SCHEMA, type KeySchema, type Version } from '../config';
import type { DocumentState } from './documentState';
import { cursorContext } from './context';
import { toRange } from './positions';

export interface CompletionEnv {
  /** File names (relative to FileRoot, '/'-separated) that FullSetup/PatchFile may name. */
  files: readonly string[];
}

const MAX_ITEMS = 200;

export function completion(state: DocumentState, offset: number, env: CompletionEnv = { files: [] }): CompletionList {
  const ctx = cursorContext(state, offset);
  const items: CompletionItem[] = [];
  const span = (start: number, end: number) => toRange(state.map, { start, end });
  const present = (sectionName: string): Set<string> => {
    const s = state.analysis.sections.get(sectionName.toLowerCase());
    return new Set(s ? s.entries.map((e) => e.key) : []);
  };

  if (ctx.kind === 'header') {
    const header = ctx.line.kind === 'section' ? ctx.line.section : null;
    const start = header ? header.headerSpan.start : state.text.indexOf('[', ctx.line.span.start);
    const end = header ? header.headerSpan.end : ctx.line.span.end;
    for (const s of SCHEMA) {
      if (state.analysis.sections.has(s.name.toLowerCase()) && ctx.section?.key !== s.name.toLowerCase()) continue;
      items.push({ label: `[${s.name}]`, kind: CompletionItemKind.Module, filterText: `[${s.name}]`, documentation: s.doc, textEdit: { range: span(start, end), newText: `[${s.name}]` } });
    }
    return { isIncomplete: false, items };
  }

  if (ctx.kind === 'key') {
    const schema = ctx.section ? findSection(ctx.section.name) : undefined;
    const editingKey = ctx.entry !== null;
    const end = ctx.entry ? ctx.entry.keySpan.end : offset;
    if (schema) {
      const have = present(schema.name);
      for (const k of schema.keys) {
        if (have.has(k.name.toLowerCase()) && ctx.entry?.key !== k.name.toLowerCase()) continue;
        items.push({
          label: k.name,
          kind: CompletionItemKind.Property,
          detail: `${k.type}${k.default ? `, default ${k.default}` : ''}${k.required === true ? ', required' : ''}`,
          documentation: { kind: MarkupKind.Markdown, value: k.doc },
          sortText: `${k.required === true ? '0' : '1'}${k.name}`,
          insertTextFormat: editingKey ? InsertTextFormat.PlainText : InsertTextFormat.Snippet,
          textEdit: { range: span(ctx.prefixStart, end), newText: editingKey ? k.name : `${k.name} = \${1:${snippetEscape(k.default ?? k.example ?? '')}}` },
        });
      }
    }
    if (!editingKey) {
      // A new section can start on any free line.
      for (const s of SCHEMA) {
        if (state.analysis.sections.has(s.name.toLowerCase())) continue;
        items.push({ label: `[${s.name}]`, kind: CompletionItemKind.Module, sortText: `9${s.name}`, documentation: s.doc, textEdit: { range: span(ctx.prefixStart, offset), newText: `[${s.name}]` } });
      }
    }
    return { isIncomplete: false, items };
  }

  if (ctx.kind !== 'value' || !ctx.section) return { isIncomplete: false, items };
  const key = findKey(ctx.section.name, ctx.entry.name);
  if (!key) return { isIncomplete: false, items };
  const entry = ctx.entry;
  if (key.type === 'versionSet') return patchableCompletion(state, offset, entry.valueSpan.start);
  const valueRange = span(entry.rawValueSpan.start === entry.rawValueSpan.end ? offset : entry.rawValueSpan.start, Math.max(offset, entry.rawValueSpan.end));
  for (const value of valuesFor(key, state, env)) {
    items.push({ label: value.label, kind: value.kind, detail: value.detail, textEdit: { range: valueRange, newText: value.label } });
  }
  return { isIncomplete: false, items };
}

function snippetEscape(s: string): string {
  return s.replace(/[$}\\]/g, (c) => `\\${c}`);
}

function valuesFor(key: KeySchema, state: DocumentState, env: CompletionEnv): { label: string; kind: CompletionItemKind; detail?: string }[] {
  switch (key.type) {
    case 'boolean':
      return ['Yes', 'No'].map((label) => ({ label, kind: CompletionItemKind.Value }));
    case 'enum':
      return (key.allowed ?? []).map((label) => ({ label, kind: CompletionItemKind.EnumMember }));
    case 'address':
      return [
        { label: '127.0.0.1', kind: CompletionItemKind.Value, detail: 'this machine only' },
        { label: '0.0.0.0', kind: CompletionItemKind.Value, detail: 'every network interface' },
        { label: '::1', kind: CompletionItemKind.Value, detail: 'this machine only, IPv6' },
        { label: 'localhost', kind: CompletionItemKind.Value },
      ];
    case 'integer':
      return key.default ? [{ label: key.default, kind: CompletionItemKind.Value, detail: 'default' }] : [];
    case 'path':
      return env.files.map((label) => ({ label, kind: CompletionItemKind.File }));
    case 'sha256': {
      const f = key.name === 'FullSetupSha256' ? state.loaded?.files.fullSetup : state.loaded?.files.patchFile;
      return f ? [{ label: f.sha256, kind: CompletionItemKind.Value, detail: `SHA-256 of ${f.relPath}` }] : [];
    }
    case 'list':
      return ['Chat', 'DSS', 'Chat, DSS'].map((label) => ({ label, kind: CompletionItemKind.Value }));
    default:
      return [];
  }
}

// -------------------------------------------------------------- Patchable

interface Known {
  version: Version;
  label: string;
}

// Sorted first and deduplicated by neighbour, labels made once: on the 1 MB
// file (40,000 bounds) a string key per version cost more than the sort.
// The list depends only on Patchable and the two file names: keep the last
// one across document versions, so typing elsewhere in a big file does not
// re-sort 40,000 versions per keystroke.
let lastKnown: { patchable: string; names: string; list: Known[] } | null = null;

function known(state: DocumentState): Known[] {
  const upgrade = state.analysis.config.upgrade;
  const patchable = state.analysis.entries.get('upgrade.patchable')?.value ?? '';
  const names = `${upgrade.fullSetup ?? ''}\0${upgrade.patchFile ?? ''}`;
  if (lastKnown && lastKnown.patchable === patchable && lastKnown.names === names) return lastKnown.list;
  const all: Version[] = [];
  for (const item of state.analysis.config.upgrade.patchable.items) {
    if (item.kind === 'exact' || item.kind === 'range') all.push(item.lo, item.hi);
  }
  for (const name of [state.analysis.config.upgrade.fullSetup, state.analysis.config.upgrade.patchFile]) {
    const m = name ? /(\d+(?:\.\d+){1,3})/.exec(name) : null;
    if (m) {
      const v = scanVersion(m[1], 0, m[1].length);
      if (typeof v !== 'string') all.push(v);
    }
  }
  all.sort((a, b) => compareVersions(b, a));
  const list: Known[] = [];
  for (const v of all) {
    if (list.length === 0 || compareVersions(list[list.length - 1].version, v) !== 0) list.push({ version: v, label: formatVersion(v) });
  }
  lastKnown = { patchable, names, list };
  return list;
}

/** A version to put in a snippet: the newest known one below CurrentVersion, else one made up below it. */
function snippetVersion(state: DocumentState, current: Version | null): string | null {
  const k = known(state).find((x) => !current || compareVersions(x.version, current) < 0);
  if (k) return k.label;
  if (!current) return '5.0';
  const [major] = current.parts;
  for (const candidate of [`${major}.0`, `${major - 1}.0`, '0.0']) {
    const v = scanVersion(candidate, 0, candidate.length);
    if (typeof v !== 'string' && compareVersions(v, current) < 0) return candidate;
  }
  return null; // CurrentVersion 0.0: nothing is below it.
}

/** The shortest wildcard over `lo` (two components or more) that stays below CurrentVersion. */
function snippetWildcard(lo: string, current: Version | null): string | null {
  const parts = lo.split('.');
  for (let n = 2; n <= Math.min(3, parts.length); n++) {
    const prefix = parts.slice(0, n);
    // a.b.* stays below CurrentVersion when a.b is below its first n components.
    const cur = current ? current.parts.slice(0, n) : null;
    let below = cur === null;
    if (cur) {
      for (let i = 0; i < n; i++) {
        const d = Number(prefix[i]) - cur[i];
        if (d !== 0) {
          below = d < 0;
          break;
        }
      }
    }
    if (below) return prefix.join('.');
  }
  return null;
}

const OPERATORS = ['>=', '<', '<=', '>', '='];

function patchableCompletion(state: DocumentState, offset: number, valueStart: number): CompletionList {
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
  const current = state.analysis.config.upgrade.currentVersion;
  const below = (v: Version, inclusive = false): boolean => !current || (inclusive ? compareVersions(v, current) <= 0 : compareVersions(v, current) < 0);
  const range = toRange(state.map, { start: tokenStart, end: offset });
  const items: CompletionItem[] = [];
  const versions = (filter: (v: Version) => boolean, detail: string, typed = ''): void => {
    for (const { version: v, label } of known(state)) {
      if (items.length >= MAX_ITEMS) break;
      if (typed && (!label.startsWith(typed) || label === typed)) continue;
      if (!filter(v)) continue;
      items.push({ label, kind: CompletionItemKind.Constant, detail, sortText: String(items.length).padStart(5, '0'), textEdit: { range, newText: label } });
    }
  };

  if (before.endsWith('-')) {
    // Upper bound of a range: above its lower bound, below CurrentVersion.
    const lo = scanVersion(before.slice(0, -1).trim(), 0, before.slice(0, -1).trim().length);
    versions((v) => below(v) && (typeof lo === 'string' || compareVersions(v, lo) >= 0), 'upper bound');
  } else if (/(>=|<=|>|<|=)$/.test(before)) {
    // `<CurrentVersion` is the one bound that may name it: it stays below.
    const op = /(>=|<=|>|<|=)$/.exec(before)![1];
    if (op === '<' && current) items.push({ label: formatVersion(current), kind: CompletionItemKind.Constant, detail: 'below CurrentVersion', sortText: '00000', textEdit: { range, newText: formatVersion(current) } });
    versions((v) => below(v), 'version below CurrentVersion');
  } else if (/^(>=|<=|>|<|=)/.test(prefix) && /[ \t]$/.test(prefix)) {
    // After a comparator and a blank: another comparator, usually the upper bound.
    for (const op of ['<', '<=']) items.push({ label: op, kind: CompletionItemKind.Operator, textEdit: { range: toRange(state.map, { start: offset, end: offset }), newText: op } });
  } else if (tokenStart === itemStart) {
    // A new item. Snippet defaults are themselves valid items below CurrentVersion.
    const whole = toRange(state.map, { start: itemStart, end: offset });
    const loText = snippetVersion(state, current);
    const snippets: [string, string, string][] = [];
    if (loText !== null && prefix.length === 0) {
      // Offered on an empty item only: once digits are typed, versions fit better.
      const wildcard = snippetWildcard(loText, current);
      snippets.push(['version', `\${1:${loText}}`, 'exact: that version only']);
      if (wildcard !== null) snippets.push(['wildcard', `\${1:${wildcard}}.*`, 'every version starting with those components']);
      snippets.push(['range', `\${1:${loText}} - \${2:${loText}}`, 'lo - hi, both inclusive']);
      snippets.push(['comparators', `>=\${1:${loText}} <\${2:${current ? formatVersion(current) : '5.10'}}`, 'every comparator holds; keep an upper bound below CurrentVersion']);
    }
    for (const [label, body, doc] of snippets) {
      items.push({ label, kind: CompletionItemKind.Snippet, detail: doc, insertTextFormat: InsertTextFormat.Snippet, sortText: `~${label}`, textEdit: { range: whole, newText: body } });
    }
    versions((v) => below(v), 'version below CurrentVersion', text.slice(tokenStart, offset));
    for (const op of OPERATORS) items.push({ label: op, kind: CompletionItemKind.Operator, sortText: `~~${op}`, textEdit: { range: whole, newText: op } });
  } else if (tokenStart === offset) {
    // A whole version and a blank: the item can only go on as a range.
    if (/^[0-9.]+[ \t]+$/.test(prefix)) items.push({ label: '-', kind: CompletionItemKind.Operator, detail: 'make it a range: lo - hi', textEdit: { range, newText: '- ' } });
  } else {
    versions((v) => below(v), 'version below CurrentVersion', text.slice(tokenStart, offset));
  }
  return { isIncomplete: items.length >= MAX_ITEMS, items };
}
