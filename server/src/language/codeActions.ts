// Quick fixes: the repairs the checks attached to each diagnostic, turned
// into workspace edits; and, for warnings and notes, the comments that
// silence them. Nothing here re-derives a problem.
import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic, type Range, type TextEdit as LspTextEdit } from 'vscode-languageserver-types';
import { documentEol, lineOfOffset, type Diagnostic, type TextEdit } from '../config';
import type { DocumentState } from './documentState';
import { modelDiagnostics, toLspDiagnostic } from './diagnostics';
import { overlaps, toRange, toSpan } from './positions';

function toLspEdits(state: DocumentState, edits: readonly TextEdit[]): LspTextEdit[] {
  return edits.map((e) => ({ range: toRange(state.map, e.span), newText: e.newText }));
}

export function codeActions(state: DocumentState, range: Range, only?: string[]): CodeAction[] {
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || k === CodeActionKind.Empty || CodeActionKind.QuickFix.startsWith(`${k}.`))) return [];
  const span = toSpan(state.map, range);
  const out: CodeAction[] = [];
  for (const d of modelDiagnostics(state)) {
    if (!overlaps(d.span, span)) continue;
    // Converted only when touched: a big file has thousands of diagnostics.
    const lsp = toLspDiagnostic(state, d);
    for (const fix of d.fixes ?? []) {
      out.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [lsp],
        isPreferred: fix.preferred === true,
        edit: { changes: { [state.uri]: toLspEdits(state, fix.edits) } },
      });
    }
    if (d.severity !== 'error') out.push(...silence(state, d, lsp));
  }
  return out;
}

function silence(state: DocumentState, d: Diagnostic, lsp: LspDiagnostic): CodeAction[] {
  const doc = state.analysis.doc;
  const line = lineOfOffset(doc, d.span.start);
  const text = state.text.slice(line.span.start, line.span.end);
  const indent = /^[ \t]*/.exec(text)?.[0] ?? '';
  const eol = documentEol(doc);
  return [
    {
      title: `Silence ${d.code} on this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [lsp],
      edit: { changes: { [state.uri]: toLspEdits(state, [{ span: { start: line.span.start, end: line.span.start }, newText: `${indent}; nsupgrade-disable-next-line ${d.code}${eol}` }]) } },
    },
    {
      title: `Silence ${d.code} in this file`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [lsp],
      edit: { changes: { [state.uri]: toLspEdits(state, [{ span: { start: 0, end: 0 }, newText: `; nsupgrade-disable ${d.code}${eol}` }]) } },
    },
  ];
}
