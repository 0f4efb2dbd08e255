// Shared helpers of the unit suite. Positions are computed here on purpose
// WITHOUT the model's LineMap: the expected line/column of a diagnostic must
// come from an independent oracle, or a LineMap bug would hide itself.
import { rmSync } from 'node:fs';
import { analyze, type Diagnostic } from '../../server/src/config';
import { tempDir as sharedTempDir } from '../tempDir';

export interface Where {
  code: string;
  severity: string;
  /** 1-based, as the CLI prints. */
  line: number;
  /** 1-based, UTF-16 code units. */
  col: number;
  endLine: number;
  /** 1-based, exclusive. */
  endCol: number;
  /** The text the diagnostic marks. */
  marked: string;
}

/** 1-based line/column of a UTF-16 offset; LF, CRLF and lone CR end lines. */
export function oraclePosition(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i];
    if (c === '\r') {
      if (text[i + 1] === '\n') {
        if (i + 1 >= offset) break; // offset between \r and \n: still on this line
        i++;
      }
      line++;
      start = i + 1;
    } else if (c === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, col: offset - start + 1 };
}

export function where(text: string, d: Diagnostic): Where {
  const s = oraclePosition(text, d.span.start);
  const e = oraclePosition(text, d.span.end);
  return {
    code: d.code,
    severity: d.severity,
    line: s.line,
    col: s.col,
    endLine: e.line,
    endCol: e.col,
    marked: text.slice(d.span.start, d.span.end),
  };
}

/** Every diagnostic of `text` (analyze: sections 1-4 without file checks). */
export function diags(text: string): Where[] {
  return analyze(text).diagnostics.map((d) => where(text, d));
}

/** The diagnostics of one code. */
export function diagsOf(text: string, code: string): Where[] {
  return diags(text).filter((d) => d.code === code);
}

export function codes(text: string): string[] {
  return analyze(text).diagnostics.map((d) => d.code);
}

export function errors(text: string): Where[] {
  return diags(text).filter((d) => d.severity === 'error');
}

/** A minimal valid [Upgrade] section; CurrentVersion 5.20.12. */
export const UPGRADE = '[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = Netphone_520.exe\n';

/** A valid config with a Patchable line whose value is `patchable`. */
export function withPatchable(patchable: string): string {
  return `${UPGRADE}PatchFile = NP_Update.exe\nPatchable = ${patchable}\n`;
}

/** Temp folder removed by the returned cleanup (call it in `after`/`finally`). */
export function tempDir(prefix = 'nsupgrade-unit-'): { dir: string; cleanup: () => void } {
  // Removed at exit too, should a test fail before its cleanup.
  const dir = sharedTempDir(prefix);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
