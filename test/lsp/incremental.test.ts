// The server checks an edited document incrementally (only the lines the
// edits touched are read again): over stdio, after any run of edits, what it
// publishes is what it publishes for the same text opened fresh, and hover
// and completion answer from the edited text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import fc from 'fast-check';
import type { CompletionList, Hover } from 'vscode-languageserver-types';
import { LineMap } from '../../server/src/config';
import { LspClient } from './harness';
import { tempDir } from '../tempDir';

let client: LspClient;
let dir: string;

before(async () => {
  dir = tempDir('nsu-incremental-');
  client = await LspClient.start();
});

after(async () => {
  assert.equal(await client.stop(), 0);
});

const START = '; site\r\n[Upgrade]\r\nCurrentVersion = 5.20.12\r\nFullSetup = Netphone_5.19.9.exe\r\nPatchFile = NP.exe\r\nPatchable = 5.10.*, 5.11.1 - 5.11.99, 5.10.3, >=5.12 <5.19\r\n[Stup]\r\nRestartIfBusy = No\r\n';
const piece = fc.constantFrom('', '\r\n', '\n', ',', ', 5.1', 'x = 1\r\n[Rollout]\r\nPercent = 5\r\n', 'Patchable = 4.*, 5.10.3\r\n', '5', ' - ', '[Server]\r\n', 'Port = 80\r\n', ';', 'x', '🙂', 'Mode = Optional\r\n', '>=', '5.19.4');

test('after any run of incremental edits, the diagnostics are those of the same text opened fresh', async () => {
  const runs = fc.sample(fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), piece), { minLength: 1, maxLength: 6 }), { numRuns: 60, seed: 10 });
  let n = 0;
  for (const edits of runs) {
    let text = START;
    const uri = client.open(join(dir, `edited${n}.ini`), text);
    let version = 1;
    for (const [at, len, insert] of edits) {
      const map = new LineMap(text);
      const start = at % (text.length + 1);
      // Never split a CRLF or a surrogate pair: an editor's edits start and end between characters.
      const s = text[start - 1] === '\r' || /[\udc00-\udfff]/.test(text[start] ?? '') ? start - 1 : start;
      let e = Math.min(text.length, s + len);
      if (text[e - 1] === '\r' || /[\udc00-\udfff]/.test(text[e] ?? '')) e++;
      version = client.edit(uri, { range: { start: map.positionAt(s), end: map.positionAt(e) }, newText: insert });
      text = text.slice(0, s) + insert + text.slice(e);
    }
    // Related places name their own document: compare without it.
    const plain = (d: unknown): string => JSON.stringify(d).replace(/"uri":"[^"]*"/g, '');
    const edited = await client.diagnostics(uri, version);
    const fresh = await client.diagnostics(client.open(join(dir, `fresh${n}.ini`), text), 1);
    assert.equal(plain(edited), plain(fresh), `after ${JSON.stringify(edits)}: ${JSON.stringify(text)}`);
    client.close(uri);
    n++;
  }
});

test('hover and completion right after an edit answer from the edited text', async () => {
  const uri = client.open(join(dir, 'typing.ini'), START);
  await client.diagnostics(uri, 1);
  const line = 5;
  const end = START.split('\r\n')[line].length;
  client.edit(uri, { range: { start: { line, character: end }, end: { line, character: end } }, newText: ', 5.19.4 - ' });
  const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line, character: end + ', 5.19.4 - '.length } });
  assert.deepEqual(list.items.map((i) => i.label), ['5.19.9'], 'the upper bound the file name suggests');
  client.edit(uri, { range: { start: { line, character: end + 11 }, end: { line, character: end + 11 } }, newText: '5.19.9' });
  const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line, character: end + 14 } });
  assert.match(JSON.stringify(h.contents), /5\.19\.4 <= version <= 5\.19\.9/);
});
