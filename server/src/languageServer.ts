// The language server: LSP wiring only. Every feature is a pure function in
// language/; when to validate is language/validator.ts; what to watch is
// language/watching.ts; the views' summary is views/summary.ts. This file
// turns requests into calls and results into replies.
// Runs over `--stdio` (any editor) or `--node-ipc` (VS Code).
import { readdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocumentContentChangeEvent,
  TextDocuments,
  TextDocumentSyncKind,
  type Disposable,
  type Position,
  type ResponseError,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { cannotRead, createHashCache, LineMap, loadConfig, type LoadedConfig } from './config';
import { changeBetween, DocumentStates, type DocumentState } from './language/documentState';
import { toLspDiagnostics, modelDiagnostics } from './language/diagnostics';
import { completion } from './language/completion';
import { hover } from './language/hover';
import { inlayHints } from './language/inlayHints';
import { hashEdits } from './language/hashEdits';
import { NO_OVERRIDES, OVERRIDES_SECTION, overridesInSettings, readOverrides, sameOverrides, type ServerOverrides } from './language/overrides';
import { codeActions } from './language/codeActions';
import { documentSymbols } from './language/symbols';
import { foldingRanges } from './language/folding';
import { formatting } from './language/formatting';
import { documentLinks } from './language/links';
import { filePath, Validator } from './language/validator';
import { missingParams } from './language/params';
import { affected, CONFIG_GLOBS, foldersToWatch, watchers, type Watched } from './language/watching';
import { FolderWatch } from './language/folderWatch';
import { KnownClients } from './language/knownClients';
import { sectionAt } from './language/context';
import type { KnownClient } from './language/rolloutShare';
import { summarize, summaryOfLoaded } from './views/summary';
import {
  CONFIG_SUMMARY_NOTIFICATION,
  CONFIG_SUMMARY_REQUEST,
  FILE_HASH_EDITS_REQUEST,
  KNOWN_CLIENTS_NOTIFICATION,
  type KnownClientsParams,
  type ConfigSummary,
  type ConfigSummaryParams,
  type FileHashEditsParams,
  type FileHashEditsResult,
} from './views/messages';

/** Options an editor may pass at initialize (VS Code passes its `nsupgrade.files` globs). */
interface InitializationOptions {
  configGlobs?: string[];
  /** Where docs/upgrade-ini.md is, for the diagnostics' code links. */
  docsUrl?: string;
  /** false: the server does not watch folders itself when the editor cannot (files are then checked again on save). */
  watchFolders?: boolean;
}

const connection = createConnection(ProposedFeatures.all);
const states = new DocumentStates();
// Each edit is noted as it arrives, so the next check reads only the lines it touched.
const documents = new TextDocuments<TextDocument>({
  create: TextDocument.create,
  update(document, changes, version) {
    for (const change of changes) {
      const before = document.getText();
      const { start, oldEnd } = TextDocumentContentChangeEvent.isIncremental(change)
        ? { start: document.offsetAt(change.range.start), oldEnd: document.offsetAt(change.range.end) }
        : changeBetween(before, change.text);
      states.edited(document.uri, start, oldEnd, before.length);
      document = TextDocument.update(document, [change], version);
    }
    return document;
  },
});
const MB = 1024 * 1024;
// Hashing a big setup takes a second or more: say so in the editor's log.
const hashes = createHashCache(64, (path, bytes, ms) => {
  if (bytes >= 16 * MB) connection.console.info(`hashed ${path} (${Math.round(bytes / MB)} MB) in ${ms} ms`);
});
let canWatch = false;
let relativePatterns = false;
let configGlobs = CONFIG_GLOBS;
// Bundled: dist/languageServer.js, next to ../docs in the repository and the .vsix.
let docsUrl = pathToFileURL(join(__dirname, '..', 'docs', 'upgrade-ini.md')).toString();

/** Configs the editor asked a summary of that are not open (read from disk), with their FileRoot. */
const onDisk = new Map<string, Watched>();

const validator = new Validator(states, hashes, {
  document: (uri) => documents.get(uri),
  publish(state) {
    void connection.sendDiagnostics({ uri: state.uri, version: state.version, diagnostics: toLspDiagnostics(state, docsUrl) });
    void connection.sendNotification(CONFIG_SUMMARY_NOTIFICATION, summaryOf(state));
    updateWatchers();
  },
  error: (message) => connection.console.error(message),
});

function summaryOf(state: DocumentState): ConfigSummary {
  if (state.loaded) return summaryOfLoaded(state.loaded, state.uri, state.version, new Date(), { map: state.map });
  return summarize({ uri: state.uri, version: state.version, path: filePath(state.uri), text: state.text, analysis: state.analysis, diagnostics: modelDiagnostics(state), encoding: null, checked: null, map: state.map }, new Date());
}

function current(uri: string): DocumentState | null {
  const doc = documents.get(uri);
  return doc ? states.get(uri, doc.version, doc.getText()) : null;
}

/** Everything whose file or FileRoot a watched change may concern. */
function targets(): Watched[] {
  const out: Watched[] = [...onDisk.values()];
  for (const doc of documents.all()) {
    const loaded = states.peek(doc.uri)?.loaded;
    out.push({ uri: doc.uri, path: filePath(doc.uri), fileRoot: loaded?.fileRoot ?? '', files: loaded ? setupFiles(loaded) : [] });
  }
  return out;
}

/** The setup files a checked config names: where it names them, and where they really are. */
function setupFiles(loaded: LoadedConfig): string[] {
  const upgrade = loaded.config.upgrade;
  const named = [upgrade.fullSetup, upgrade.patchFile].flatMap((rel) => (rel && loaded.fileRoot ? [resolve(loaded.fileRoot, rel.replace(/\\/g, '/'))] : []));
  const found = [loaded.files.fullSetup?.absPath, loaded.files.patchFile?.absPath].flatMap((p) => (p ? [p] : []));
  return [...named, ...found];
}

/** Files changed on disk (the editor said so, the server saw it, or a config was saved): check again the configs they concern. */
function filesChanged(paths: readonly string[]): void {
  fileLists.clear();
  const hit = new Set(affected(paths, targets()));
  // Same text, new disk: the parse of an open document is kept, its file checks run again.
  validator.filesChanged([...hit].filter((uri) => documents.get(uri)));
  for (const uri of hit) {
    if (documents.get(uri) || !onDisk.has(uri)) continue;
    void diskSummary(uri).then((s) => s && connection.sendNotification(CONFIG_SUMMARY_NOTIFICATION, s));
  }
}

// Client names for [Rollout]: the server's inventory (sent by the editor) and the fleet files near the configs.
const known = new KnownClients();
let workspaceFolders: string[] = [];

// For editors that cannot watch files for the server (Neovim on Linux).
const folderWatch = new FolderWatch(filesChanged, (message) => connection.console.warn(message));
let watchFolders = true;

let registered: { key: string; disposable: Promise<Disposable> } | null = null;
/** Watches the config files and the FileRoots named now; re-registers only when they change. */
function updateWatchers(): void {
  if (!canWatch) {
    if (watchFolders) folderWatch.update(foldersToWatch(targets()));
    return;
  }
  const list = watchers(configGlobs, targets().map((t) => t.fileRoot), relativePatterns);
  const key = JSON.stringify(list);
  if (registered?.key === key) return;
  const previous = registered;
  registered = { key, disposable: connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: list }) };
  void previous?.disposable.then((d) => d.dispose()).catch(() => undefined);
}

