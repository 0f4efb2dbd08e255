// Text a peer controls (a client's version, name or error code) is shown in
// the readable log and in VS Code: a newline in it would forge a log line,
// an ANSI escape would reach the administrator's terminal, a bidirectional
// override would reorder what is read. Such characters are shown escaped.

// C0 and C1 controls, DEL, the line and paragraph separators, the bidi embeddings and isolates.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character written as an escape (`\n`, `\x1b`, `\u2028`). */
export function escapeControl(text: string): string {
  // The common case, a clean string, costs one test and no copy.
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text) ? text.replace(UNSAFE, escapeOne) : text;
}
