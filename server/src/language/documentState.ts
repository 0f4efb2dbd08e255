// One parse per document version (json-language-features' languageModelCache
// habit): every feature asks for the state of the version it is called on and
// never re-parses an unchanged document.
import { analyze, LineMap, type Analysis, type LoadedConfig } from '../config';

export interface DocumentState {
  uri: string;
  version: number;
  text: string;
  map: LineMap;
  analysis: Analysis;
  /** With the file checks, for documents on disk (null for untitled ones). */
  loaded: LoadedConfig | null;
}

export function createState(uri: string, version: number, text: string, loaded: LoadedConfig | null = null): DocumentState {
  return { uri, version, text, map: new LineMap(text), analysis: loaded ? loaded.analysis : analyze(text), loaded };
}

export class DocumentStates {
  private readonly states = new Map<string, DocumentState>();

  /** The state for exactly this version of the text, reusing the cached one when nothing changed. */
  get(uri: string, version: number, text: string): DocumentState {
    const cached = this.states.get(uri);
    if (cached && cached.version === version && cached.text.length === text.length) return cached;
    const state = createState(uri, version, text);
    this.states.set(uri, state);
    return state;
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
  }
}
