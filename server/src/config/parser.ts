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
import { lineOfOffset } from './edits';

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

/**
 * What changed between two versions of a text: text[0, start) is the same in
 * both, and so is what follows `oldEnd` in the old text and `newEnd` in the
 * new one (an editor's edit, or several merged).
 */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/**
 * Reads the whole text, or, given the previous document and what changed
 * since, only the lines the change touched (the file is line-oriented).
 * Incremental reading takes over the previous document: the line nodes
 * before the change are kept as they are, those after it are kept and moved
 * in place (as tree-sitter's tree.edit does), so `previous.doc` must not be
 * used afterwards. The result is always what a full read of `text` gives
 * (a property test checks it); a change to a section header reads it all.
 */
export function parseDocument(text: string, previous?: { doc: IniDocument; change: TextChange }): IniDocument {
  if (previous) {
    const doc = reparse(previous.doc, text, previous.change);
    if (doc) return doc;
  }
  return new Reader(text).read();
}

class Reader {
  readonly lines: LineNode[] = [];
  readonly sections: SectionNode[] = [];
  readonly orphans: EntryNode[] = [];
  readonly diagnostics: Diagnostic[] = [];
  current: SectionNode | null = null;
  /** End of the last non-blank line, to close the current section's span. */
  private lastContentEnd = 0;
  /** The next `;` and `#` found, and from where: native searches, each part of the text searched once. */
  private readonly found = { ';': { from: 0, at: -1 }, '#': { from: 0, at: -1 } };

  constructor(private readonly text: string) {}

  read(): IniDocument {
    const text = this.text;
    this.readLines(0, -1, 0, text.indexOf('\r') !== -1);
    this.closeSection();
    return {
      text,
      lines: this.lines,
      sections: this.sections,
      orphanEntries: this.orphans,
      syntaxDiagnostics: this.diagnostics,
    };
  }

  /**
   * Reads the lines from `pos` (a line start) until the line whose end of
   * line reaches `stop` (-1: to the end of the text); returns where it stopped.
   */
  readLines(pos: number, stop: number, line: number, hasCR: boolean): number {
    const text = this.text;
    const n = text.length;
    for (;;) {
      let end: number;
      // Most files use one line end; indexOf is native and much faster than a
      // character loop, so only fall back to the loop when a CR is present.
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
      if (end >= n) return n;
      pos = end + eol.length;
      line++;
      if (stop !== -1 && pos >= stop) return pos;
    }
  }

  /** The first `ch` at or after `from` (the text's length when there is none). */
  private next(ch: ';' | '#', from: number): number {
    const f = this.found[ch];
    if (f.at < from || f.from > from) {
      const at = this.text.indexOf(ch, from);
      f.from = from;
      f.at = at === -1 ? this.text.length : at;
    }
    return f.at;
  }

