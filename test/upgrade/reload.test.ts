// Live reload's faults (issue 9), over real sockets and real folders: a reload
// that throws does not stop the ones after it, reloads are one queue, the
// watchers follow FileRoot (a moved one's old folder let go, a deleted and
// recreated one watched again, with an event), and FileRoot errors say what
// is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileRootProblem } from '../../server/src/config/files';
import type { ServerEvent } from '../../server/src/upgrade/events';
import { ConfigErrorsError } from '../../server/src/upgrade/server';
import { bytes, configText, login, makeFixture, sha256, start, waitFor } from './helpers';

const reloaded = (e: ServerEvent): boolean => e.type === 'config-reloaded';

test('a reload that throws (a listener of its event) does not stop live reload for good', async () => {
  const fx = makeFixture();
  const { server, events } = await start(fx, { watch: true });
  let thrown = 0;
  server.on('event', (e: ServerEvent) => {
    if (e.type === 'config-reloaded' && thrown++ === 0) throw new Error('a log that failed');
  });
  try {
    fx.write(configText({ idle: 31 }));
    await waitFor(events, reloaded, 10_000);
    const failure = await waitFor(events, (e) => e.type === 'error', 10_000);
    assert.deepEqual(failure, { type: 'error', code: 'internal', message: 'live reload failed: a log that failed' });
    // The next change is still seen and loaded.
    fx.write(configText({ idle: 32 }));
    await waitFor(events, (e) => reloaded(e) && events.filter(reloaded).length === 2, 10_000);
    assert.equal(server.config.config.server.idleTimeout, 32);
  } finally {
    await server.close();
  }
});

test('reloads are one queue: a slow reload asked first never installs its older config last', async () => {
  const fx = makeFixture();
  const { server } = await start(fx);
  try {
    // A: a new 40 MB setup to hash and copy (slow). B, written after A was read: the small files already copied (fast).
    writeFileSync(join(fx.dir, 'files', 'Netphone_521.exe'), bytes(40_000_000, 5));
    fx.write(configText().replace('CurrentVersion = 5.20.12', 'CurrentVersion = 5.20.13').replace('FullSetup = Netphone_520.exe', 'FullSetup = Netphone_521.exe'));
    const first = server.reload();
    // Long enough for A's reload to have read the .ini, far shorter than hashing 40 MB.
    await new Promise((r) => setTimeout(r, 30));
    fx.write(configText().replace('CurrentVersion = 5.20.12', 'CurrentVersion = 5.20.14'));
    const second = server.reload();
    assert.deepEqual(await Promise.all([first, second]), [true, true]);
    assert.equal(server.config.config.upgrade.currentVersion?.text, '5.20.14');
  } finally {
    await server.close();
  }
});

test('when FileRoot moves, the old folder is no longer watched', async () => {
  const fx = makeFixture();
  mkdirSync(join(fx.dir, 'files2'));
  writeFileSync(join(fx.dir, 'files2', 'Netphone_520.exe'), fx.full);
  writeFileSync(join(fx.dir, 'files2', 'NP_Update.exe'), fx.patch);
  const { server } = await start(fx, { watch: true });
  try {
    assert.deepEqual(server.watchedFolders.sort(), [fx.dir, join(fx.dir, 'files')].sort());
    fx.write(configText().replace('FileRoot = files', 'FileRoot = files2'));
    assert.equal(await server.reload(), true);
    assert.deepEqual(server.watchedFolders.sort(), [fx.dir, join(fx.dir, 'files2')].sort());
  } finally {
    await server.close();
  }
});

test('a FileRoot deleted and created again is watched again: the event says so, and its new files are offered', async () => {
  // The config in conf/, FileRoot beside it: only the FileRoot watcher sees its files.
  const fx = makeFixture(configText().replace('FileRoot = files', 'FileRoot = ../files'));
  mkdirSync(join(fx.dir, 'conf'));
  const ini = join(fx.dir, 'conf', 'upgrade.ini');
  renameSync(fx.ini, ini);
  const { server, port, events } = await start({ ...fx, ini }, { watch: true });
  try {
    rmSync(join(fx.dir, 'files'), { recursive: true });
    const gone = await waitFor(events, (e) => e.type === 'watch-error', 10_000);
    assert.deepEqual(gone, { type: 'watch-error', folder: join(fx.dir, 'files'), message: 'it does not exist or is not a folder' });
    const refused = await waitFor(events, (e) => e.type === 'config-rejected', 10_000);
    assert.ok(refused.type === 'config-rejected' && refused.problems.some((p) => p.message.startsWith(`FileRoot ${join(fx.dir, 'files')} does not exist`)), JSON.stringify(refused));
    // Back, with a new patch: live reload finds it without a hand.
    const patch = bytes(7_000, 21);
    mkdirSync(join(fx.dir, 'files.tmp'));
    writeFileSync(join(fx.dir, 'files.tmp', 'Netphone_520.exe'), fx.full);
    writeFileSync(join(fx.dir, 'files.tmp', 'NP_Update.exe'), patch);
    renameSync(join(fx.dir, 'files.tmp'), join(fx.dir, 'files'));
    await waitFor(events, reloaded, 15_000);
    const { c, offer } = await login(port, '5.10.3');
    assert.equal(offer?.sha256, sha256(patch));
    c.close();
  } finally {
    await server.close();
  }
});

test('FileRoot errors say what is wrong: missing, a file, a link loop, permission denied', async () => {
  const fx = makeFixture();
  writeFileSync(join(fx.dir, 'plain.txt'), 'x');
  symlinkSync(join(fx.dir, 'loop-b'), join(fx.dir, 'loop-a'));
  symlinkSync(join(fx.dir, 'loop-a'), join(fx.dir, 'loop-b'));
  for (const [root, expected] of [
    ['missing', `FileRoot ${join(fx.dir, 'missing')} does not exist: create it or correct FileRoot (it is relative to the folder of this .ini file)`],
    ['plain.txt', `FileRoot ${join(fx.dir, 'plain.txt')} is not a folder (it, or a part of its path, is a file): correct FileRoot (it is relative to the folder of this .ini file)`],
    ['loop-a', `FileRoot ${join(fx.dir, 'loop-a')} is a loop of symbolic links: point the link at a real folder or correct FileRoot (it is relative to the folder of this .ini file)`],
  ]) {
    fx.write(configText().replace('FileRoot = files', `FileRoot = ${root}`));
    await assert.rejects(start(fx), (err: Error) => {
      assert.ok(err instanceof ConfigErrorsError);
      assert.deepEqual(
        err.problems.filter((p) => p.code === 'file-root-not-found').map((p) => p.message),
        [expected],
      );
      return true;
    });
  }
  // Tests run as root here, where no folder is out of reach: the wording of EACCES from its code.
  assert.equal(fileRootProblem('/srv/files', 'EACCES'), "FileRoot /srv/files cannot be opened: permission denied (the server's user must be able to read and enter it)");
});
