// When the language server validates: once per change. Every change waits a
// short debounce (longer for big files); a run that a newer version replaced
// is dropped before it publishes; the file checks of one version run once and
// every caller (publishing, the summary, Update File Hashes) shares them.
// Closing a document clears its timer. No LSP connection here, so the rules
// can be tested without one.
import { fileURLToPath } from 'node:url';
import { loadConfigText, type HashCache } from '../config';
import type { DocumentState, DocumentStates } from './documentState';

export interface OpenDocument {
  version: number;
  getText(): string;
}

export interface ValidatorHost {
  document(uri: string): OpenDocument | undefined;
  /** The checked state of the document's current version, to publish. */
  publish(state: DocumentState): void;
  error(message: string): void;
}

/**
 * Every change waits a little, so a burst of edits (a paste, a multi-cursor
 * edit, a fix applied) is checked once; the wait grows with the file, since
 * each check costs more: 5 ms for a small file, 150 ms from about 100 kB.
 */
export function debounceMs(chars: number): number {
  return Math.round(Math.min(150, Math.max(5, chars / 700)));
}

export function filePath(uri: string): string | null {
  return uri.startsWith('file:') ? fileURLToPath(uri) : null;
}

export class Validator {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The file checks running for a document, with the version they check. */
  private readonly running = new Map<string, { version: number; generation: number; done: Promise<DocumentState | null> }>();
  /** Bumped when files on disk change, so a run started before reads again. */
  private generation = 0;

  constructor(
    private readonly states: DocumentStates,
    private readonly hashes: HashCache,
    private readonly host: ValidatorHost,
  ) {}

  /** Validates after the debounce; a change during it restarts the wait. */
  schedule(uri: string): void {
    const doc = this.host.document(uri);
    if (!doc) return;
    this.cancelTimer(uri);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.validate(uri);
      }, debounceMs(doc.getText().length)),
    );
  }

  /** Files on disk changed: the next checks of these documents read them again. */
  filesChanged(uris: readonly string[]): void {
    this.generation++;
    for (const uri of uris) {
      this.states.forgetFiles(uri);
      this.schedule(uri);
    }
  }

  close(uri: string): void {
    this.cancelTimer(uri);
    this.running.delete(uri);
    this.states.delete(uri);
  }

  /** Timers waiting to validate (for tests and shutdown). */
  get pending(): number {
    return this.timers.size;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private cancelTimer(uri: string): void {
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    this.timers.delete(uri);
  }

  private async validate(uri: string): Promise<void> {
    const doc = this.host.document(uri);
    if (!doc) return;
    const state = await this.checked(uri);
    // A newer version arrived meanwhile: its own run publishes.
    if (!state || this.host.document(uri)?.version !== state.version) return;
    this.host.publish(state);
  }

  /**
   * The state of the document's current version with its file checks (for
   * documents on disk), sharing a run in progress for the same version.
   * null when the document is closed or moved on before the checks ended.
   */
  checked(uri: string): Promise<DocumentState | null> {
    const doc = this.host.document(uri);
    if (!doc) return Promise.resolve(null);
    const version = doc.version;
    const run = this.running.get(uri);
    if (run && run.version === version && run.generation === this.generation) return run.done;
    const generation = this.generation;
    const done = this.check(uri, version, doc.getText());
    this.running.set(uri, { version, generation, done });
    void done.finally(() => {
      if (this.running.get(uri)?.done === done) this.running.delete(uri);
    });
    return done;
  }

  private async check(uri: string, version: number, text: string): Promise<DocumentState | null> {
    const state = this.states.get(uri, version, text);
    const path = filePath(uri);
    if (!path || state.loaded) return state;
    try {
      const loaded = await loadConfigText(state.text, path, this.hashes, state.analysis);
      return this.states.setLoaded(uri, version, loaded);
    } catch (err) {
      this.host.error(`file checks failed for ${path}: ${(err as Error).message}`);
      return state;
    }
  }
}
