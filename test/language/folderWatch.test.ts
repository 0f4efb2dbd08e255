// The server's own watching (issue 10 item 13), with the folder watcher
// injected so every rule shows: the set of folders follows the configs, a
// burst of events is one report, a folder that does not exist yet is tried
// again quietly, a watcher that fails is dropped and said.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FolderWatch, type WatchFolder } from '../../server/src/language/folderWatch';
import { foldersToWatch } from '../../server/src/language/watching';

function fake(): { watch: WatchFolder; open: Map<string, { event(name: string | null): void; fail(err: Error): void }>; missing: Set<string>; denied: Set<string> } {
  const open = new Map<string, { event(name: string | null): void; fail(err: Error): void }>();
  const missing = new Set<string>();
  const denied = new Set<string>();
  const watch: WatchFolder = (folder, onEvent, onError) => {
    if (missing.has(folder)) throw Object.assign(new Error('no such folder'), { code: 'ENOENT' });
    if (denied.has(folder)) throw Object.assign(new Error('denied'), { code: 'EACCES' });
    open.set(folder, { event: onEvent, fail: onError });
    return { close: () => void open.delete(folder) };
  };
  return { watch, open, missing, denied };
}

const settle = (ms = 30): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('the folders: a config\'s own, its FileRoot and those of its setup files, each once', () => {
  const root = join('/srv', 'office', 'files');
  assert.deepEqual(
    foldersToWatch([
      { uri: 'a', path: join('/srv', 'office', 'upgrade.ini'), fileRoot: root, files: [join(root, 'Netphone_520.exe'), join(root, 'patch', 'NP_Update.exe')] },
      { uri: 'b', path: null, fileRoot: '' },
    ]),
    [join('/srv', 'office'), root, join(root, 'patch')].sort(),
  );
});

test('it watches exactly the folders asked for, and a burst of events is one report', async () => {
  const f = fake();
  const reports: string[][] = [];
  const logs: string[] = [];
  const w = new FolderWatch((paths) => reports.push(paths.sort()), (m) => logs.push(m), f.watch, 10);
  w.update(['/a', '/b']);
  assert.deepEqual(w.folders, ['/a', '/b']);
  f.open.get('/a')!.event('x.exe');
  f.open.get('/a')!.event('x.exe');
  f.open.get('/b')!.event(null);
  await settle();
  assert.deepEqual(reports, [['/a/x.exe', '/b']], 'one report, each path once; a nameless event is the folder itself');
  w.update(['/b', '/c']);
  assert.deepEqual([...f.open.keys()].sort(), ['/b', '/c'], '/a stopped, /c started');
  w.dispose();
  assert.equal(f.open.size, 0);
  assert.deepEqual(logs, []);
});

test('a folder that does not exist yet is tried again quietly; one that cannot be watched is said once', () => {
  const f = fake();
  const logs: string[] = [];
  const w = new FolderWatch(() => undefined, (m) => logs.push(m), f.watch, 10);
  f.missing.add('/later');
  f.denied.add('/locked');
  w.update(['/later', '/locked']);
  w.update(['/later', '/locked']);
  assert.deepEqual(w.folders, []);
  assert.equal(logs.length, 1);
  assert.match(logs[0], /cannot watch \/locked \(EACCES\).*checked again when the config is saved/);
  f.missing.delete('/later');
  w.update(['/later', '/locked']);
  assert.deepEqual(w.folders, ['/later'], 'watched once it exists');
  w.dispose();
});

test('a watcher that fails is dropped, said, and counts as a change of its folder', async () => {
  const f = fake();
  const reports: string[][] = [];
  const logs: string[] = [];
  const w = new FolderWatch((paths) => reports.push(paths), (m) => logs.push(m), f.watch, 10);
  w.update(['/gone']);
  f.open.get('/gone')!.fail(new Error('the folder was removed'));
  await settle();
  assert.deepEqual(w.folders, []);
  assert.deepEqual(reports, [['/gone']]);
  assert.match(logs[0], /stopped watching \/gone: the folder was removed/);
  w.update(['/gone']);
  assert.deepEqual(w.folders, ['/gone'], 'the next update watches it again');
  w.dispose();
});
