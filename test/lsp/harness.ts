// A plain LSP client over stdio, as any editor would be: spawn the bundled
// server, speak JSON-RPC, collect published diagnostics.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { CONFIG_SUMMARY_NOTIFICATION, type ConfigSummary } from '../../server/src/views/messages';
import { bytes, sha256 } from '../upgrade/helpers';
import { tempDir } from '../tempDir';

interface Registration {
  id: string;
  method: string;
  registerOptions?: unknown;
}

interface PublishDiagnosticsParams {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

export const SERVER = join(__dirname, '..', '..', 'dist', 'languageServer.js');

export class LspClient {
  readonly published = new Map<string, PublishDiagnosticsParams[]>();
  private waiters: { uri: string; pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  private versions = new Map<string, number>();

  private constructor(
    readonly process: ChildProcess,
    readonly rpc: MessageConnection,
  ) {
    rpc.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const list = this.published.get(p.uri) ?? [];
      list.push(p);
      this.published.set(p.uri, list);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri === p.uri && w.pred(p)) {
          w.resolve(p);
          return false;
        }
        return true;
      });
    });
    rpc.onRequest('client/registerCapability', (p: { registrations: Registration[] }) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    rpc.onRequest('client/unregisterCapability', (p: { unregisterations: { id: string }[] }) => {
      const gone = new Set(p.unregisterations.map((u) => u.id));
      this.registrations = this.registrations.filter((r) => !gone.has(r.id));
      return null;
    });
    // Each item's section looked up in `settings` (dotted path), as an editor answers.
    rpc.onRequest('workspace/configuration', (p: { items?: { section?: string }[] }) => (p.items ?? []).map((i) => lookup(this.settings, i.section)));
    rpc.onRequest('workspace/inlayHint/refresh', () => {
      this.hintRefreshes++;
      return null;
    });
    rpc.onNotification('window/logMessage', (p: { message: string }) => this.logs.push(p.message));
    rpc.onNotification(CONFIG_SUMMARY_NOTIFICATION, (p: ConfigSummary) => this.summaries.push(p));
  }

  /** The editor's settings, answered to workspace/configuration (`{ nsupgrade: { server: { port: 8768 } } }`). */
  settings: Record<string, unknown> = {};
  /** How often the server asked the editor to ask for inlay hints again. */
  hintRefreshes = 0;

  /** Every config summary the server sent, in order. */
  readonly summaries: ConfigSummary[] = [];

  /** The summary the server sent for this version of a document (bounded wait). */
  async summary(uri: string, version: number): Promise<ConfigSummary> {
    const find = (): ConfigSummary | undefined => this.summaries.find((s) => s.uri === uri && s.version === version);
    await this.until(() => find() !== undefined, `a summary of ${uri} version ${version}`);
    return find()!;
  }

  /** Capabilities the server registered and has not unregistered (file watchers). */
  registrations: Registration[] = [];
  /** What the server wrote to the editor's log. */
  readonly logs: string[] = [];

  /** The file watchers registered now, as [glob, base folder or null]. */
  watchers(): [string, string | null][] {
    return this.registrations
      .filter((r) => r.method === 'workspace/didChangeWatchedFiles')
      .flatMap((r) => (r.registerOptions as { watchers: { globPattern: string | { baseUri: string; pattern: string } }[] }).watchers)
      .map((w) => (typeof w.globPattern === 'string' ? [w.globPattern, null] : [w.globPattern.pattern, fileURLToPath(w.globPattern.baseUri)]));
  }

  /** What the server answered to initialize. */
  initializeResult: { capabilities: Record<string, unknown> } = { capabilities: {} };

  /** `watchedFiles: false`: a client that cannot watch files for the server (Neovim on Linux). */
  static async start(options: { relativePatterns?: boolean; initializationOptions?: object; watchedFiles?: boolean; workspace?: object; settings?: Record<string, unknown> } = {}): Promise<LspClient> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const rpc = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    rpc.listen();
    const client = new LspClient(child, rpc);
    client.settings = options.settings ?? {};
    const watching = { dynamicRegistration: true, relativePatternSupport: options.relativePatterns ?? true };
    const workspace = { ...(options.watchedFiles === false ? {} : { didChangeWatchedFiles: watching }), ...options.workspace };
    client.initializeResult = await rpc.sendRequest('initialize', { processId: process.pid, rootUri: null, initializationOptions: options.initializationOptions, capabilities: { workspace, textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true } } } });
    rpc.sendNotification('initialized', {});
    return client;
  }

  /** Waits until `pred` holds (polled every 10 ms), bounded. */
  async until(pred: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(uri: string): void {
    this.rpc.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Tells the server files changed on disk (1 created, 2 changed, 3 deleted). */
  filesChanged(paths: string[], type = 2): void {
    this.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: paths.map((p) => ({ uri: pathToFileURL(p).toString(), type })) });
  }

  open(path: string, text: string): string {
    const uri = pathToFileURL(path).toString();
    this.versions.set(uri, 1);
    this.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'netserver-upgrade-ini', version: 1, text } });
    return uri;
  }

  /** Replaces the whole text (a full-document change); returns the new version. */
  change(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.rpc.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  /** An incremental change of one range. */
  edit(uri: string, edit: TextEdit): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.rpc.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: edit.range, text: edit.newText }] });
    return version;
  }

  diagnostics(uri: string, version: number, timeoutMs = 10000): Promise<Diagnostic[]> {
    const hit = (this.published.get(uri) ?? []).find((p) => p.version === version);
    if (hit) return Promise.resolve(hit.diagnostics);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for version ${version} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ uri, pred: (p) => p.version === version, resolve: (p) => {
        clearTimeout(timer);
        resolve(p.diagnostics);
      } });
    });
  }

  /** The first diagnostics published for `uri`, any version, that satisfy `pred` (bounded wait). */
  async publishedWhere(uri: string, pred: (diagnostics: Diagnostic[], version: number | undefined) => boolean, timeoutMs = 10_000): Promise<Diagnostic[]> {
    let hit: Diagnostic[] | undefined;
    const find = (): boolean => {
      hit = (this.published.get(uri) ?? []).find((p) => pred(p.diagnostics, p.version))?.diagnostics;
      return hit !== undefined;
    };
    try {
      await this.until(find, `diagnostics of ${uri} as expected`, timeoutMs);
    } catch (err) {
      throw new Error(`${(err as Error).message}; published: ${JSON.stringify((this.published.get(uri) ?? []).map((p) => [p.version, p.diagnostics.map((d) => d.code)]))}`);
    }
    return hit!;
  }

  /** The editor saved the document (textDocument/didSave, without the text). */
  saved(uri: string): void {
    this.rpc.sendNotification('textDocument/didSave', { textDocument: { uri } });
  }

  request<R>(method: string, params: object): Promise<R> {
    return this.rpc.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<number | null> {
    await this.rpc.sendRequest('shutdown');
    this.rpc.sendNotification('exit');
    const code = await new Promise<number | null>((r) => this.process.on('exit', r));
    this.rpc.dispose();
    return code;
  }
}

