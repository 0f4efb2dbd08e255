// The server's life with a document, over stdio: untitled buffers, incremental
// edits on CRLF and non-ASCII text, bursts of edits (no stale result ever
// published), files changing on disk, closing; and the same server over
// --node-ipc, as VS Code starts it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import type { CompletionList, Diagnostic, DocumentSymbol, TextEdit } from 'vscode-languageserver-types';
import { analyze } from '../../server/src/config';
import { applyEdits, LspClient, pinnedFixture, SERVER } from './harness';
import { bytes, sha256 } from '../upgrade/helpers';

let client: LspClient;
let dir: string;
let patch: Buffer;
let CONFIG: string;

before(async () => {
  ({ dir, patch, config: CONFIG } = pinnedFixture('nsu-lsp-life-', { full: 5_000, patch: 700, seed: 3 }, { header: ['; Zürich 🙂 desks'], patchable: '5.10.*', eol: '\r\n' }));
  mkdirSync(join(dir, 'files', 'old'));
  writeFileSync(join(dir, 'files', 'old', 'Netphone_510.exe'), 'old');
  client = await LspClient.start();
});

after(async () => {
  await client.stop();
});

/** Waits (bounded) until a publication for `uri` satisfies `pred`. */
const published = (uri: string, pred: (diagnostics: Diagnostic[], version: number | undefined) => boolean): Promise<Diagnostic[]> => client.publishedWhere(uri, pred);

test('an untitled buffer gets the model\'s diagnostics without file checks', async () => {
  const uri = 'untitled:Untitled-1';
  client.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'netserver-upgrade-ini', version: 1, text: CONFIG.replace('FileRoot = files', 'FileRoot = nowhere') } });
  const diags = await published(uri, (_d, v) => v === 1);
  assert.deepEqual(diags, [], 'no file-root-not-found: there is no disk to look at');
});

test('incremental edits on a CRLF file with a surrogate pair before the change', async () => {
  const uri = client.open(join(dir, 'inc.ini'), CONFIG);
  assert.deepEqual(await client.diagnostics(uri, 1), []);
  let text = CONFIG;
  // Type ", 5.🙂, 5.10.3" at the end of the Patchable line, one piece at a time.
  const line = 9;
  let character = 'Patchable = 5.10.*'.length;
  let version = 1;
  for (const piece of [',', ' 5.', '🙂', ',', ' 5.10.3']) {
    const edit: TextEdit = { range: { start: { line, character }, end: { line, character } }, newText: piece };
    version = client.edit(uri, edit);
    text = applyEdits(text, [edit]);
    character += piece.length;
  }
  const diags = await client.diagnostics(uri, version);
  assert.deepEqual(diags.map((d) => [d.code, d.range.start, d.range.end]), [
    ['invalid-patchable-item', { line, character: 20 }, { line, character: 24 }],
    ['redundant-patchable-item', { line, character: 26 }, { line, character: 32 }],
  ]);
  // The server's text is the client's: a formatting round trip shows it.
  const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
  assert.deepEqual(edits, [], 'lines with errors are left as written, the rest is canonical already');
  // Replace a range spanning a CRLF: join two lines and split them again.
  const join1: TextEdit = { range: { start: { line: 8, character: `PatchFileSha256 = ${sha256(patch)}`.length }, end: { line: 9, character: 0 } }, newText: '\r\n; 🙂 between\r\n' };
  version = client.edit(uri, join1);
  text = applyEdits(text, [join1]);
  const after = await client.diagnostics(uri, version);
  assert.deepEqual(after.map((d) => [d.code, d.range.start.line]), [['invalid-patchable-item', 10], ['redundant-patchable-item', 10]]);
  const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.deepEqual(symbols[1].children?.map((c) => [c.name, c.range.start.line]), [['CurrentVersion', 4], ['FullSetup', 5], ['FullSetupSha256', 6], ['PatchFile', 7], ['PatchFileSha256', 8], ['Patchable', 10]]);
  assert.equal(text.split('\r\n')[10], 'Patchable = 5.10.*, 5.🙂, 5.10.3');
});

