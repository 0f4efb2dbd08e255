// "Did you mean": the closest candidate by edit distance (with transpositions,
// the commonest typo), close enough to be a typo rather than another word.

// The candidates in lower case, once per list: thousands of names are checked against the same list.
const lowered = new WeakMap<readonly string[], { lower: string[]; longest: number }>();

export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  if (w.length === 0) return undefined;
  let list = lowered.get(candidates);
  if (!list) {
    list = { lower: candidates.map((c) => c.toLowerCase()), longest: Math.max(0, ...candidates.map((c) => c.length)) };
    lowered.set(candidates, list);
  }
  const { lower } = list;
  // No answer is further than this: a candidate beyond it is never the one returned.
  const cap = Math.max(1, Math.floor(Math.max(w.length, list.longest) / 3)) + 1;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (let i = 0; i < candidates.length; i++) {
    const d = distance(w, lower[i], Math.min(bestDistance, cap));
    if (d < bestDistance) {
      bestDistance = d;
      best = candidates[i];
    }
  }
  const limit = Math.max(1, Math.floor(Math.max(w.length, best?.length ?? 0) / 3));
  return bestDistance <= limit ? best : undefined;
}

let table = new Int32Array(256);

/** The optimal string alignment distance of two strings, in full (no cut-off): how far apart two file names are. */
export function editDistance(a: string, b: string): number {
  return distance(a, b, Infinity, true);
}

/**
 * Optimal string alignment distance, or some value >= `cutoff` once it is
 * sure to reach it; not `exact`: a length gap over 3 is returned as is (too
 * far for a "did you mean" anyway).
 */
function distance(a: string, b: string, cutoff = Infinity, exact = false): number {
  if (a === b) return 0;
  const gap = Math.abs(a.length - b.length);
  if ((!exact && gap > 3) || gap >= cutoff) return gap;
  const rows = a.length + 1;
  const cols = b.length + 1;
  // One table reused across calls: thousands of unknown names are checked per file.
  if (table.length < rows * cols) table = new Int32Array(rows * cols * 2);
  const d = table;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  let previousMin = 0;
  for (let i = 1; i < rows; i++) {
    let rowMin = d[i * cols];
    for (let j = 1; j < cols; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, d[(i - 2) * cols + j - 2] + 1);
      d[i * cols + j] = v;
      if (v < rowMin) rowMin = v;
    }
    // A row only goes below the one before through a transposition from the
    // row before that: two rows at or above the cutoff settle it.
    if (rowMin >= cutoff && previousMin >= cutoff) return rowMin;
    previousMin = rowMin;
  }
  return d[rows * cols - 1];
}
