// Counts in words, for every view's text (the editor's trees and the language server's tables).

/** "1 item", "2 items", "1,000 desks". */
export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
