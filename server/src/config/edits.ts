// Text edits the fixes are made of. Kept in one place so every fix removes a
// line or a list item the same way.
import type { EntryNode, IniDocument, LineNode, SectionNode, Span, TextEdit } from './types';

/** The line end the document uses (its first), for inserted lines. */
export function documentEol(doc: IniDocument): string {
  for (const line of doc.lines) if (line.eol) return line.eol;
  return '\n';
}

export function lineOfOffset(doc: IniDocument, offset: number): LineNode {
  const lines = doc.lines;
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid].span.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lines[lo];
}

/** Removes a whole line with its line end (or the line end before it, on the last line). */
export function removeLineEdit(doc: IniDocument, line: LineNode): TextEdit {
  if (line.eol) return { span: { start: line.span.start, end: line.span.end + line.eol.length }, newText: '' };
  const prev = doc.lines[line.line - 1];
  const start = prev ? prev.span.end : line.span.start;
  return { span: { start, end: line.span.end }, newText: '' };
}

/** Removes lines first..last (inclusive) with their line ends. */
export function removeLinesEdit(doc: IniDocument, first: LineNode, last: LineNode): TextEdit {
  const a = removeLineEdit(doc, first);
  const b = removeLineEdit(doc, last);
  return { span: { start: Math.min(a.span.start, b.span.start), end: Math.max(a.span.end, b.span.end) }, newText: '' };
}

/** Inserts `Key = Value` as a new line after the section's last entry (or its header). */
export function insertEntryEdit(doc: IniDocument, section: SectionNode, text: string): TextEdit {
  const last: EntryNode | undefined = section.entries[section.entries.length - 1];
  const anchor = lineOfOffset(doc, last ? last.span.start : section.headerSpan.start);
  const eol = documentEol(doc);
  return { span: { start: anchor.span.end, end: anchor.span.end }, newText: eol + text };
}

/** Appends lines at the end of the document. */
export function appendEdit(doc: IniDocument, lines: string[]): TextEdit {
  const eol = documentEol(doc);
  const end = doc.text.length;
  const lead = end === 0 ? '' : /[\r\n]$/.test(doc.text) ? eol : eol + eol;
  return { span: { start: end, end }, newText: lead + lines.join(eol) + eol };
}

/** Removes one item of a comma list, with the comma that joins it to its neighbour. */
export function removeListItemEdit(text: string, item: Span, value: Span): TextEdit {
  let end = item.end;
  while (end < value.end && (text[end] === ' ' || text[end] === '\t')) end++;
  if (end < value.end && text[end] === ',') {
    end++;
    while (end < value.end && (text[end] === ' ' || text[end] === '\t')) end++;
    return { span: { start: item.start, end }, newText: '' };
  }
  // The last item: take the comma before it instead.
  let start = item.start;
  while (start > value.start && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  if (start > value.start && text[start - 1] === ',') start--;
  return { span: { start, end: item.end }, newText: '' };
}
