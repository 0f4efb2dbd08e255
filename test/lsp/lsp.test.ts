// The language server as any editor sees it: a real process over stdio.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { CodeAction, CompletionList, Diagnostic, DocumentSymbol, FoldingRange, Hover, TextEdit, DocumentLink } from 'vscode-languageserver-types';
import { compareVersions, parseVersion } from '../../server/src/config';
import { applyEdits, LspClient, pinnedFixture } from './harness';
import { sha256 } from '../upgrade/helpers';

let client: LspClient;
let dir: string;
let full: Buffer;
let patch: Buffer;
let CONFIG: string;

before(async () => {
  ({ dir, full, patch, config: CONFIG } = pinnedFixture('nsu-lsp-', { full: 20_000, patch: 2_000, seed: 1 }));
  client = await LspClient.start();
});

after(async () => {
  assert.equal(await client.stop(), 0, 'the server exits cleanly on shutdown/exit');
});

function pos(text: string, needle: string, delta = 0): { line: number; character: number } {
  const at = text.indexOf(needle) + delta;
  const before = text.slice(0, at).split(/\r\n|\n/);
  return { line: before.length - 1, character: before[before.length - 1].length };
}

test('diagnostics on open and on change, with codes and related information; file checks included', async () => {
  const path = join(dir, 'a.ini');
  const uri = client.open(path, CONFIG);
  assert.deepEqual(await client.diagnostics(uri, 1), []);
  const broken = CONFIG.replace('Patchable = 5.10.*', 'Mode = Forced\nMode = Optional\nPatchable = 5.10.*, >=5.0').replace(sha256(patch), '0'.repeat(64));
  const v = client.change(uri, broken);
  const diags = await client.diagnostics(uri, v);
  // 5.10.* and 5.11.1 - 5.11.99 lie inside >=5.0: redundant once it is bounded below.
  assert.deepEqual(diags.map((d) => d.code), ['hash-mismatch', 'duplicate-key', 'redundant-patchable-item', 'patchable-reaches-current', 'redundant-patchable-item']);
  const dup = diags.find((d) => d.code === 'duplicate-key')!;
  assert.deepEqual(dup.range.start, pos(broken, 'Mode = Optional'));
  assert.deepEqual(dup.relatedInformation?.[0].location.range.start, pos(broken, 'Mode = Forced'));
  assert.equal(dup.source, 'nsupgrade');
});

test('code actions fix the problem: apply the edit and the diagnostic is gone', async () => {
  const path = join(dir, 'b.ini');
  let text = CONFIG.replace('Patchable = 5.10.*', 'Patchable = 5.10.*, >=5.12, 5.10.3').replace(`PatchFileSha256 = ${sha256(patch)}`, `PatchFileSha256 = ${'f'.repeat(64)}`).replace('CurrentVersion', 'CurentVersion');
  const uri = client.open(path, text);
  let diags = await client.diagnostics(uri, 1);
  let version = 1;
  const codes = ['unknown-key', 'hash-mismatch', 'patchable-reaches-current', 'redundant-patchable-item'];
  for (const code of codes) {
    const d = diags.find((x) => x.code === code);
    assert.ok(d, `${code} is reported: ${JSON.stringify(diags.map((x) => x.code))}`);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix?.edit?.changes?.[uri], `${code} has a preferred fix`);
    text = applyEdits(text, fix.edit.changes[uri]);
    version = client.change(uri, text);
    diags = await client.diagnostics(uri, version);
    assert.ok(!diags.some((x) => x.code === code), `${code} is gone after "${fix.title}"`);
  }
  assert.match(text, /CurrentVersion = 5\.20\.12/);
  assert.match(text, new RegExp(`PatchFileSha256 = ${sha256(patch)}`));
  assert.equal(text.split('\n').find((l) => l.startsWith('Patchable')), 'Patchable = 5.10.*, >=5.12 <5.20.12, 5.11.1 - 5.11.99');
  assert.ok(!diags.some((d) => d.severity === 1), `no errors left: ${JSON.stringify(diags)}`);
});

test('a warning can be silenced from a code action', async () => {
  const text = CONFIG.replace('[Upgrade]', '[Extra]\n[Upgrade]');
  const uri = client.open(join(dir, 'c.ini'), text);
  const [d] = await client.diagnostics(uri, 1);
  assert.equal(d.code, 'unknown-section');
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
  const silence = actions.find((a) => a.title.startsWith('Silence unknown-section on this line'))!;
  const v = client.change(uri, applyEdits(text, silence.edit!.changes![uri]));
  assert.deepEqual(await client.diagnostics(uri, v), []);
});