async function diskSummary(uri: string): Promise<ConfigSummary | null> {
  const path = filePath(uri);
  if (!path) return null;
  try {
    const loaded = await loadConfig(path, hashes);
    onDisk.set(uri, { uri, path, fileRoot: loaded.fileRoot, files: setupFiles(loaded) });
    updateWatchers();
    return summaryOfLoaded(loaded, uri, null, new Date(), { fromDisk: true });
  } catch (err) {
    onDisk.delete(uri);
    connection.console.warn(cannotRead(path, err));
    return null;
  }
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

// The editor's settings that override [Server] Port and Bind (VS Code's nsupgrade.server.*), live.
let overrides: ServerOverrides = NO_OVERRIDES;
let canPullSettings = false;
let canRegisterSettings = false;
let canRefreshHints = false;

function setOverrides(next: ServerOverrides): void {
  if (sameOverrides(overrides, next)) return;
  overrides = next;
  if (canRefreshHints) void connection.languages.inlayHint.refresh().catch(() => undefined);
}

/** Asks the editor for the settings (`workspace/configuration`), where it can answer. */
async function pullOverrides(): Promise<void> {
  if (!canPullSettings) return;
  try {
    setOverrides(readOverrides(await connection.workspace.getConfiguration({ section: OVERRIDES_SECTION })));
  } catch (err) {
    connection.console.warn(`the editor did not answer workspace/configuration: ${err instanceof Error ? err.message : String(err)}`);
  }
}

connection.onInitialize((params): InitializeResult => {
  canPullSettings = params.capabilities.workspace?.configuration === true;
  canRegisterSettings = params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
  canRefreshHints = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
  const watching = params.capabilities.workspace?.didChangeWatchedFiles;
  canWatch = watching?.dynamicRegistration === true;
  relativePatterns = watching?.relativePatternSupport === true;
  const options = (params.initializationOptions ?? {}) as InitializationOptions;
  if (Array.isArray(options.configGlobs)) configGlobs = [...CONFIG_GLOBS, ...options.configGlobs.filter((g) => typeof g === 'string')];
  if (typeof options.docsUrl === 'string') docsUrl = options.docsUrl;
  if (options.watchFolders === false) watchFolders = false;
  workspaceFolders = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri }] : [])).flatMap((f) => filePath(f.uri) ?? []);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      // No blank: completion plugins would ask on every space typed (issue 10 item 15).
      completionProvider: { triggerCharacters: ['[', '=', ',', '-', '<', '>'] },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      documentFormattingProvider: true,
      documentLinkProvider: { resolveProvider: false },
      inlayHintProvider: true,
    },
    serverInfo: { name: 'nsupgrade-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  updateWatchers();
  // VS Code then sends the nsupgrade settings now and whenever they change.
  if (canRegisterSettings) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'nsupgrade' }).catch(() => undefined);
  void pullOverrides();
});
// The settings sent with the notification when it carries ours (VS Code), else asked for (Neovim sends its own table).
connection.onDidChangeConfiguration((p) => {
  const sent = overridesInSettings(p.settings);
  if (sent) setOverrides(sent);
  else void pullOverrides();
});