  private error(code: Diagnostic['code'], span: Span, message: string): void {
    // A span of its own: node spans move in place when a later edit is read incrementally.
    this.diagnostics.push({ code, severity: 'error', span: { start: span.start, end: span.end }, message });
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
      for (let j = vs > eq + 1 ? vs : vs + 1; j < end; ) {
        const c = Math.min(this.next(';', j), this.next('#', j));
        if (c >= end) break;
        if (isBlank(text.charCodeAt(c - 1))) {
          ce = c;
          commentSpan = { start: c, end };
          break;
        }
        j = c + 1;
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

// ------------------------------------------------------------ incremental

/** `list` with [from, to) replaced by `items`: in place (the list is taken over) unless the replacement is big. */
function replaceRange<T>(list: T[], from: number, to: number, items: T[]): T[] {
  if (items.length > 1000) return list.slice(0, from).concat(items, list.slice(to));
  list.splice(from, to - from, ...items);
  return list;
}

function shiftSpan(span: Span, delta: number): void {
  span.start += delta;
  span.end += delta;
}

/** Moves a line node (and the nodes it holds) by `delta` code units and `lines` lines. */
function shiftLine(node: LineNode, delta: number, lines: number): void {
  shiftSpan(node.span, delta);
  node.line += lines;
  if (node.kind === 'entry') {
    const e = node.entry;
    // e.span is node.span; an unquoted value's valueSpan is its rawValueSpan.
    shiftSpan(e.keySpan, delta);
    shiftSpan(e.rawValueSpan, delta);
    if (e.valueSpan !== e.rawValueSpan) shiftSpan(e.valueSpan, delta);
    if (e.commentSpan) shiftSpan(e.commentSpan, delta);
  } else if (node.kind === 'section') {
    const s = node.section;
    shiftSpan(s.nameSpan, delta);
    shiftSpan(s.headerSpan, delta);
    shiftSpan(s.span, delta);
    if (s.commentSpan) shiftSpan(s.commentSpan, delta);
  }
}

/** The first index in `list` (ordered by position) whose position is at or after `offset`. */
function firstAtOrAfter<T>(list: readonly T[], offset: number, at: (t: T) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(list[mid]) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Reads again the lines `change` touched and takes the others over from
 * `doc`; null when the change touches a section header (the caller then
 * reads the whole text).
 */
function reparse(doc: IniDocument, text: string, change: TextChange): IniDocument | null {
  const old = doc.lines;
  const delta = change.newEnd - change.oldEnd;
  const sane =
    old.length > 0 &&
    change.start >= 0 &&
    change.start <= change.oldEnd &&
    change.start <= change.newEnd &&
    change.oldEnd <= doc.text.length &&
    doc.text.length - change.oldEnd === text.length - change.newEnd;
  if (!sane) return null;
  // From the line holding the character before the change (a CR there may
  // become half of a CRLF) to the line holding the end of what was replaced.
  // A line node's `line` is its index in doc.lines.
  const a = lineOfOffset(doc, Math.max(0, change.start - 1)).line;
  const b = lineOfOffset(doc, change.oldEnd).line;
  for (let i = a; i <= b; i++) if (old[i].kind === 'section') return null;
  const from = old[a].span.start;
  const stop = b + 1 < old.length ? old[b + 1].span.start + delta : -1;

  // The section the touched lines belong to (null: before any header).
  let section: SectionNode | null = null;
  for (let i = a - 1; i >= 0; i--) {
    const l = old[i];
    if (l.kind === 'section') {
      section = l.section;
      break;
    }
  }
  const reader = new Reader(text);
  const standIn: SectionNode | null = section ? { ...section, entries: [] } : null;
  reader.current = standIn;
  const region = stop === -1 ? text.slice(from) : text.slice(from, stop);
  const end = reader.readLines(from, stop, old[a].line, region.indexOf('\r') !== -1);
  if (reader.sections.length > 0 || end !== (stop === -1 ? text.length : stop)) return null;

  // What the old lines held, found by their old offsets before anything moves.
  const oldEnd = old[b].span.end + 1;
  const list = section ? section.entries : doc.orphanEntries;
  const e0 = firstAtOrAfter(list, from, (e) => e.span.start);
  const e1 = firstAtOrAfter(list, oldEnd, (e) => e.span.start);
  const diags = doc.syntaxDiagnostics;
  const d0 = firstAtOrAfter(diags, from, (d) => d.span.start);
  const d1 = firstAtOrAfter(diags, oldEnd, (d) => d.span.start);

  // Lines: before, read again, after (moved in place).
  const lineDelta = reader.lines.length - (b - a + 1);
  for (let i = b + 1; i < old.length; i++) shiftLine(old[i], delta, lineDelta);
  for (let i = d1; i < diags.length; i++) shiftSpan(diags[i].span, delta);
  const lines = replaceRange(old, a, b + 1, reader.lines);
  const syntaxDiagnostics = replaceRange(diags, d0, d1, reader.diagnostics);

  // The section's entries (or the orphans): those of the old lines out, the new ones in.
  const fresh = standIn ? standIn.entries : reader.orphans;
  for (const e of fresh) e.section = section;
  const entries = replaceRange(list, e0, e1, fresh);
  if (section) {
    section.entries = entries;
    // It ends at its last line that is not blank.
    let next = a + reader.lines.length;
    while (next < lines.length && lines[next].kind !== 'section') next++;
    let k = next - 1;
    while (k > 0 && lines[k].kind === 'blank') k--;
    section.span.end = Math.max(section.headerSpan.end, lines[k].span.end);
  }

  return {
    text,
    lines,
    sections: doc.sections,
    orphanEntries: section ? doc.orphanEntries : entries,
    syntaxDiagnostics,
  };
}
