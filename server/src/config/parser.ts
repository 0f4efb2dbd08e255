// The lossless, error-tolerant reader of spec section 1. Every line becomes a
// node with exact spans; a bad line is kept (as 'invalid') and reported, and
// reading goes on. Hand-written scanning, no regular expressions per line: the
// 1 MB benchmark file must parse in a fraction of ini.parse's time.
import type {
  Diagnostic,
  EntryNode,
  IniDocument,
  LineNode,
  SectionNode,
  Span,
} from './types';
import { clipText } from './chars';

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const HASH = 35;
const SEMI = 59;
const OPEN = 91;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

export function parseDocument(text: string): IniDocument {
  return new Reader(text).read();
}

class Reader {
  private readonly lines: LineNode[] = [];
  private readonly sections: SectionNode[] = [];
  private readonly orphans: EntryNode[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private current: SectionNode | null = null;
  /** End of the last non-blank line, to close the current section's span. */
  private lastContentEnd = 0;

  constructor(private readonly text: string) {}

  read(): IniDocument {
    const text = this.text;
    const n = text.length;
    // Most files use one line end; indexOf is native and much faster than a
    // character loop, so only fall back to the loop when a CR is present.
    const hasCR = text.indexOf('\r') !== -1;
    let pos = 0;
    let line = 0;
    for (;;) {
      let end: number;
      if (hasCR) {
        end = pos;
        while (end < n) {
          const c = text.charCodeAt(end);
          if (c === LF || c === CR) break;
          end++;
        }
      } else {
        end = text.indexOf('\n', pos);
        if (end === -1) end = n;
      }
      let eol = '';
      if (end < n) eol = text.charCodeAt(end) === CR ? (text.charCodeAt(end + 1) === LF ? '\r\n' : '\r') : '\n';
      this.readLine(pos, end, eol, line);
      if (end >= n) break;
      pos = end + eol.length;
      line++;
    }
    this.closeSection();
    return {
      text,
      lines: this.lines,
      sections: this.sections,
      orphanEntries: this.orphans,
      syntaxDiagnostics: this.diagnostics,
    };
  }

  private error(code: Diagnostic['code'], span: Span, message: string): void {
    this.diagnostics.push({ code, severity: 'error', span, message });
  }

  private readLine(start: number, end: number, eol: string, line: number): void {
    const text = this.text;
    let i = start;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    const span = { start, end };
    if (i === end) {
      this.lines.push({ kind: 'blank', span, eol, line });
      return;
    }
    const c = text.charCodeAt(i);
    if (c === SEMI || c === HASH) {
      this.lines.push({ kind: 'comment', span, eol, line, text: text.slice(i + 1, end) });
    } else if (c === OPEN) {
      // Closes the previous section at its own last line, not at this header.
      this.readSection(i, span, eol, line);
    } else {
      this.readEntry(i, span, eol, line);
    }
    this.lastContentEnd = end;
  }

  private readSection(open: number, span: Span, eol: string, line: number): void {
    const text = this.text;
    const end = span.end;
    let close = text.indexOf(']', open + 1);
    if (close >= end) close = -1;
    const nameEnd = close === -1 ? end : close;
    const ns = skipBlanks(text, open + 1, nameEnd);
    const ne = trimEnd(text, ns, nameEnd);
    const name = text.slice(ns, ne);
    const headerSpan = { start: open, end: close === -1 ? end : close + 1 };
    let wellFormed = true;
    if (close === -1) {
      wellFormed = false;
      this.error('unclosed-section', headerSpan, `The section header "${clip(text.slice(open, end).trim())}" has no closing "]": write [${name || 'Name'}]`);
    } else if (name.length === 0) {
      wellFormed = false;
      this.error('empty-section-name', headerSpan, 'The section header "[]" has no name: write [Server], [Upgrade] or [Setup]');
    }
    const commentSpan =
      close === -1
        ? undefined
        : this.readTrailer(close + 1, end, 'invalid-line', (extra) => `Unexpected text "${extra}" after the section header: only a comment (; or #) may follow "]"`);
    this.closeSection();
    const section: SectionNode = {
      name,
      key: name.toLowerCase(),
      nameSpan: { start: ns, end: ne },
      headerSpan,
      span: { start: open, end },
      commentSpan,
      entries: [],
      wellFormed,
    };
    this.sections.push(section);
    this.current = section;
    this.lines.push({ kind: 'section', span, eol, line, section });
  }

  /** After `]` or a closing quote only blanks and a comment may follow: returns the comment, reports anything else. */
  private readTrailer(from: number, end: number, code: Diagnostic['code'], describe: (extra: string) => string): Span | undefined {
    const text = this.text;
    const j = skipBlanks(text, from, end);
    if (j >= end) return undefined;
    const c = text.charCodeAt(j);
    if (c === SEMI || c === HASH) return { start: j, end };
    const ge = trimEnd(text, j, end);
    this.error(code, { start: j, end: ge }, describe(clip(text.slice(j, ge))));
    return undefined;
  }

  private closeSection(): void {
    if (this.current) this.current.span.end = Math.max(this.current.span.end, this.lastContentEnd);
  }

  private readEntry(first: number, span: Span, eol: string, line: number): void {
    const text = this.text;
    const end = span.end;
    let eq = text.indexOf('=', first);
    if (eq >= end) eq = -1;
    if (eq === -1) {
      const ts = skipBlanks(text, first, end);
      const te = trimEnd(text, ts, end);
      this.lines.push({ kind: 'invalid', span, eol, line });
      this.error('invalid-line', { start: ts, end: te }, `"${clip(text.slice(ts, te))}" is not a setting: expected [Section] or Key = Value`);
      return;
    }
    const ks = skipBlanks(text, first, eq);
    const ke = trimEnd(text, ks, eq);
    const keySpan = { start: ks, end: ke };
    if (ks === ke) {
      this.error('empty-key', { start: first, end: eq + 1 }, 'This line has "=" but no key before it: write Key = Value');
    }
    // The value: quoted (to the next quote) or plain (to an inline comment).
    let vs = eq + 1;
    while (vs < end && isBlank(text.charCodeAt(vs))) vs++;
    let value: string;
    let valueSpan: Span;
    let rawValueSpan: Span;
    let commentSpan: Span | undefined;
    let quoted = false;
    if (vs < end && text.charCodeAt(vs) === QUOTE) {
      quoted = true;
      let close = text.indexOf('"', vs + 1);
      if (close >= end) close = -1;
      if (close === -1) {
        const te = trimEnd(text, vs, end);
        rawValueSpan = { start: vs, end: te };
        valueSpan = { start: vs + 1, end: te };
        value = text.slice(vs + 1, te);
        this.error('unclosed-quote', rawValueSpan, 'This value starts with " but has no closing ": add the closing quote');
      } else {
        rawValueSpan = { start: vs, end: close + 1 };
        valueSpan = { start: vs + 1, end: close };
        value = text.slice(vs + 1, close);
        commentSpan = this.readTrailer(close + 1, end, 'unclosed-quote', (extra) => `Unexpected text "${extra}" after the closing quote: a quoted value must end with "`);
      }
    } else {
      // An inline comment starts at ; or # that follows a blank (also the
      // blank after "=": `Key = ; note` has an empty value).
      let ce = end;
      for (let j = vs > eq + 1 ? vs : vs + 1; j < end; j++) {
        const c = text.charCodeAt(j);
        if ((c === SEMI || c === HASH) && isBlank(text.charCodeAt(j - 1))) {
          ce = j;
          commentSpan = { start: j, end };
          break;
        }
      }
      const ts = skipBlanks(text, vs, ce);
      const te = trimEnd(text, ts, ce);
      const at = ts === te ? Math.min(vs, ce) : ts;
      rawValueSpan = { start: at, end: ts === te ? at : te };
      valueSpan = rawValueSpan;
      value = text.slice(ts, te);
    }
    const name = text.slice(ks, ke);
    const entry: EntryNode = {
      name,
      key: name.toLowerCase(),
      keySpan,
      value,
      rawValueSpan,
      valueSpan,
      quoted,
      commentSpan,
      span,
      section: this.current,
    };
    if (this.current) this.current.entries.push(entry);
    else if (ks !== ke) {
      this.orphans.push(entry);
      this.error('entry-outside-section', { start: ks, end: rawValueSpan.end > ks ? rawValueSpan.end : ke }, `"${name}" comes before any [Section] header: move it under the section it belongs to`);
    } else this.orphans.push(entry);
    this.lines.push({ kind: 'entry', span, eol, line, entry });
  }
}

function skipBlanks(text: string, start: number, end: number): number {
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  return start;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  return end;
}

function clip(s: string): string {
  return clipText(s, 60);
}
