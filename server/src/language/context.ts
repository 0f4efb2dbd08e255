// Where the cursor is, in the terms of upgrade.ini: on a header, on a key,
// in a value (and which entry's), or inside a Patchable item. Hover and
// completion both start here.
import { lineOfOffset, type EntryNode, type LineNode, type SectionNode, type Span } from '../config';
import type { DocumentState } from './documentState';

export type CursorContext =
  | { kind: 'header'; line: LineNode; section: SectionNode | null }
  | { kind: 'key'; line: LineNode; section: SectionNode | null; entry: EntryNode | null; prefixStart: number }
  | { kind: 'value'; line: LineNode; section: SectionNode | null; entry: EntryNode }
  | { kind: 'comment' | 'none'; line: LineNode; section: SectionNode | null };

/** The section a line belongs to: the last header at or above it. */
export function sectionAt(state: DocumentState, offset: number): SectionNode | null {
  const sections = state.analysis.doc.sections;
  let lo = 0;
  let hi = sections.length - 1;
  let found: SectionNode | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sections[mid].headerSpan.start <= offset) {
      found = sections[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export function cursorContext(state: DocumentState, offset: number): CursorContext {
  const line = lineOfOffset(state.analysis.doc, offset);
  const text = state.text;
  if (line.kind === 'section') {
    const s = line.section;
    return offset <= s.headerSpan.end ? { kind: 'header', line, section: s } : { kind: 'comment', line, section: s };
  }
  const section = sectionAt(state, offset);
  if (line.kind === 'comment') return { kind: 'comment', line, section };
  if (line.kind === 'entry') {
    const e = line.entry;
    if (e.commentSpan && offset > e.commentSpan.start) return { kind: 'comment', line, section };
    const eq = text.indexOf('=', e.keySpan.end);
    if (offset <= eq) return { kind: 'key', line, section, entry: e, prefixStart: e.keySpan.start };
    return { kind: 'value', line, section, entry: e };
  }
  // Blank or invalid: a key being typed, or a header being typed.
  let start = line.span.start;
  while (start < offset && (text[start] === ' ' || text[start] === '\t')) start++;
  if (text[start] === '[') return { kind: 'header', line, section };
  return { kind: 'key', line, section, entry: null, prefixStart: start };
}

/** The list item (Patchable, ForcedHours, a name list) under the cursor, if any. */
export function itemAt<T extends { span: Span }>(items: readonly T[], offset: number): T | undefined {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const it = items[mid];
    if (offset < it.span.start) hi = mid - 1;
    else if (offset > it.span.end) lo = mid + 1;
    else return it;
  }
  return undefined;
}