/** `a.b.c` in a settings object (null when it is not there), as an editor answers workspace/configuration. */
function lookup(settings: Record<string, unknown>, section: string | undefined): unknown {
  let at: unknown = settings;
  for (const part of section ? section.split('.') : []) at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[part] : undefined;
  return at ?? null;
}

/** Applies LSP edits to a text (from the end, so earlier ranges stay valid). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) lines.push(i + 1);
  }
  const offset = (p: { line: number; character: number }): number => Math.min(text.length, (lines[p.line] ?? text.length) + p.character);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/**
 * A temp folder with two setup files under files/ (seeded bytes) and the text
 * of a config that names them with their hashes pinned (FileRoot = files).
 */
export function pinnedFixture(prefix: string, sizes: { full: number; patch: number; seed: number }, options: { header?: string[]; patchable?: string; eol?: string } = {}): { dir: string; full: Buffer; patch: Buffer; config: string } {
  const dir = tempDir(prefix);
  const full = bytes(sizes.full, sizes.seed);
  const patch = bytes(sizes.patch, sizes.seed + 1);
  mkdirSync(join(dir, 'files'));
  writeFileSync(join(dir, 'files', 'Netphone_520.exe'), full);
  writeFileSync(join(dir, 'files', 'NP_Update.exe'), patch);
  const config = [
    ...(options.header ?? []),
    '[Server]',
    'FileRoot = files',
    '[Upgrade]',
    'CurrentVersion = 5.20.12',
    'FullSetup = Netphone_520.exe',
    `FullSetupSha256 = ${sha256(full)}`,
    'PatchFile = NP_Update.exe',
    `PatchFileSha256 = ${sha256(patch)}`,
    `Patchable = ${options.patchable ?? '5.10.*, 5.11.1 - 5.11.99'}`,
    '',
  ].join(options.eol ?? '\n');
  return { dir, full, patch, config };
}