test('a burst of edits: the last version is published, and never an older one after a newer one', async () => {
  const uri = client.open(join(dir, 'burst.ini'), CONFIG);
  await client.diagnostics(uri, 1);
  const texts = new Map<number, string>();
  let last = 1;
  for (let i = 0; i < 40; i++) {
    const text = CONFIG.replace('Patchable = 5.10.*', `Patchable = 5.10.*${i % 3 === 0 ? ', 5.10.3' : ''}${i % 5 === 0 ? ', >=5.0' : ''}`);
    last = client.change(uri, text);
    texts.set(last, text);
  }
  const final = await client.diagnostics(uri, last);
  const list = client.published.get(uri) ?? [];
  const versions = list.map((p) => p.version ?? 0);
  assert.deepEqual(versions, [...versions].sort((a, b) => a - b), `published in order: ${versions.join(',')}`);
  assert.equal(versions[versions.length - 1], last, 'nothing after the last version');
  for (const p of list.slice(1)) {
    const expected = analyze(texts.get(p.version!)!).diagnostics.map((d) => d.code);
    assert.deepEqual(p.diagnostics.map((d) => d.code), expected, `version ${p.version} carries its own text's problems`);
  }
  assert.deepEqual(final.map((d) => d.code), analyze(texts.get(last)!).diagnostics.map((d) => d.code));
});

test('files changing under FileRoot re-run the file checks (workspace/didChangeWatchedFiles)', async () => {
  const uri = client.open(join(dir, 'watch.ini'), CONFIG);
  assert.deepEqual(await client.diagnostics(uri, 1), []);
  const patchPath = join(dir, 'files', 'NP_Update.exe');
  const changed = bytes(900, 5);
  writeFileSync(patchPath, changed);
  const notify = (): void => void client.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(patchPath).toString(), type: 2 }] });
  notify();
  const diags = await published(uri, (d) => d.some((x) => x.code === 'hash-mismatch'));
  const mismatch = diags.find((x) => x.code === 'hash-mismatch')!;
  assert.equal(mismatch.range.start.line, 8);
  assert.match(mismatch.message, new RegExp(sha256(changed)));
  // Put it back: the error goes away without any edit of the document.
  const count = client.published.get(uri)!.length;
  writeFileSync(patchPath, patch);
  notify();
  await published(uri, () => (client.published.get(uri) ?? []).length > count);
  const latest = client.published.get(uri)!.at(-1)!;
  assert.deepEqual(latest.diagnostics, []);
});

test('completion of FullSetup and PatchFile offers the files under FileRoot', async () => {
  const text = CONFIG.replace('FullSetup = Netphone_520.exe', 'FullSetup = ');
  const uri = client.open(join(dir, 'files.ini'), text);
  await client.diagnostics(uri, 1);
  const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 'FullSetup = '.length } });
  assert.deepEqual(list.items.map((i) => i.label).sort(), ['NP_Update.exe', 'Netphone_520.exe', 'old/Netphone_510.exe']);
});

test('closing a document clears its diagnostics', async () => {
  const uri = client.open(join(dir, 'close.ini'), CONFIG.replace('Patchable = 5.10.*', 'Patchable = >=5.0'));
  assert.equal((await client.diagnostics(uri, 1)).length, 1);
  client.rpc.sendNotification('textDocument/didClose', { textDocument: { uri } });
  await published(uri, (d, v) => v === undefined && d.length === 0);
});

test('over --node-ipc (how VS Code starts it) the same diagnostics arrive', async () => {
  const child = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const rpc = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  try {
    const got = new Promise<{ uri: string; diagnostics: Diagnostic[] }>((resolve) => rpc.onNotification('textDocument/publishDiagnostics', resolve));
    rpc.onRequest('client/registerCapability', () => null);
    rpc.listen();
    const init = await rpc.sendRequest<{ capabilities: { completionProvider?: object; codeActionProvider?: object } }>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    assert.ok(init.capabilities.completionProvider && init.capabilities.codeActionProvider);
    rpc.sendNotification('initialized', {});
    const uri = pathToFileURL(join(dir, 'ipc.ini')).toString();
    rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'netserver-upgrade-ini', version: 1, text: CONFIG.replace('Patchable = 5.10.*', 'Patchable = 5.10.*, 5.10.3') } });
    const p = await got;
    assert.equal(p.uri, uri);
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['redundant-patchable-item']);
    await rpc.sendRequest('shutdown');
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    rpc.sendNotification('exit');
    assert.equal(await exited, 0);
  } finally {
    rpc.dispose();
    if (child.exitCode === null) child.kill();
  }
});
