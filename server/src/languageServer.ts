// The language server: LSP wiring only. Every feature is a pure function in
// language/; this file turns requests into calls and results into replies.
// Runs over `--stdio` (any editor) or `--node-ipc` (VS Code).
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createHashCache, loadConfigText } from './config';
import { DocumentStates, type DocumentState } from './language/documentState';
import { toLspDiagnostics } from './language/diagnostics';
import { completion } from './language/completion';
import { hover } from './language/hover';
import { codeActions } from './language/codeActions';
import { documentSymbols } from './language/symbols';
import { foldingRanges } from './language/folding';
import { formatting } from './language/formatting';
import { documentLinks } from './language/links';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const states = new DocumentStates();
const hashes = createHashCache();
const timers = new Map<string, NodeJS.Timeout>();
let canWatch = false;

/** Small documents are checked at once; big ones wait for typing to pause. */
const DEBOUNCE_BYTES = 100_000;
const DEBOUNCE_MS = 150;

function filePath(uri: string): string | null {
  return uri.startsWith('file:') ? fileURLToPath(uri) : null;
}

function current(uri: string): DocumentState | null {
  const doc = documents.get(uri);
  return doc ? states.get(uri, doc.version, doc.getText()) : null;
}

async function validate(uri: string): Promise<void> {
  const doc = documents.get(uri);
  if (!doc) return;
  const version = doc.version;
  let state = states.get(uri, version, doc.getText());
  const path = filePath(uri);
  if (path) {
    try {
      const loaded = await loadConfigText(state.text, path, hashes, state.analysis);
      const stored = states.setLoaded(uri, version, loaded);
      // The document moved on while the disk was read: its own run publishes.
      if (!stored) return;
      state = stored;
    } catch (err) {
      connection.console.error(`file checks failed for ${path}: ${(err as Error).message}`);
    }
  }
  if (documents.get(uri)?.version !== version) return;
  void connection.sendDiagnostics({ uri, version, diagnostics: toLspDiagnostics(state) });
}

function schedule(uri: string): void {
  const doc = documents.get(uri);
  if (!doc) return;
  const old = timers.get(uri);
  if (old) clearTimeout(old);
  const delay = doc.getText().length > DEBOUNCE_BYTES ? DEBOUNCE_MS : 0;
  timers.set(
    uri,
    setTimeout(() => {
      timers.delete(uri);
      void validate(uri);
    }, delay),
  );
}

/** File names under FileRoot for completion, cached briefly per folder. */
const fileLists = new Map<string, { at: number; files: string[] }>();
async function filesUnder(root: string): Promise<string[]> {
  const cached = fileLists.get(root);
  if (cached && Date.now() - cached.at < 2000) return cached.files;
  const files: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 3 || files.length >= 500) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (files.length >= 500) return;
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full, depth + 1);
      else if (e.isFile() && !/\.ini$/i.test(e.name)) files.push(relative(root, full).split('\\').join('/'));
    }
  };
  await walk(root, 0);
  fileLists.set(root, { at: Date.now(), files });
  return files;
}

connection.onInitialize((params): InitializeResult => {
  canWatch = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['[', '=', ',', '-', '<', '>', ' '] },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      documentFormattingProvider: true,
      documentLinkProvider: { resolveProvider: false },
    },
    serverInfo: { name: 'nsupgrade-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (canWatch) {
    // Setup files under FileRoot change outside the editor: re-run the file checks.
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
  }
});

documents.onDidOpen((e) => schedule(e.document.uri));
documents.onDidChangeContent((e) => schedule(e.document.uri));
documents.onDidClose((e) => {
  states.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});
connection.onDidChangeWatchedFiles(() => {
  fileLists.clear();
  // Same text, new disk: validate always re-runs the file checks for files on
  // disk, so the parse of this version is kept (no states.delete).
  for (const doc of documents.all()) schedule(doc.uri);
});

connection.onCompletion(async (p) => {
  const state = current(p.textDocument.uri);
  if (!state) return null;
  const root = state.loaded?.fileRoot;
  const files = root ? await filesUnder(root) : [];
  return completion(state, state.map.offsetAt(p.position), { files });
});
connection.onHover((p) => {
  const state = current(p.textDocument.uri);
  return state ? hover(state, state.map.offsetAt(p.position)) : null;
});
connection.onCodeAction((p) => {
  const state = current(p.textDocument.uri);
  return state ? codeActions(state, p.range, p.context.only) : null;
});
connection.onDocumentSymbol((p) => {
  const state = current(p.textDocument.uri);
  return state ? documentSymbols(state) : null;
});
connection.onFoldingRanges((p) => {
  const state = current(p.textDocument.uri);
  return state ? foldingRanges(state) : null;
});
connection.onDocumentFormatting((p) => {
  const state = current(p.textDocument.uri);
  return state ? formatting(state) : null;
});
connection.onDocumentLinks((p) => {
  const state = current(p.textDocument.uri);
  return state ? documentLinks(state) : null;
});

documents.listen(connection);
connection.listen();
