// The outline: sections with their keys. One pass over the sections the
// parser already found, so a 22,000-line file outlines in milliseconds.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import { clipText } from '../config';
import type { DocumentState } from './documentState';
import { toRange } from './positions';

const MAX_DETAIL = 60;

export function documentSymbols(state: DocumentState): DocumentSymbol[] {
  return state.analysis.doc.sections.map((s) => ({
    name: s.name || '(unnamed)',
    kind: SymbolKind.Namespace,
    range: toRange(state.map, s.span),
    selectionRange: toRange(state.map, s.nameSpan),
    children: s.entries
      .filter((e) => e.name.length > 0)
      .map((e) => ({
        name: e.name,
        detail: clipText(e.value, MAX_DETAIL),
        kind: SymbolKind.Property,
        range: toRange(state.map, e.span),
        selectionRange: toRange(state.map, e.keySpan),
      })),
  }));
}
