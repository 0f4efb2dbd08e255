// One parse per document version (json-language-features' languageModelCache
// habit): every feature asks for the state of the version it is called on and
// never re-parses an unchanged document. A new version is checked
// incrementally from the last state built: the editor's edits since are
// noted as they arrive, and only the lines they touched are read again
// (config/parser.ts). That takes over the last state's analysis, so a state
// is good only while it is the current one: features run on it at once and
// ask again after anything asynchronous.
import { analyze, LineMap, type Analysis, type LoadedConfig, type TextChange } from '../config';

export interface DocumentState {
  uri: string;
  version: number;
  text: string;
  map: LineMap;
  analysis: Analysis;
  /** With the file checks, for documents on disk (null for untitled ones). */
  loaded: LoadedConfig | null;
}

export function createState(uri: string, version: number, text: string, loaded: LoadedConfig | null = null, previous?: { analysis: Analysis; change: TextChange }): DocumentState {
  const analysis = loaded ? loaded.analysis : analyze(text, previous);
  // The parser's lines are the LineMap's: no second pass over a big text.
  const starts = analysis.doc.lines.map((l) => l.span.start);
  return { uri, version, text, map: new LineMap(text, starts), analysis, loaded };
}

/** Where `before` and `after` differ: the common start and end left out. */
export function changeBetween(before: string, after: string): TextChange {
  const n = Math.min(before.length, after.length);
  let start = 0;
  while (start < n && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < n - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { start, oldEnd: before.length - tail, newEnd: after.length - tail };
}

export class DocumentStates {
  private readonly states = new Map<string, DocumentState>();
  /** Per document, how much of the last state's text is known the same since, from each end. */
  private readonly same = new Map<string, { start: number; end: number }>();

  /** The state for exactly this version of the text, reusing the cached one when nothing changed. */
  get(uri: string, version: number, text: string): DocumentState {
    const cached = this.states.get(uri);
    if (cached && cached.version === version && cached.text.length === text.length) return cached;
    const same = this.same.get(uri);
    this.same.delete(uri);
    let previous: { analysis: Analysis; change: TextChange } | undefined;
    if (cached && same) {
      const start = Math.min(same.start, cached.text.length, text.length);
      const end = Math.min(same.end, cached.text.length - start, text.length - start);
      previous = { analysis: cached.analysis, change: { start, oldEnd: cached.text.length - end, newEnd: text.length - end } };
    }
    const state = createState(uri, version, text, null, previous);
    this.states.set(uri, state);
    return state;
  }

  /**
   * An edit of the document's current text (`length` long): `[start, end)`
   * replaced. Called for each change as it arrives, before the next state is built.
   */
  edited(uri: string, start: number, end: number, length: number): void {
    const cached = this.states.get(uri);
    if (!cached) return;
    const same = this.same.get(uri) ?? { start: cached.text.length, end: cached.text.length };
    same.start = Math.min(same.start, start);
    same.end = Math.min(same.end, length - end);
    this.same.set(uri, same);
  }

  /** Stores the result of the (async) file checks, unless the document moved on meanwhile. */
  setLoaded(uri: string, version: number, loaded: LoadedConfig): DocumentState | null {
    const cached = this.states.get(uri);
    if (!cached || cached.version !== version || cached.text !== loaded.text) return null;
    const state: DocumentState = { ...cached, analysis: loaded.analysis, loaded };
    this.states.set(uri, state);
    return state;
  }

  /** Files on disk changed: keep the parse, drop the file checks. */
  forgetFiles(uri: string): void {
    const cached = this.states.get(uri);
    if (cached?.loaded) this.states.set(uri, { ...cached, loaded: null });
  }

  peek(uri: string): DocumentState | undefined {
    return this.states.get(uri);
  }

  delete(uri: string): void {
    this.states.delete(uri);
    this.same.delete(uri);
  }
}
