// The files a missing FullSetup or PatchFile probably meant (issue 11 item 9):
// `PatchFile = NP_Patch.exe` with `NP_Update.exe` in FileRoot. A candidate is
// close by name (edit distance, a common start, a shared word of the name) or
// of the same kind (a setup executable, .exe or .msi, when a setup is named);
// the close ones first, a few at most. Pure: the caller lists the folder.
import { editDistance } from './suggest';

/** What Net Phone's setups are: the kind a FullSetup or PatchFile names. */
const SETUP_KINDS = new Set(['.exe', '.msi']);
/** A few at most: a quick-fix menu, not a file browser. */
export const MAX_FILE_SUGGESTIONS = 3;
/** From here on a name is close enough to be the one meant. */
const CLOSE = 0.5;

interface NameParts {
  path: string;
  dir: string;
  /** The base name without its extension, lower case. */
  stem: string;
  /** The extension with its dot, lower case ('' when none). */
  ext: string;
}

function parts(path: string): NameParts {
  const normal = path.replace(/\\/g, '/');
  const slash = normal.lastIndexOf('/');
  const base = normal.slice(slash + 1);
  const dot = base.lastIndexOf('.');
  const cut = dot > 0 ? dot : base.length;
  return { path, dir: slash < 0 ? '' : normal.slice(0, slash).toLowerCase(), stem: base.slice(0, cut).toLowerCase(), ext: base.slice(cut).toLowerCase() };
}

/** The words of a name: runs of letters or of digits (`NP_Update520` -> np, update, 520). */
function words(stem: string): Set<string> {
  return new Set(stem.match(/[a-z]+|[0-9]+/g) ?? []);
}

/**
 * How alike two names (lower-case stems) are, 0 to 1: the best of the edit
 * distance against the longer name, the start they share (2 characters at
 * least) and the words they share. `np_patch` and `np_update` share the word
 * `np` and are 4 edits apart in 9 characters: 0.56.
 */
export function nameSimilarity(a: string, b: string): number {
  if (a.length === 0 || b.length === 0) return 0;
  const byEdits = 1 - editDistance(a, b) / Math.max(a.length, b.length);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  const byStart = common >= 2 ? common / Math.min(a.length, b.length) : 0;
  const wa = words(a);
  const wb = words(b);
  let shared = 0;
  for (const w of wb) if (w.length >= 2 && wa.has(w)) shared++;
  const byWords = wa.size && wb.size ? shared / Math.min(wa.size, wb.size) : 0;
  // A common start or shared words count a little less than the same letters.
  return Math.max(byEdits, 0.8 * byStart, 0.8 * byWords);
}

export interface FileSuggestion {
  /** The candidate as listed (relative to FileRoot, `/` separated). */
  path: string;
  similarity: number;
  /** Close enough by name to be the one meant (not only of the same kind). */
  close: boolean;
}

/**
 * The files of `files` (paths relative to FileRoot) that `wanted` probably
 * meant, best first, at most `limit`. `exclude`: files named elsewhere (the
 * other setup key's file: offering the full setup as the patch is no repair).
 */
export function closeFiles(wanted: string, files: readonly string[], options: { exclude?: readonly string[]; limit?: number } = {}): FileSuggestion[] {
  const w = parts(wanted);
  const excluded = new Set((options.exclude ?? []).map((p) => p.replace(/\\/g, '/').toLowerCase()));
  const setupWanted = SETUP_KINDS.has(w.ext) || w.ext === '';
  const ranked: (FileSuggestion & { score: number; sameDir: boolean })[] = [];
  for (const file of files) {
    const c = parts(file);
    if (file === wanted.replace(/\\/g, '/') || excluded.has(file.replace(/\\/g, '/').toLowerCase())) continue;
    const sameKind = c.ext === w.ext || (setupWanted && SETUP_KINDS.has(c.ext));
    const similarity = nameSimilarity(w.stem, c.stem);
    const close = similarity >= CLOSE;
    // A setup is named: only setups (a close-by-name readme is no setup). Anything else: close by name.
    if (setupWanted ? !sameKind : !close) continue;
    ranked.push({ path: file, similarity, close, score: similarity + (c.ext === w.ext ? 0.05 : 0), sameDir: c.dir === w.dir });
  }
  // Ties: the same folder first; then the higher number (setups are named by version, and the newest is likelier meant).
  ranked.sort((a, b) => Number(b.close) - Number(a.close) || b.score - a.score || Number(b.sameDir) - Number(a.sameDir) || b.path.localeCompare(a.path, 'en', { numeric: true }));
  return ranked.slice(0, options.limit ?? MAX_FILE_SUGGESTIONS).map(({ path, similarity, close }) => ({ path, similarity, close }));
}
