// "Did you mean": the closest candidate by optimal string alignment distance,
// within a third of the length. The fast version (candidates lowered once,
// a row-minimum cutoff) answers as the plain definition does (property).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { suggest } from '../../server/src/config';

/** The textbook OSA distance, no shortcuts. */
function osa(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

function reference(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  if (w.length === 0) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    // The plain definition, with the one shortcut the model has always had: far apart in length is that far apart.
    const dist = Math.abs(w.length - lc.length) > 3 ? Math.abs(w.length - lc.length) : osa(w, lc);
    if (dist < bestDistance) {
      bestDistance = dist;
      best = c;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(Math.max(w.length, best?.length ?? 0) / 3)) ? best : undefined;
}

test('suggest answers as the plain definition does (property)', () => {
  const word = fc.string({ unit: fc.constantFrom('s', 'e', 't', 'u', 'p', 'r', 'v', 'o', 'l', 'a', 'd', 'g', 'S', 'U'), maxLength: 10 });
  const lists = fc.constantFrom(['Server', 'Upgrade', 'Setup', 'Rollout'], ['Port', 'Bind', 'FileRoot', 'MaxTransfers', 'IdleTimeout'], ['Mon', 'Tue', 'Wed'], ['Yes', 'No', 'True', 'False', 'On', 'Off', '1', '0']);
  fc.assert(fc.property(word, lists, (w, list) => assert.equal(suggest(w, list), reference(w, list), `${w} among ${list.join(',')}`)), { numRuns: 3000 });
  assert.equal(suggest('Stup', ['Server', 'Upgrade', 'Setup', 'Rollout']), 'Setup');
  assert.equal(suggest('Site123', ['Server', 'Upgrade', 'Setup', 'Rollout']), undefined);
});
