// Update File Hashes: the hash fixes the file checks carry (hash-mismatch,
// missing-sha256), as one list of edits, with the keys they write so the
// editor can say which (issue 11 item 8).
import type { Analysis, Diagnostic, LineMap } from '../config';
import type { FileHashEditsResult } from '../views/messages';
import { toRange } from './positions';

const SETUP_KEYS = ['FullSetup', 'PatchFile'] as const;

/** The …Sha256 key a hash diagnostic is about: it lies on that key's line or on its file's. */
function keyOf(analysis: Analysis, d: Diagnostic): string | null {
  for (const key of SETUP_KEYS) {
    for (const name of [key, `${key}Sha256`]) {
      const e = analysis.entries.get(`upgrade.${name.toLowerCase()}`);
      if (e && d.span.start >= e.span.start && d.span.start <= e.span.end) return `${key}Sha256`;
    }
  }
  return null;
}

export function hashEdits(map: LineMap, analysis: Analysis, diagnostics: readonly Diagnostic[]): FileHashEditsResult {
  const edits: FileHashEditsResult['edits'] = [];
  const keys: string[] = [];
  for (const d of diagnostics) {
    if (d.code !== 'hash-mismatch' && d.code !== 'missing-sha256') continue;
    const fix = d.fixes?.[0];
    if (!fix) continue;
    for (const e of fix.edits) edits.push({ range: toRange(map, e.span), newText: e.newText });
    const key = keyOf(analysis, d);
    if (key && !keys.includes(key)) keys.push(key);
  }
  return { edits, keys };
}
