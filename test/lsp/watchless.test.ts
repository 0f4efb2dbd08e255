// Issue 10 item 13: in an editor that cannot watch files for the server
// (Neovim on Linux, 0.7 and 0.10), the file checks went stale: a replaced
// NP_Update.exe gave no hash-mismatch, even after :w. Now the server watches
// the folders that matter itself, and saving a config checks its files again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LspClient, pinnedFixture } from './harness';
import { bytes, sha256 } from '../upgrade/helpers';

const clients: LspClient[] = [];
after(async () => {
  for (const c of clients) assert.equal(await c.stop(), 0);
});

async function start(options: Parameters<typeof LspClient.start>[0]): Promise<LspClient> {
  const c = await LspClient.start(options);
  clients.push(c);
  return c;
}

test('without watched-file support, the server sees a setup file replaced under FileRoot by itself', async () => {
  const client = await start({ watchedFiles: false });
  assert.deepEqual((client.initializeResult.capabilities.textDocumentSync as { save?: unknown }).save, { includeText: false }, 'saves are asked for');
  const { dir, patch, config } = pinnedFixture('nsu-watchless-', { full: 3_000, patch: 1_000, seed: 7 });
  const uri = client.open(join(dir, 'upgrade.ini'), config);
  assert.deepEqual(await client.diagnostics(uri, 1), []);
  assert.equal(client.registrations.length, 0, 'nothing asked of an editor that cannot watch');
  const changed = bytes(1_200, 9);
  writeFileSync(join(dir, 'files', 'NP_Update.exe'), changed);
  const diags = await client.publishedWhere(uri, (d) => d.some((x) => x.code === 'hash-mismatch'));
  assert.match(diags.find((x) => x.code === 'hash-mismatch')!.message, new RegExp(sha256(changed)));
  // Put back: the error goes without any edit or save.
  writeFileSync(join(dir, 'files', 'NP_Update.exe'), patch);
  const count = client.published.get(uri)!.length;
  await client.publishedWhere(uri, (d) => client.published.get(uri)!.length > count && d.length === 0);
});

test('with the server\'s own watching turned off, saving the config checks its files again', async () => {
  const client = await start({ watchedFiles: false, initializationOptions: { watchFolders: false } });
  const { dir, config } = pinnedFixture('nsu-onsave-', { full: 3_000, patch: 1_000, seed: 11 });
  const uri = client.open(join(dir, 'upgrade.ini'), config);
  assert.deepEqual(await client.diagnostics(uri, 1), []);
  const changed = bytes(1_300, 12);
  writeFileSync(join(dir, 'files', 'NP_Update.exe'), changed);
  // Nothing tells the server until the save (the document's text is unchanged: :w of an unmodified buffer).
  client.saved(uri);
  const diags = await client.publishedWhere(uri, (d) => d.some((x) => x.code === 'hash-mismatch'));
  assert.match(diags.find((x) => x.code === 'hash-mismatch')!.message, new RegExp(sha256(changed)));
});
