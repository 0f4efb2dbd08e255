// Folding by section: from the header to the section's last non-blank line.
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { DocumentState } from './documentState';

export function foldingRanges(state: DocumentState): FoldingRange[] {
  const out: FoldingRange[] = [];
  for (const s of state.analysis.doc.sections) {
    const start = state.map.lineOf(s.span.start);
    const end = state.map.lineOf(s.span.end);
    if (end > start) out.push({ startLine: start, endLine: end });
  }
  // Runs of three or more comment lines fold too (long explanations).
  let first = -1;
  const lines = state.analysis.doc.lines;
  for (let i = 0; i <= lines.length; i++) {
    const isComment = i < lines.length && lines[i].kind === 'comment';
    if (isComment && first === -1) first = i;
    if (!isComment && first !== -1) {
      if (i - 1 - first >= 2) out.push({ startLine: first, endLine: i - 1, kind: FoldingRangeKind.Comment });
      first = -1;
    }
  }
  return out;
}
