// The config summaries the language server sends (views/messages.ts): the
// tree, the language status item and the code lens draw these. The host
// never reads, analyses or hashes an upgrade.ini itself.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CONFIG_SUMMARY_NOTIFICATION, CONFIG_SUMMARY_REQUEST, FILE_HASH_EDITS_REQUEST, type ConfigSummary, type FileHashEditsResult } from '../../server/src/views/messages';

export class ConfigSummaries implements vscode.Disposable {
  private readonly byUri = new Map<string, ConfigSummary>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with the URI of a config whose summary changed. */
  readonly onDidChange = this.changed.event;
  private client: LanguageClient | null = null;
  /** Why the language server is not there (it failed to start); null while it runs or starts. */
  failure: string | null = null;

  attach(client: LanguageClient): void {
    this.client = client;
    client.onNotification(CONFIG_SUMMARY_NOTIFICATION, (s: ConfigSummary) => this.store(s));
  }

  get(uri: vscode.Uri): ConfigSummary | undefined {
    return this.byUri.get(uri.toString());
  }

  /** Drops what is known of `uri` (its document closed: the next one starts its versions again). */
  forget(uri: vscode.Uri): void {
    this.byUri.delete(uri.toString());
  }

  /** Asks the language server (open document or file on disk); null when it cannot tell. */
  async request(uri: vscode.Uri): Promise<ConfigSummary | null> {
    const client = this.client;
    if (!client || this.failure || !client.isRunning()) return this.get(uri) ?? null;
    const s = await client.sendRequest<ConfigSummary | null>(CONFIG_SUMMARY_REQUEST, { uri: client.code2ProtocolConverter.asUri(uri) });
    if (s) this.store(s);
    return this.get(uri) ?? null;
  }

  /** The edits that write the files' real SHA-256 (the fixes the file checks carry). */
  /** The edits that write the files' real SHA-256, and the keys they write. */
  async hashEdits(uri: vscode.Uri): Promise<{ edits: vscode.TextEdit[]; keys: string[] }> {
    const client = this.requireClient('Update File Hashes');
    const r = await client.sendRequest<FileHashEditsResult>(FILE_HASH_EDITS_REQUEST, { uri: client.code2ProtocolConverter.asUri(uri) });
    return { edits: r.edits.map((e) => new vscode.TextEdit(client.protocol2CodeConverter.asRange(e.range), e.newText)), keys: r.keys ?? [] };
  }

  /** The running client, or an error that says the language server failed and what needs it. */
  requireClient(what: string): LanguageClient {
    if (this.client && !this.failure) return this.client;
    throw new Error(`${what} needs the upgrade.ini language server, which did not start${this.failure ? `: ${this.failure}` : ''}`);
  }

  private store(s: ConfigSummary): void {
    const uri = this.client ? this.client.protocol2CodeConverter.asUri(s.uri) : vscode.Uri.parse(s.uri);
    const key = uri.toString();
    const old = this.byUri.get(key);
    // Summaries of one document come in version order, but a request's reply
    // can cross a notification: never go back to an older version.
    if (old && old.version !== null && s.version !== null && s.version < old.version) return;
    this.byUri.set(key, s);
    this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