test('completion inside Patchable: items, versions below CurrentVersion only, after "-" and after an operator', async () => {
  const text = CONFIG.replace('Patchable = 5.10.*, 5.11.1 - 5.11.99', 'Patchable = 5.10.3, 5.11.1 - 5.11.99, ');
  const uri = client.open(join(dir, 'd.ini'), text);
  // The trailing ", " is an error: the checks ran before completion is asked.
  assert.deepEqual((await client.diagnostics(uri, 1)).map((d) => d.code), ['trailing-comma']);
  const at = (needle: string, delta: number): Promise<CompletionList> => client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: pos(text, needle, delta) });
  const fresh = await at('5.11.99, ', 9);
  const labels = fresh.items.map((i) => i.label);
  assert.ok(labels.includes('range') && labels.includes('comparators') && labels.includes('wildcard'), labels.join(' '));
  assert.ok(!labels.includes('5.11.99') && !labels.includes('5.10.3'), 'versions the list matches already add nothing (issue 10 item 14)');
  assert.ok(!labels.includes('5.20.12'), 'never CurrentVersion as an item');
  assert.ok(fresh.items.filter((i) => i.kind === 15).every((i) => /^adds /.test(i.detail ?? '')), 'each snippet says what it adds');
  const afterDash = await at('5.11.1 - ', 9);
  // Compared as versions (as strings, '5.9' > '5.11.1'): no upper bound below the lower one (an empty range), none at CurrentVersion or above.
  const lower = parseVersion('5.11.1')!;
  const current = parseVersion('5.20.12')!;
  const bounds = afterDash.items.map((i) => parseVersion(i.label));
  assert.ok(bounds.length > 0, 'upper bounds are offered');
  for (const [i, b] of bounds.entries()) {
    assert.ok(b, `"${afterDash.items[i].label}" is a version`);
    assert.ok(compareVersions(b, lower) >= 0 && compareVersions(b, current) < 0, `${b.text} lies from 5.11.1 up to below 5.20.12`);
  }
  // A blank line in [Upgrade]: the keys not written yet, never one already there.
  const withBlank = text.replace('CurrentVersion = 5.20.12\n', 'CurrentVersion = 5.20.12\n\n');
  let v = client.change(uri, withBlank);
  await client.diagnostics(uri, v);
  const keys = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: pos(withBlank, 'CurrentVersion = 5.20.12\n', 'CurrentVersion = 5.20.12\n'.length) });
  const keyLabels = keys.items.map((i) => i.label);
  assert.ok(keyLabels.includes('Mode') && keyLabels.includes('Enabled'), keyLabels.join(' '));
  assert.ok(!keyLabels.includes('CurrentVersion') && !keyLabels.includes('FullSetup'), `keys already written are not offered: ${keyLabels.join(' ')}`);
  // A new section line: missing sections are offered ([Rollout] is spec v2's).
  v = client.change(uri, `${text}\n[`);
  await client.diagnostics(uri, v);
  const sections = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: text.split('\n').length, character: 1 } });
  assert.deepEqual(sections.items.map((i) => i.label), ['[Setup]', '[Rollout]']);
});

test('hover: a key, a Patchable item and a file', async () => {
  const uri = client.open(join(dir, 'e.ini'), CONFIG);
  await client.diagnostics(uri, 1);
  const h = (needle: string, delta = 1): Promise<Hover | null> => client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: pos(CONFIG, needle, delta) });
  const key = await h('FileRoot');
  assert.match(JSON.stringify(key?.contents), /folder holding the setup files/);
  const item = await h('5.11.1 - 5.11.99');
  assert.match(JSON.stringify(item?.contents), /5\.11\.1 <= version <= 5\.11\.99/);
  assert.match(JSON.stringify(item?.contents), /NP_Update\.exe/);
  const file = await h('Netphone_520.exe', 2);
  assert.match(JSON.stringify(file?.contents), new RegExp(sha256(full)));
  assert.match(JSON.stringify(file?.contents), /20,000 bytes/);
});

test('outline, folding, links and formatting', async () => {
  const messy = '; header\r\n[server]\r\n  fileroot=files   \r\n\r\n[Upgrade] ; main\r\ncurrentversion=5.20.12\r\nFullSetup   =Netphone_520.exe\r\nPatchFile=NP_Update.exe\r\nPatchable=5.10.*,5.11.1-5.11.99 ,>= 5.12 <5.13\r\n';
  const uri = client.open(join(dir, 'f.ini'), messy);
  await client.diagnostics(uri, 1);
  const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.deepEqual(symbols.map((s) => [s.name, s.children?.map((c) => c.name)]), [['server', ['fileroot']], ['Upgrade', ['currentversion', 'FullSetup', 'PatchFile', 'Patchable']]]);
  const folds = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
  assert.deepEqual(folds.map((f) => [f.startLine, f.endLine]), [[1, 2], [4, 8]]);
  const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri } });
  assert.equal(links.length, 3);
  const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
  const formatted = applyEdits(messy, edits);
  assert.equal(formatted, '; header\r\n[Server]\r\nFileRoot = files\r\n\r\n[Upgrade] ; main\r\nCurrentVersion = 5.20.12\r\nFullSetup = Netphone_520.exe\r\nPatchFile = NP_Update.exe\r\nPatchable = 5.10.*, 5.11.1 - 5.11.99, >=5.12 <5.13\r\n');
  const v = client.change(uri, formatted);
  const after = await client.diagnostics(uri, v);
  assert.deepEqual(after.map((d) => d.code), ['missing-sha256', 'missing-sha256'], 'only the hints about unpinned hashes');
  const again = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
  assert.deepEqual(again, [], 'formatting is idempotent');
});

test('positions on a line with non-ASCII text before the error are UTF-16 based', async () => {
  const text = CONFIG.replace('Patchable = 5.10.*', 'Patchable = 5.10.*, 5.ü') ;
  const uri = client.open(join(dir, 'g.ini'), text);
  const diags: Diagnostic[] = await client.diagnostics(uri, 1);
  const d = diags.find((x) => x.code === 'invalid-patchable-item')!;
  assert.deepEqual(d.range, { start: pos(text, '5.ü'), end: { line: pos(text, '5.ü').line, character: pos(text, '5.ü').character + 3 } });
});
