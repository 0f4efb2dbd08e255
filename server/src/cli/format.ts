// How diagnostics read on a terminal and in JSON (spec section 6). Text reads
// like a compiler's: `file:line:col severity message [code]`, then the line
// with the offending text marked. Colour only on a terminal.
import { LineMap, type Diagnostic, type Severity } from '../config';

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

const COLOURS: Record<Severity, string> = { error: '31', warning: '33', information: '36', hint: '90' };

export function formatDiagnosticsText(
  file: string,
  text: string,
  diagnostics: readonly Diagnostic[],
  options: { color: boolean },
): string {
  const map = new LineMap(text);
  const paint = (code: string, s: string): string => (options.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  for (const d of diagnostics) {
    const s = map.positionAt(d.span.start);
    const e = map.positionAt(d.span.end);
    lines.push(`${paint('1', `${file}:${s.line + 1}:${s.character + 1}`)} ${paint(COLOURS[d.severity], d.severity)} ${d.message} ${paint('2', `[${d.code}]`)}`);
    if (text.length > 0) {
      const content = text.slice(map.lineStart(s.line), map.lineEnd(s.line));
      const end = e.line === s.line ? e.character : content.length;
      const width = Math.max(1, end - s.character);
      const pad = content.slice(0, s.character).replace(/[^\t]/g, ' ');
      const gutter = String(s.line + 1);
      lines.push(`${' '.repeat(gutter.length)} |`);
      lines.push(`${gutter} | ${content}`);
      lines.push(`${' '.repeat(gutter.length)} | ${pad}${paint(COLOURS[d.severity], '^'.repeat(width))}`);
    }
    for (const r of d.related ?? []) {
      const p = map.positionAt(r.span.start);
      lines.push(`  ${paint('2', 'note:')} ${r.message} (${file}:${p.line + 1}:${p.character + 1})`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export function summarize(diagnostics: readonly Diagnostic[]): string {
  const count = (sev: Severity): number => diagnostics.filter((d) => d.severity === sev).length;
  const parts: string[] = [];
  const add = (n: number, word: string): void => {
    if (n > 0) parts.push(`${n} ${word}${n === 1 ? '' : 's'}`);
  };
  add(count('error'), 'error');
  add(count('warning'), 'warning');
  add(count('information'), 'note');
  add(count('hint'), 'hint');
  return parts.join(', ');
}
