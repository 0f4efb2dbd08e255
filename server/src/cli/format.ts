// How diagnostics read on a terminal and in JSON (spec section 6). Text reads
// like a compiler's: `file:line:col severity message [code]`, then the line
// with the offending text marked. Colour only on a terminal.
//
// Text output stays linear in the size of the file: the quoted line is clipped
// to a window around the marked span (a 32 KB line is not reprinted for each of
// its 4,000 problems), and after MAX_SHOWN_PER_LINE problems on one line the
// rest are counted, not printed (JSON lists every one).
import { charLength, LineMap, type Diagnostic, type Severity } from '../config';

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

/** 1-based lines and columns (UTF-16 code units, like LSP), end exclusive. */
export function toJsonDiagnostics(file: string, text: string, diagnostics: readonly Diagnostic[], map = new LineMap(text)): JsonDiagnostic[] {
  return diagnostics.map((d) => {
    const s = map.positionAt(d.span.start);
    const e = map.positionAt(d.span.end);
    return {
      file,
      line: s.line + 1,
      column: s.character + 1,
      endLine: e.line + 1,
      endColumn: e.character + 1,
      severity: d.severity,
      code: d.code,
      message: d.message,
    };
  });
}

/**
 * A JSON array, one element a line: built from parts, so its size is bounded
 * by memory only (an array spread into push overflows the call stack past
 * about 125,000 elements).
 */
export function jsonArrayText(items: readonly unknown[]): string {
  if (items.length === 0) return '[]\n';
  const parts: string[] = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) parts[i] = JSON.stringify(items[i]);
  return `[\n  ${parts.join(',\n  ')}\n]\n`;
}

/**
 * The word for each severity in text. JSON keeps the spec's `information`;
 * text calls it a note, as compilers do, in the line and in the count alike.
 */
export const SEVERITY_WORD: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'hint' };

const COLOURS: Record<Severity, string> = { error: '31', warning: '33', information: '36', hint: '90' };

/** Code units of the source line shown around a span. */
export const QUOTE_WIDTH = 100;
/** Context kept before the span when the line is clipped. */
const QUOTE_BEFORE = 24;
/** Problems printed in full for one line; the rest are counted. */
export const MAX_SHOWN_PER_LINE = 10;

export function formatDiagnosticsText(
  file: string,
  text: string,
  diagnostics: readonly Diagnostic[],
  options: { color: boolean },
): string {
  const map = new LineMap(text);
  const paint = (code: string, s: string): string => (options.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  let i = 0;
  while (i < diagnostics.length) {
    // Diagnostics come sorted by start: those of one line are consecutive.
    const line = map.lineOf(diagnostics[i].span.start);
    let end = i;
    while (end < diagnostics.length && map.lineOf(diagnostics[end].span.start) === line) end++;
    const shown = Math.min(end, i + MAX_SHOWN_PER_LINE);
    for (let k = i; k < shown; k++) writeOne(diagnostics[k]);
    if (end > shown) {
      const byCode = new Map<string, number>();
      for (let k = shown; k < end; k++) byCode.set(diagnostics[k].code, (byCode.get(diagnostics[k].code) ?? 0) + 1);
      const codes = [...byCode].map(([code, n]) => `${code} ${n}`).join(', ');
      lines.push(`${paint('1', `${file}:${line + 1}`)}: ${end - shown} more on this line, not shown (${codes}); --format json lists every one`);
    }
    i = end;
  }
  return lines.length ? `${lines.join('\n')}\n` : '';

  function writeOne(d: Diagnostic): void {
    const s = map.positionAt(d.span.start);
    const e = map.positionAt(d.span.end);
    lines.push(`${paint('1', `${file}:${s.line + 1}:${s.character + 1}`)} ${paint(COLOURS[d.severity], SEVERITY_WORD[d.severity])} ${d.message} ${paint('2', `[${d.code}]`)}`);
    if (text.length > 0) {
      const content = text.slice(map.lineStart(s.line), map.lineEnd(s.line));
      const q = quoteAround(content, s.character, e.line === s.line ? e.character : content.length);
      const gutter = String(s.line + 1);
      lines.push(`${' '.repeat(gutter.length)} |`);
      lines.push(`${gutter} | ${q.text}`);
      lines.push(`${' '.repeat(gutter.length)} | ${q.pad}${paint(COLOURS[d.severity], '^'.repeat(q.width))}`);
    }
    for (const r of d.related ?? []) {
      const p = map.positionAt(r.span.start);
      lines.push(`  ${paint('2', 'see:')} ${r.message} (${file}:${p.line + 1}:${p.character + 1})`);
    }
  }
}

/**
 * The part of a source line to print and where to mark: the whole line when
 * it is short, else a QUOTE_WIDTH window that starts a little before the span
 * (never inside a character), with "..." where it was cut. Control characters
 * are shown as U+FFFD, one column each, so the marks stay aligned and the
 * terminal obeys nothing in the file.
 */
export function quoteAround(content: string, start: number, end: number): { text: string; pad: string; width: number } {
  let from = 0;
  let to = content.length;
  if (content.length > QUOTE_WIDTH) {
    from = Math.max(0, Math.min(start - QUOTE_BEFORE, content.length - QUOTE_WIDTH));
    to = Math.min(content.length, from + QUOTE_WIDTH);
    // Widened to whole characters: a pair cut at either end is kept whole.
    if (from > 0 && charLength(content, from - 1) === 2) from--;
    if (to < content.length && charLength(content, to - 1) === 2) to++;
  }
  const before = from > 0 ? '...' : '';
  const after = to < content.length ? '...' : '';
  const shown = content.slice(from, to).replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, '\uFFFD');
  const markStart = Math.max(start, from) - from;
  const markEnd = Math.min(Math.max(end, start + 1), to) - from;
  const pad = before.replace(/./g, ' ') + shown.slice(0, markStart).replace(/[^\t]/g, ' ');
  return { text: `${before}${shown}${after}`, pad, width: Math.max(1, markEnd - markStart) };
}

/** `8 errors, 4 warnings, 1 note`: counted with the words the lines use. */
export function summarize(diagnostics: readonly Diagnostic[]): string {
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  const parts: string[] = [];
  for (const sev of ['error', 'warning', 'information', 'hint'] as const) {
    const n = counts[sev];
    if (n > 0) parts.push(`${n} ${SEVERITY_WORD[sev]}${n === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}
