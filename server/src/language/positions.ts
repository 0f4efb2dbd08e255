// Spans (offsets) to LSP ranges and back, through the model's one LineMap.
import type { Range } from 'vscode-languageserver-types';
import { LineMap, type Span } from '../config';

export function toRange(map: LineMap, span: Span): Range {
  return { start: map.positionAt(span.start), end: map.positionAt(span.end) };
}

export function toSpan(map: LineMap, range: Range): Span {
  return { start: map.offsetAt(range.start), end: map.offsetAt(range.end) };
}

export function overlaps(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}
