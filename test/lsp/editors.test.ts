// What a second editor found (issue 10, "Language server in any editor"),
// over a real server process on stdio as Neovim drives it: messages never
// hold half a character (item 12), a request missing a parameter gets
// InvalidParams (item 15), a space is no trigger character, and completion
// still comes after each trigger character, reading well when accepted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { CompletionItem, CompletionList } from 'vscode-languageserver-types';
import { hasLoneSurrogate } from '../../server/src/config';
import { applyEdits, LspClient } from './harness';
import { tempDir } from '../tempDir';

let client: LspClient;
let dir: string;

before(async () => {
  dir = tempDir('nsu-editors-');
  client = await LspClient.start({ watchedFiles: false });
});

after(async () => {
  assert.equal(await client.stop(), 0);
});

test('item 12: diagnostics of lines with emoji hold whole characters only', async () => {
  const long = `${'a'.repeat(56)}🙂 and more`;
  const text = `[Upgrade]\nCurrentVersion = 5.🙂\nFullSetup = x.exe\n${long}\n[${long}\n`;
  const uri = client.open(join(dir, 'emoji.ini'), text);
  const diags = await client.diagnostics(uri, 1);
  const messages = diags.map((d) => d.message);
  assert.ok(messages.some((m) => m.includes('"🙂" is not a digit')), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith(`"${'a'.repeat(56)}..."`)), messages.join('\n'));
  for (const m of messages) assert.ok(!hasLoneSurrogate(m), JSON.stringify(m));
});

test('item 15: a request without its range or position gets InvalidParams, and the server goes on', async () => {
  const uri = client.open(join(dir, 'params.ini'), '[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = x.exe\nMode = Forcd\n');
  await client.diagnostics(uri, 1);
  const failure = async (method: string, params: object): Promise<{ code: number; message: string }> => {
    try {
      await client.request(method, params);
    } catch (err) {
      return err as { code: number; message: string };
    }
    throw new Error(`${method} succeeded without its parameters`);
  };
  const noRange = await failure('textDocument/codeAction', { textDocument: { uri }, context: { diagnostics: [] } });
  assert.equal(noRange.code, -32602, 'InvalidParams, not InternalError (-32603)');
  assert.match(noRange.message, /codeAction needs range/);
  assert.equal((await failure('textDocument/completion', { textDocument: { uri } })).code, -32602);
  assert.equal((await failure('textDocument/hover', { textDocument: { uri }, position: { line: -1, character: 0 } })).code, -32602);
  assert.equal((await failure('textDocument/documentSymbol', {})).code, -32602);
  // The same request whole, without the optional context, works.
  const actions = await client.request<{ title: string }[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 3, character: 7 }, end: { line: 3, character: 7 } } });
  assert.ok(actions.some((a) => a.title === 'Change to Forced'), JSON.stringify(actions));
});

test('item 15: no blank among the trigger characters; completion after each trigger character reads well when accepted', async () => {
  const triggers = (client.initializeResult.capabilities.completionProvider as { triggerCharacters: string[] }).triggerCharacters;
  assert.ok(!triggers.includes(' '), JSON.stringify(triggers));
  assert.deepEqual([...triggers].sort(), [',', '-', '<', '=', '>', '['].sort());

  // Typed as a person would, asking for completion right after each trigger character (as an editor does).
  const head = '[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = Netphone_5.19.9.exe\nPatchFile = NP_Update.exe\n';
  const cases: [string, (items: CompletionItem[]) => CompletionItem | undefined, string][] = [
    [`${head}Mode =`, (items) => items.find((i) => i.label === 'Optional'), 'Mode = Optional'],
    [`${head}[`, (items) => items.find((i) => i.label === '[Setup]'), '[Setup]'],
    [`${head}Patchable = 5.10.3,`, (items) => items.find((i) => i.label === '5.19.9'), 'Patchable = 5.10.3, 5.19.9'],
    [`${head}Patchable =`, (items) => items.find((i) => i.label === '5.19.9'), 'Patchable = 5.19.9'],
    [`${head}Patchable = 5.11.1 -`, (items) => items.find((i) => i.label === '5.19.9'), 'Patchable = 5.11.1 - 5.19.9'],
    [`${head}Patchable = 5.10.3, >=5.11 <`, (items) => items.find((i) => i.label === '5.20.12'), 'Patchable = 5.10.3, >=5.11 <5.20.12'],
    [`${head}Patchable = 5.10.3, >`, (items) => items.find((i) => i.label === '5.10.3'), 'Patchable = 5.10.3, >5.10.3 <5.20.12'],
  ];
  let n = 0;
  for (const [text, pick, expected] of cases) {
    const uri = client.open(join(dir, `trigger${n++}.ini`), text);
    const lines = text.split('\n');
    const position = { line: lines.length - 1, character: lines[lines.length - 1].length };
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position, context: { triggerKind: 2, triggerCharacter: text[text.length - 1] } });
    const item = pick(list.items);
    assert.ok(item?.textEdit && 'range' in item.textEdit, `${JSON.stringify(text.slice(head.length))}: ${list.items.map((i) => i.label).join(' ')}`);
    const out = applyEdits(text, [item.textEdit]);
    assert.equal(out.split('\n').pop(), expected);
  }
});
