// Issue 11, the editor's part, over a real stdio connection: a missing setup
// file offers the files of FileRoot it probably meant; settings that override
// [Server] Port and Bind show on the line (inlay hint) and in hover, live as
// the editor's settings change; an ANSI (Windows-1252) upgrade.ini on disk is
// read with one warning and every other check.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Hover, InlayHint, MarkupContent } from 'vscode-languageserver-types';
import { CONFIG_SUMMARY_REQUEST, type ConfigSummary } from '../../server/src/views/messages';
import { applyEdits, LspClient, pinnedFixture } from './harness';

const clients: LspClient[] = [];
after(async () => {
  for (const c of clients) assert.equal(await c.stop(), 0);
});

async function start(options: Parameters<typeof LspClient.start>[0] = {}): Promise<LspClient> {
  const c = await LspClient.start(options);
  clients.push(c);
  return c;
}

function pos(text: string, needle: string, delta = 0): { line: number; character: number } {
  const at = text.indexOf(needle) + delta;
  const before = text.slice(0, at).split(/\r\n|\n/);
  return { line: before.length - 1, character: before[before.length - 1].length };
}

const WHOLE = { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } };

test('a missing PatchFile offers the files of FileRoot close by name and of its kind; applied, the problem is gone', async () => {
  const client = await start();
  const { dir, config } = pinnedFixture('nsu-lsp-i11-', { full: 3_000, patch: 500, seed: 11 });
  writeFileSync(join(dir, 'files', 'readme.txt'), 'not a setup');
  let text = config.replace('PatchFile = NP_Update.exe', 'PatchFile = NP_Patch.exe');
  const uri = client.open(join(dir, 'upgrade.ini'), text);
  const diags = await client.diagnostics(uri, 1);
  const missing = diags.find((d) => d.code === 'file-not-found');
  assert.ok(missing, JSON.stringify(diags));
  assert.deepEqual(missing.range.start, pos(text, 'NP_Patch.exe'));
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: missing.range, context: { diagnostics: [missing] } });
  // Netphone_520.exe is the full setup (FullSetup names it); readme.txt is no setup.
  assert.deepEqual(actions.map((a) => [a.title, a.isPreferred]), [['Use NP_Update.exe (in FileRoot)', true]]);
  text = applyEdits(text, actions[0].edit!.changes![uri]);
  assert.match(text, /^PatchFile = NP_Update\.exe$/m);
  const v = client.change(uri, text);
  assert.deepEqual(await client.diagnostics(uri, v), [], 'the pinned hash matches NP_Update.exe: nothing left');
});

