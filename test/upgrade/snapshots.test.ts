// The server's private copies of the setup files (issue 10 items 2 and 5):
// a link swapped in after the load checked the name is never followed, and a
// reload that retries leaves no copy of its failed attempt behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SnapshotStore, FileChangedError } from '../../server/src/upgrade/snapshots';
import { bytes, configText, login, makeFixture, sha256, start } from './helpers';
import { tempDir } from '../tempDir';

test('a setup file swapped for a link after it was checked is not copied: the copy comes from a checked handle', async () => {
  const fx = makeFixture();
  const secret = bytes(4000, 99);
  mkdirSync(join(fx.dir, 'outside'));
  writeFileSync(join(fx.dir, 'outside', 'secret.bin'), secret);
  const root = join(fx.dir, 'files');
  const name = join(root, 'NP_Update.exe');
  // The load checked NP_Update.exe (inside) and hashed what the name led to
  // then; the attacker swaps the name for a link before the copy.
  symlinkSync(join(fx.dir, 'outside', 'secret.bin'), join(root, 'swap.tmp'));
  renameSync(join(root, 'swap.tmp'), name);
  const store = new SnapshotStore(tempDir('nsu-snap-'));
  try {
    // What the old code's by-name hash of the swapped name would have recorded.
    const info = { key: 'PatchFile' as const, relPath: 'NP_Update.exe', absPath: name, size: secret.length, sha256: sha256(secret), mtimeMs: 0 };
    await assert.rejects(store.take(info, root), (err: Error) => err instanceof FileChangedError && /became a link/.test(err.message));
  } finally {
    await store.close();
  }
});

test('a link swapped in and out during reloads is never served (over sockets)', async () => {
  const fx = makeFixture(configText(), 200_000, 300_000);
  const secret = bytes(300_000, 99);
  mkdirSync(join(fx.dir, 'outside'));
  writeFileSync(join(fx.dir, 'outside', 'secret.bin'), secret);
  const root = join(fx.dir, 'files');
  const name = join(root, 'NP_Update.exe');
  writeFileSync(join(root, 'patch.keep'), fx.patch);
  const { server, port } = await start(fx);
  let swapping = true;
  let swaps = 0;
  // Flip the name between the real patch and a link to the secret, as fast as the disk allows.
  const swapper = (async () => {
    while (swapping) {
      symlinkSync(join(fx.dir, 'outside', 'secret.bin'), join(root, 'link.tmp'));
      renameSync(join(root, 'link.tmp'), name);
      await new Promise((r) => setImmediate(r));
      writeFileSync(join(root, 'file.tmp'), fx.patch);
      renameSync(join(root, 'file.tmp'), name);
      swaps++;
      await new Promise((r) => setImmediate(r));
    }
  })();
  const offered = new Set<string>();
  try {
    for (let i = 0; i < 60; i++) {
      await server.reload();
      const { c, offer } = await login(port, '5.10.3');
      assert.ok(offer);
      offered.add(offer.sha256);
      c.close();
    }
  } finally {
    swapping = false;
    await swapper;
    await server.close();
  }
  assert.ok(swaps > 0);
  assert.ok(!offered.has(sha256(secret)), `the file outside FileRoot was offered (${swaps} swaps)`);
  assert.deepEqual([...offered], [sha256(fx.patch)]);
});

test('a reload that retries after a file changed mid-load keeps no copy of the failed attempt', async () => {
  const fx = makeFixture(configText(), 2_000_000);
  const snapshotDir = tempDir('nsu-snapdir-');
  const { server } = await start(fx, { snapshotDir });
  const full = join(fx.dir, 'files', 'Netphone_520.exe');
  const other = bytes(2_000_000, 8);
  let writing = true;
  // The full setup is rewritten in place over and over: a load hashes one
  // content and copies another, so its attempts fail after the patch was copied.
  const writer = (async () => {
    for (let k = 0; writing; k++) {
      writeFileSync(full, k % 2 ? fx.full : other);
      await new Promise((r) => setTimeout(r, 1));
    }
  })();
  try {
    for (let i = 0; i < 8; i++) await server.reload();
    writing = false;
    await writer;
    writeFileSync(full, fx.full);
    // A new patch: the old one's copy must go once nothing uses it.
    writeFileSync(join(fx.dir, 'files', 'NP_Update.exe'), bytes(5_000, 12));
    assert.equal(await server.reload(), true);
    const [folder] = readdirSync(snapshotDir);
    // A released copy is deleted in the background: give it a moment.
    let left = readdirSync(join(snapshotDir, folder));
    for (let i = 0; i < 100 && left.length > 2; i++) {
      await new Promise((r) => setTimeout(r, 20));
      left = readdirSync(join(snapshotDir, folder));
    }
    assert.equal(left.length, 2, `only the copies in use (the new patch and the full setup) stay on disk: ${left.join(', ')}`);
    assert.equal(server.config.files.patchFile?.sha256, sha256(bytes(5_000, 12)));
  } finally {
    writing = false;
    await writer;
    await server.close();
  }
});
