// Formatting: canonical `Key = Value` and `[Section]`, known names in their
// documented case, Patchable items joined by ", ", comments and the blank-line
// structure kept, line ends as written. Idempotent, and it never changes
// meaning: lines with errors are left exactly as they are. Only lines that
// change get an edit, so the cursor and undo stay calm.
import type { TextEdit as LspTextEdit } from 'vscode-languageserver-types';
import { findKey, findSection, parseVersionSet, type EntryNode, type LineNode } from '../config';
import type { DocumentState } from './documentState';
import { toRange } from './positions';

const UNREADABLE = new Set<string>(['invalid-patchable-item', 'empty-patchable-item', 'trailing-comma']);

export function formatLines(state: DocumentState): { line: LineNode; text: string }[] {
  const text = state.text;
  // Lines that could not be read (the line or a Patchable item) are left as
  // written; a line that reads fine but is wrong elsewhere (Patchable without
  // PatchFile) is formatted like any other: formatting copies values as they are.
  const errorLines = new Set<number>();
  for (const d of state.analysis.doc.syntaxDiagnostics) errorLines.add(state.map.lineOf(d.span.start));
  for (const d of state.analysis.diagnostics) if (UNREADABLE.has(d.code)) errorLines.add(state.map.lineOf(d.span.start));
  const out: { line: LineNode; text: string }[] = [];
  for (const line of state.analysis.doc.lines) {
    const original = text.slice(line.span.start, line.span.end);
    if (errorLines.has(line.line)) {
      out.push({ line, text: original });
      continue;
    }
    out.push({ line, text: formatLine(state, line, original) });
  }
  return out;
}

function formatLine(state: DocumentState, line: LineNode, original: string): string {
  const text = state.text;
  switch (line.kind) {
    case 'blank':
      return '';
    case 'comment':
      return original.trim();
    case 'invalid':
      return original;
    case 'section': {
      const s = line.section;
      if (!s.wellFormed) return original;
      const name = findSection(s.name)?.name ?? s.name;
      const comment = s.commentSpan ? ` ${text.slice(s.commentSpan.start, s.commentSpan.end).trimEnd()}` : '';
      return `[${name}]${comment}`;
    }
    case 'entry': {
      const e = line.entry;
      if (!e.section || e.name.length === 0) return original;
      const key = findKey(e.section.name, e.name);
      const name = key?.name ?? e.name;
      const value = key?.type === 'versionSet' ? formatPatchable(e) : text.slice(e.rawValueSpan.start, e.rawValueSpan.end);
      const comment = e.commentSpan ? ` ${text.slice(e.commentSpan.start, e.commentSpan.end).trimEnd()}` : '';
      return value.length > 0 ? `${name} = ${value}${comment}` : `${name} =${comment}`;
    }
  }
}

function formatPatchable(e: EntryNode): string {
  if (e.quoted) return `"${e.value}"`;
  const parsed = parseVersionSet(e.value, 0);
  if (parsed.diagnostics.length > 0) return e.value;
  return parsed.set.items
    .map((item) => {
      if (item.kind === 'range') {
        const dash = item.text.indexOf('-');
        return `${item.text.slice(0, dash).trim()} - ${item.text.slice(dash + 1).trim()}`;
      }
      if (item.kind === 'comparators') return item.text.replace(/\s*(>=|<=|>|<|=)\s*/g, ' $1').trim();
      return item.text;
    })
    .join(', ');
}

export function formatting(state: DocumentState): LspTextEdit[] {
  const edits: LspTextEdit[] = [];
  for (const { line, text } of formatLines(state)) {
    if (text !== state.text.slice(line.span.start, line.span.end)) edits.push({ range: toRange(state.map, line.span), newText: text });
  }
  return edits;
}