test('settings that override Port and Bind: an inlay hint on the line and a note in hover, live as the settings change', async () => {
  const client = await start({
    workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, inlayHint: { refreshSupport: true } },
    settings: { nsupgrade: { server: { port: 8768, bind: '' } } },
  });
  assert.equal((client.initializeResult.capabilities as { inlayHintProvider?: unknown }).inlayHintProvider, true);
  const { dir, config } = pinnedFixture('nsu-lsp-i11-', { full: 3_000, patch: 500, seed: 12 });
  const text = config.replace('[Server]', '[Server] ; the office\nPort = 8767');
  const uri = client.open(join(dir, 'upgrade.ini'), text);
  await client.diagnostics(uri, 1);
  const hints = async (): Promise<InlayHint[]> => client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: WHOLE });
  const labels = async (): Promise<string[]> => (await hints()).map((h) => `${h.position.line}:${h.position.character} ${String(h.label)}`);
  const portEnd = pos(text, 'Port = 8767', 'Port = 8767'.length);
  const headerEnd = pos(text, '[Server] ; the office', '[Server] ; the office'.length);

  // Asked for at initialized (workspace/configuration), no notification needed.
  await client.until(() => client.hintRefreshes > 0, 'an inlay hint refresh after the settings were read');
  assert.deepEqual(await labels(), [`${portEnd.line}:${portEnd.character} overridden by settings: 8768`]);
  const [hint] = await hints();
  assert.equal(hint.paddingLeft, true);
  assert.match((hint.tooltip as MarkupContent).value, /nsupgrade\.server\.port.*8768.*listens on port 8768, not 8767/s);
  // Only hints inside the range asked for.
  assert.deepEqual(await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: portEnd.line + 1, character: 0 }, end: { line: 1000, character: 0 } } }), []);
  // Hover on the key and on the value say it too.
  for (const at of [pos(text, 'Port = 8767', 1), pos(text, '8767', 1)]) {
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: at });
    assert.match((h.contents as MarkupContent).value, /Overridden by settings.*`nsupgrade\.server\.port` is `8768`.*This file says Port = 8767/s);
  }
  // The server asked VS Code to send the nsupgrade settings whenever they change.
  assert.ok(client.registrations.some((r) => r.method === 'workspace/didChangeConfiguration' && (r.registerOptions as { section?: string }).section === 'nsupgrade'), JSON.stringify(client.registrations));

  // VS Code sends the settings with the notification: Bind now, Port no more. No Bind line: the hint goes on [Server].
  let refreshes = client.hintRefreshes;
  client.rpc.sendNotification('workspace/didChangeConfiguration', { settings: { nsupgrade: { server: { port: null, bind: '0.0.0.0' } } } });
  await client.until(() => client.hintRefreshes > refreshes, 'a refresh after the change');
  assert.deepEqual(await labels(), [`${headerEnd.line}:${headerEnd.character} Bind overridden by settings: 0.0.0.0`]);
  const portHover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: pos(text, 'Port = 8767', 1) });
  assert.doesNotMatch((portHover.contents as MarkupContent).value, /settings/);

  // A notification without our settings (Neovim's own table): the server asks.
  refreshes = client.hintRefreshes;
  client.settings = { nsupgrade: { server: { port: 8767, bind: '' } } };
  client.rpc.sendNotification('workspace/didChangeConfiguration', { settings: { other: true } });
  await client.until(() => client.hintRefreshes > refreshes, 'a refresh after the settings were asked for again');
  assert.deepEqual(await labels(), [`${portEnd.line}:${portEnd.character} pinned by settings: 8767`]);

  refreshes = client.hintRefreshes;
  client.rpc.sendNotification('workspace/didChangeConfiguration', { settings: { nsupgrade: { server: { port: null, bind: '' } } } });
  await client.until(() => client.hintRefreshes > refreshes, 'a refresh after the settings were cleared');
  assert.deepEqual(await hints(), []);
});

test('an editor that only pushes settings (no workspace/configuration) gets the hints too', async () => {
  const client = await start();
  const { dir, config } = pinnedFixture('nsu-lsp-i11-', { full: 3_000, patch: 500, seed: 13 });
  const uri = client.open(join(dir, 'upgrade.ini'), config);
  await client.diagnostics(uri, 1);
  assert.deepEqual(await client.request('textDocument/inlayHint', { textDocument: { uri }, range: WHOLE }), []);
  client.rpc.sendNotification('workspace/didChangeConfiguration', { settings: { nsupgrade: { server: { port: 9000 } } } });
  // No [Server] Port line: on the [Server] header, naming the key.
  let got: InlayHint[] = [];
  const poll = setInterval(() => void client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: WHOLE }).then((h) => (got = h)), 20);
  try {
    await client.until(() => got.length > 0, 'a hint once the settings arrived');
  } finally {
    clearInterval(poll);
  }
  assert.deepEqual(got.map((h) => String(h.label)), ['Port overridden by settings: 9000']);
  assert.deepEqual(got[0].position, pos(config, '[Server]', '[Server]'.length));
});

test('an ANSI (Windows-1252) upgrade.ini on disk: the summary has one ansi-encoding warning and the other checks ran, no error at 1:1', async () => {
  const client = await start();
  const { dir, config } = pinnedFixture('nsu-lsp-i11-', { full: 3_000, patch: 500, seed: 14 });
  const path = join(dir, 'upgrade.ini');
  // Notepad's "ANSI": one é (0xE9) in a comment, and one real problem further down.
  writeFileSync(path, Buffer.concat([Buffer.from('; Caf'), Buffer.from([0xe9]), Buffer.from(`\n${config}[Setpu]\n`)]));
  const summary = await client.request<ConfigSummary | null>(CONFIG_SUMMARY_REQUEST, { uri: pathToFileURL(path).toString() });
  assert.ok(summary);
  assert.equal(summary.encoding, 'windows-1252');
  assert.equal(summary.ok, true, JSON.stringify(summary.problems));
  assert.deepEqual(summary.problems.map((p) => [p.code, p.line]), [['ansi-encoding', 1], ['unknown-section', config.split('\n').length + 1]]);
  assert.match(summary.problems[0].message, /Windows-1252/);
});
