// [Rollout] over a real server process on stdio (issue 12): client names from
// the workspace's fleet file and from the inventory the editor sends
// (nsupgrade/knownClients), hover in words and in counts, zones, and a quick
// fix taken from a diagnostic.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeAction, CompletionList, Hover } from 'vscode-languageserver-types';
import { applyEdits, LspClient } from './harness';
import { tempDir } from '../tempDir';
import { KNOWN_CLIENTS_NOTIFICATION, type InventoryClientView } from '../../server/src/views/messages';
import { knownNames } from '../../client/src/inventory';

let client: LspClient;
let dir: string;
const TEXT = ['[Upgrade]', 'CurrentVersion = 5.20.12', 'Mode = Forced', 'FullSetup = Netphone_520.exe', '[Rollout]', 'Percent = 50', 'Pilot = ', 'Exclude = front-*, front-*', 'ForcedHours = Mon-Fri 18:00-07:00', 'TimeZone = Europe/Berlin', ''].join('\n');

before(async () => {
  dir = tempDir('nsu-rollout-lsp-');
  writeFileSync(join(dir, 'fleet.csv'), 'version,count,name\n5.10.3,3,pilot\n5.11.1,1,front-desk\n4.90,2,\n');
  client = await LspClient.start({ watchedFiles: false });
});

after(async () => {
  assert.equal(await client.stop(), 0);
});

const position = (text: string, line: number, column: number | 'end') => ({ line, character: column === 'end' ? text.split('\n')[line].length : column });

test('Pilot offers the desks of the workspace\'s fleet file, then also those the editor sends', async () => {
  const uri = client.open(join(dir, 'upgrade.ini'), TEXT);
  await client.diagnostics(uri, 1);
  const ask = async (): Promise<string[]> => (await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: position(TEXT, 6, 'end') })).items.map((i) => i.label);
  // front-desk is matched by Exclude's front-*: it would never be upgraded first.
  assert.deepEqual((await ask()).sort(), ['desk-005', 'desk-006', 'pilot-001', 'pilot-002', 'pilot-003']);
  client.rpc.sendNotification(KNOWN_CLIENTS_NOTIFICATION, { names: ['ops-console', 'PILOT-001', 'front-9'] });
  const withInventory = await ask();
  assert.ok(withInventory.includes('ops-console'), withInventory.join(' '));
  assert.equal(withInventory.filter((n) => n.toLowerCase() === 'pilot-001').length, 1, 'a name known twice is offered once');
  assert.ok(!withInventory.includes('front-9'));
  const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: position(TEXT, 5, 11) });
  assert.match((hover.contents as { value: string }).value, /Of the \*\*8 known clients\*\* it takes in \*\*\d+\*\*.*2 excluded/);
});

test('a window in words, the zones, and a quick fix from the diagnostic', async () => {
  const uri = client.open(join(dir, 'b.upgrade.ini'), TEXT);
  const diags = await client.diagnostics(uri, 1);
  const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: position(TEXT, 8, 20) });
  assert.match((h.contents as { value: string }).value, /weekdays from 18:00 to 07:00 the next morning, Europe\/Berlin/);
  const zones = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: position(TEXT, 9, 'end') });
  assert.ok(zones.items.some((i) => i.label === 'Europe/Berlin') && zones.items.some((i) => i.label === 'UTC'));
  const dup = diags.find((d) => d.code === 'duplicate-name');
  assert.ok(dup, JSON.stringify(diags.map((d) => d.code)));
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: dup.range, context: { diagnostics: [dup] } });
  const fix = actions.find((a) => a.isPreferred);
  assert.ok(fix?.edit?.changes?.[uri]);
  const fixed = applyEdits(TEXT, fix.edit.changes[uri]);
  assert.ok(fixed.includes('Exclude = front-*\n'), fixed);
  const v = client.change(uri, fixed);
  assert.ok(!(await client.diagnostics(uri, v)).some((d) => d.code === 'duplicate-name'));
});

test('the names the extension sends from the inventory (knownNames of the inventory reply): offered in Pilot while the server runs, gone once an empty list says it stopped', async () => {
  const other = tempDir('nsu-rollout-inv-');
  const text = ['[Upgrade]', 'CurrentVersion = 5.20.12', 'FullSetup = Netphone_520.exe', '[Rollout]', 'Percent = 10', 'Pilot = ', ''].join('\n');
  const uri = client.open(join(other, 'upgrade.ini'), text);
  await client.diagnostics(uri, 1);
  const ask = async (): Promise<string[]> => (await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: position(text, 5, 'end') })).items.map((i) => i.label);
  assert.ok(!(await ask()).includes('inv-desk-42'), 'no file of the workspace names it');
  const entry = (name: string, lastLogin: string): InventoryClientView => ({ name, lastLogin, address: '10.0.0.42', version: '5.10.3', decision: { action: 'allow', reason: 'held-back' }, outcome: 'let-in' });
  // As the extension sends them: the inventory reply (least recent first) through knownNames.
  client.rpc.sendNotification(KNOWN_CLIENTS_NOTIFICATION, { names: knownNames([entry('INV-DESK-42', '2026-11-28T09:00:00Z'), entry('inv-desk-42', '2026-11-28T10:00:00Z')]) });
  const running = await ask();
  assert.deepEqual(running.filter((n) => n.toLowerCase() === 'inv-desk-42'), ['inv-desk-42'], running.join(' '));
  client.rpc.sendNotification(KNOWN_CLIENTS_NOTIFICATION, { names: [] });
  assert.ok(!(await ask()).some((n) => n.toLowerCase() === 'inv-desk-42'));
});
