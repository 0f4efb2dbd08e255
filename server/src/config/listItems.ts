// Comma lists of section 7 (`Pilot`, `Exclude`, `ForcedHours`): items with
// their exact spans, and the two list errors they share (an empty item between
// commas, a trailing comma). Patchable has its own scanner (versionSet.ts),
// tuned for 20,000 items.
import type { Diagnostic, Span } from './types';

export interface ListItem {
  /** Trimmed. */
  text: string;
  span: Span;
}

/** The items of `text` (a value starting at document offset `base`); reports empty items and a trailing comma for key `name`. */
export function splitList(text: string, base: number, name: string, report: (d: Diagnostic) => void): ListItem[] {
  const items: ListItem[] = [];
  if (text.trim().length === 0) return items;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text[i] !== ',') continue;
    let s = start;
    let e = i;
    while (s < e && isBlank(text[s])) s++;
    while (e > s && isBlank(text[e - 1])) e--;
    if (s < e) items.push({ text: text.slice(s, e), span: { start: base + s, end: base + e } });
    else if (i === text.length) {
      const comma = { start: base + start - 1, end: base + start };
      report({
        code: 'trailing-comma',
        severity: 'error',
        span: comma,
        message: `${name} ends with a comma: remove it, or add the item that should follow`,
        fixes: [{ title: 'Remove the trailing comma', edits: [{ span: comma, newText: '' }], preferred: true }],
      });
    } else {
      const comma = { start: base + i, end: base + i + 1 };
      report({
        code: 'empty-list-item',
        severity: 'error',
        span: comma,
        message: `${name} has an empty item between two commas: remove the extra comma`,
        fixes: [{ title: 'Remove the extra comma', edits: [{ span: comma, newText: '' }], preferred: true }],
      });
    }
    start = i + 1;
  }
  return items;
}

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t';
}
