// Name lists of spec section 7 (`Pilot`, `Exclude`): items with `*` and `?`,
// matched against the whole client name without regard to case. The checks
// of one list (empty item, trailing comma, duplicate, redundant after an
// earlier wildcard) and of the two together (the same item in both).
import type { Diagnostic, EntryNode, IniDocument, NamePattern } from './types';
import { splitList } from './listItems';
import { removeListItemEdit } from './edits';

/** The items of a name list; reports the problems of this one list. */
export function readNameList(entry: EntryNode, doc: IniDocument, name: string, report: (d: Diagnostic) => void): NamePattern[] {
  const items = splitList(entry.value, entry.valueSpan.start, name, report);
  const kept: NamePattern[] = [];
  const first = new Map<string, NamePattern>();
  for (const item of items) {
    const key = item.text.toLowerCase();
    const earlier = first.get(key);
    const remove = { title: `Remove "${item.text}"`, edits: [removeListItemEdit(doc.text, item.span, entry.valueSpan)], preferred: true };
    if (earlier) {
      report({
        code: 'duplicate-name',
        severity: 'warning',
        span: item.span,
        message: `"${item.text}" is already in ${name}: remove the second one`,
        related: [{ span: earlier.span, message: `"${earlier.text}" is first listed here` }],
        fixes: [remove],
      });
    } else {
      const cover = kept.find((p) => hasWildcard(p.text) && patternCovers(p.text, item.text));
      if (cover) {
        report({
          code: 'redundant-name',
          severity: 'warning',
          span: item.span,
          message: `"${item.text}" adds nothing to ${name}: every name it matches is already matched by "${cover.text}" before it. Remove it`,
          related: [{ span: cover.span, message: `"${cover.text}" already matches it` }],
          fixes: [remove],
        });
      }
      first.set(key, item);
    }
    kept.push(item);
  }
  return kept;
}

/** The same item (without regard to case) in `Pilot` and `Exclude`: one error on the Pilot item, which could never take effect. */
export function checkBothLists(
  doc: IniDocument,
  pilot: { entry: EntryNode; items: readonly NamePattern[] },
  exclude: { entry: EntryNode; items: readonly NamePattern[] },
  report: (d: Diagnostic) => void,
): void {
  const excluded = new Map<string, NamePattern>();
  for (const item of exclude.items) if (!excluded.has(item.text.toLowerCase())) excluded.set(item.text.toLowerCase(), item);
  const seen = new Set<string>();
  for (const item of pilot.items) {
    const key = item.text.toLowerCase();
    const other = excluded.get(key);
    if (!other || seen.has(key)) continue;
    seen.add(key);
    report({
      code: 'name-in-both-lists',
      severity: 'error',
      span: item.span,
      message: `"${item.text}" is in both Pilot and Exclude: decide whether that desk is upgraded first or never, and remove it from the other list`,
      related: [{ span: other.span, message: `"${other.text}" is in Exclude here` }],
      fixes: [
        { title: `Remove "${item.text}" from Pilot`, edits: [removeListItemEdit(doc.text, item.span, pilot.entry.valueSpan)] },
        { title: `Remove "${other.text}" from Exclude`, edits: [removeListItemEdit(doc.text, other.span, exclude.entry.valueSpan)] },
      ],
    });
  }
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/**
 * Does pattern `p` match every name that pattern `q` matches? Symbol by symbol
 * (a `?` of p takes a character or a `?` of q, a `*` of p any run of q's
 * symbols), after writing every run of wildcards as its `?`s then one `*`.
 * Never says yes wrongly; it may miss a containment that only a cleverer
 * proof would find, which costs a warning, never a wrong one.
 */
export function patternCovers(p: string, q: string): boolean {
  // By code point: `?` is one character, as at login (rollout.ts).
  const a = Array.from(normalize(p.toLowerCase()));
  const b = Array.from(normalize(q.toLowerCase()));
  // next[j]: a[i+1..] covers b[j..]; row[j]: a[i..] covers b[j..]. Bottom-up, no recursion.
  let next: boolean[] = b.map(() => false).concat(true);
  for (let i = a.length - 1; i >= 0; i--) {
    const row: boolean[] = new Array<boolean>(b.length + 1).fill(false);
    for (let j = b.length; j >= 0; j--) {
      if (a[i] === '*') row[j] = next[j] || (j < b.length && row[j + 1]);
      else row[j] = j < b.length && b[j] !== '*' && (a[i] === '?' || a[i] === b[j]) && next[j + 1];
    }
    next = row;
  }
  return next[0];
}

/** Every run of `*` and `?` as its `?`s followed by at most one `*`. */
function normalize(p: string): string {
  return p.replace(/[*?]+/g, (run) => '?'.repeat(run.split('').filter((c) => c === '?').length) + (run.includes('*') ? '*' : ''));
}
