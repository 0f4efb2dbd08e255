// Requests are checked before a feature runs: an editor that leaves out a
// required parameter gets InvalidParams saying which, never an internal error
// from deep inside a feature (issue 10 item 15).
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import type { Position, Range } from 'vscode-languageserver-types';

function isUint(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0;
}

export function isPosition(p: unknown): p is Position {
  const q = p as Partial<Position> | null;
  return typeof q === 'object' && q !== null && isUint(q.line) && isUint(q.character);
}

export function isRange(r: unknown): r is Range {
  const q = r as Partial<Range> | null;
  return typeof q === 'object' && q !== null && isPosition(q.start) && isPosition(q.end);
}

function hasUri(p: unknown): boolean {
  const doc = (p as { textDocument?: { uri?: unknown } } | null)?.textDocument;
  return typeof doc?.uri === 'string';
}

/** What is missing from a request's parameters, or null when they are whole. */
export function missingParams(method: string, params: unknown, needs: { position?: boolean; range?: boolean }): ResponseError<void> | null {
  const problems: string[] = [];
  if (!hasUri(params)) problems.push('textDocument.uri (a string)');
  const p = params as { position?: unknown; range?: unknown } | null;
  if (needs.position && !isPosition(p?.position)) problems.push('position ({ line, character }, 0-based integers)');
  if (needs.range && !isRange(p?.range)) problems.push('range ({ start, end } positions)');
  return problems.length === 0 ? null : new ResponseError(ErrorCodes.InvalidParams, `${method} needs ${problems.join(' and ')}`);
}
