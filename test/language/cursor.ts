// Shared by the language unit tests: a document state from a test text whose
// cursor is marked `|`, and LSP edits applied through the same LineMap the
// server uses (so a wrong UTF-16 or CRLF conversion shows up as a wrong text).
import assert from 'node:assert/strict';
import type { TextEdit } from 'vscode-languageserver-types';
import { LineMap } from '../../server/src/config';
import { createState, type DocumentState } from '../../server/src/language/documentState';

export function at(textWithCursor: string, uri = 'untitled:test'): { state: DocumentState; offset: number } {
  const offset = textWithCursor.indexOf('|');
  assert.ok(offset >= 0, 'the test text marks the cursor with |');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  return { state: createState(uri, 1, text), offset };
}

/** Applies LSP edits (ranges in UTF-16 line/character) to a text, last first. */
export function applyLspEdits(text: string, edits: readonly TextEdit[]): string {
  const map = new LineMap(text);
  const spans = edits.map((e) => ({ start: map.offsetAt(e.range.start), end: map.offsetAt(e.range.end), newText: e.newText }));
  spans.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return out;
}

/** The document with `\n` line ends turned into `\r\n`. */
export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}
