// Message text never splits a character. A JS string counts UTF-16 code
// units, so a cut or a quoted "character" at an arbitrary index can leave half
// of a surrogate pair (an emoji, any character outside the BMP); JSON readers
// such as Neovim's reject a message holding one, and with it the whole reply.

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** The code units the character starting at `i` takes: 2 for a surrogate pair, else 1. */
export function charLength(text: string, i: number): number {
  return isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1)) ? 2 : 1;
}

/** The whole character at `i` (both halves of a pair); a lone half as U+FFFD. */
export function charAt(text: string, i: number): string {
  const n = charLength(text, i);
  if (n === 2) return text.slice(i, i + 2);
  const c = text.charCodeAt(i);
  return isHigh(c) || isLow(c) ? '\uFFFD' : text.charAt(i);
}

/** `s` cut to at most `max` code units, "..." included, never inside a pair. */
export function clipText(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = Math.max(0, max - 3);
  if (cut > 0 && isHigh(s.charCodeAt(cut - 1)) && isLow(s.charCodeAt(cut))) cut--;
  return `${s.slice(0, cut)}...`;
}

/** Does `s` hold half of a surrogate pair on its own? */
export function hasLoneSurrogate(s: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

/**
 * Text that a file or a peer controls, fit to quote in a message: at most
 * `max` code units (never half a character), then every control character
 * (a terminal obeys ANSI escapes; a newline would forge a line) and every lone
 * surrogate written as a \uXXXX escape.
 */
export function printable(s: string, max = 60): string {
  return clipText(s, max).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
