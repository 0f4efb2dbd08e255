// `; nsupgrade-disable-next-line CODE[, CODE]` and `; nsupgrade-disable CODE`:
// warnings and information can be silenced, errors never (the server would
// not run with them).
import type { Diagnostic, IniDocument } from './types';
import { lineOfOffset } from './edits';

export interface Suppressions {
  file: Set<string>;
  /** 0-based line number -> codes silenced on it. */
  lines: Map<number, Set<string>>;
}

const PATTERN = /^\s*nsupgrade-disable(-next-line)?\s+([A-Za-z0-9_,\s-]+?)\s*$/;

export function readSuppressions(doc: IniDocument): Suppressions {
  const result: Suppressions = { file: new Set(), lines: new Map() };
  for (const line of doc.lines) {
    if (line.kind !== 'comment' || !line.text.includes('nsupgrade-disable')) continue;
    const m = PATTERN.exec(line.text);
    if (!m) continue;
    const codes = m[2].split(/[\s,]+/).filter(Boolean);
    if (m[1]) {
      const set = result.lines.get(line.line + 1) ?? new Set<string>();
      for (const c of codes) set.add(c);
      result.lines.set(line.line + 1, set);
    } else for (const c of codes) result.file.add(c);
  }
  return result;
}

export function applySuppressions(doc: IniDocument, diagnostics: Diagnostic[], suppressions = readSuppressions(doc)): Diagnostic[] {
  if (suppressions.file.size === 0 && suppressions.lines.size === 0) return diagnostics;
  return diagnostics.filter((d) => {
    if (d.severity === 'error') return true;
    if (suppressions.file.has(d.code)) return false;
    if (suppressions.lines.size === 0 || doc.lines.length === 0) return true;
    const line = lineOfOffset(doc, d.span.start).line;
    return !suppressions.lines.get(line)?.has(d.code);
  });
}