documents.onDidOpen((e) => {
  onDisk.delete(e.document.uri);
  validator.schedule(e.document.uri);
});
documents.onDidChangeContent((e) => validator.schedule(e.document.uri));
documents.onDidClose((e) => {
  validator.close(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  // Its FileRoot is watched no longer (unless another config names it).
  updateWatchers();
});
connection.onDidChangeWatchedFiles((p) => filesChanged(p.changes.flatMap((c) => filePath(c.uri) ?? [])));
// Saving a config checks its files again: some editors watch nothing (issue 10 item 13).
documents.onDidSave((e) => {
  const path = filePath(e.document.uri);
  if (path) filesChanged([path]);
});

connection.onRequest(CONFIG_SUMMARY_REQUEST, async (p: ConfigSummaryParams): Promise<ConfigSummary | null> => {
  if (!documents.get(p.uri)) return diskSummary(p.uri);
  const state = await validator.checked(p.uri);
  return state ? summaryOf(state) : null;
});

/** The hash fixes the file checks carry, as one list of edits (Update File Hashes). */
connection.onRequest(FILE_HASH_EDITS_REQUEST, async (p: FileHashEditsParams): Promise<FileHashEditsResult> => {
  if (documents.get(p.uri)) {
    const state = await validator.checked(p.uri);
    return state ? hashEdits(state.map, state.analysis, modelDiagnostics(state)) : { edits: [], keys: [] };
  }
  const path = filePath(p.uri);
  if (!path) return { edits: [], keys: [] };
  const loaded = await loadConfig(path, hashes);
  return hashEdits(new LineMap(loaded.text), loaded.analysis, loaded.diagnostics);
});

/** The client names [Rollout] may offer, when the cursor is in [Rollout]: the inventory, and the fleet files near the config and in the workspace. */
async function clientsFor(uri: string, position: Position): Promise<KnownClient[]> {
  const state = current(uri);
  if (!state || sectionAt(state, state.map.offsetAt(position))?.key !== 'rollout') return [];
  const path = filePath(uri);
  return known.near([...(path ? [dirname(path)] : []), ...workspaceFolders]);
}

connection.onCompletion(async (p) => {
  const invalid = missingParams('textDocument/completion', p, { position: true });
  if (invalid) return invalid;
  const root = current(p.textDocument.uri)?.loaded?.fileRoot;
  const files = root ? await filesUnder(root) : [];
  const clients = await clientsFor(p.textDocument.uri, p.position);
  // The state of the version current now, after the waits for the folders.
  const state = current(p.textDocument.uri);
  return state ? completion(state, state.map.offsetAt(p.position), { files, clients }) : null;
});
connection.onHover(async (p) => {
  const invalid = missingParams('textDocument/hover', p, { position: true });
  if (invalid) return invalid;
  const clients = await clientsFor(p.textDocument.uri, p.position);
  const state = current(p.textDocument.uri);
  return state ? hover(state, state.map.offsetAt(p.position), { clients, overrides }) : null;
});
connection.onNotification(KNOWN_CLIENTS_NOTIFICATION, (p: KnownClientsParams) => {
  const n = known.setInventory(p);
  connection.console.info(`known clients from the editor: ${n}`);
});
connection.onCodeAction((p) => {
  const invalid = missingParams('textDocument/codeAction', p, { range: true });
  if (invalid) return invalid;
  const state = current(p.textDocument.uri);
  return state ? codeActions(state, p.range, p.context?.only) : null;
});
/** The handlers that need only the document. */
function onDocument<R>(method: string, feature: (state: DocumentState) => R): (p: { textDocument: { uri: string } }) => R | null | ResponseError<void> {
  return (p) => {
    const invalid = missingParams(method, p, {});
    if (invalid) return invalid;
    const state = current(p.textDocument.uri);
    return state ? feature(state) : null;
  };
}
connection.onDocumentSymbol(onDocument('textDocument/documentSymbol', documentSymbols));
connection.onFoldingRanges(onDocument('textDocument/foldingRange', foldingRanges));
connection.onDocumentFormatting(onDocument('textDocument/formatting', formatting));
connection.onDocumentLinks(onDocument('textDocument/documentLink', documentLinks));
connection.languages.inlayHint.on((p) => {
  const invalid = missingParams('textDocument/inlayHint', p, { range: true });
  if (invalid) return invalid;
  const state = current(p.textDocument.uri);
  return state ? inlayHints(state, p.range, overrides) : null;
});
connection.onShutdown(() => {
  validator.dispose();
  folderWatch.dispose();
});

documents.listen(connection);
connection.listen();
