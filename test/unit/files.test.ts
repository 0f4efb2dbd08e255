// Spec section 4, file checks (the .ini on disk): confinement to FileRoot
// (`..`, links pointing outside), absolute paths, missing files, folders where
// a file is expected, SHA-256. Real temp folders and real symlinks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { mkdirSync, realpathSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, loadConfigText, type LoadedConfig } from '../../server/src/config';
import { tempDir, where, type Where } from './helpers';

const FULL = Buffer.from('full setup bytes\n'.repeat(100));
const PATCH = Buffer.from('patch bytes');
const OUTSIDE = Buffer.from('not for clients');
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const tmp = tempDir();
const root = join(tmp.dir, 'files');

before(() => {
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(join(root, 'folder.exe'));
  writeFileSync(join(root, 'Netphone_520.exe'), FULL);
  writeFileSync(join(root, 'sub', 'NP_Update.exe'), PATCH);
  writeFileSync(join(tmp.dir, 'outside.exe'), OUTSIDE);
  symlinkSync(join(tmp.dir, 'outside.exe'), join(root, 'link-out.exe')); // absolute target, outside
  symlinkSync('../outside.exe', join(root, 'rel-link-out.exe')); // relative target, outside
  symlinkSync('Netphone_520.exe', join(root, 'link-in.exe')); // stays inside
  symlinkSync(tmp.dir, join(root, 'dirlink')); // a folder link pointing outside
  symlinkSync('nowhere.exe', join(root, 'dangling.exe'));
});
after(() => tmp.cleanup());

let counter = 0;
/** Writes an .ini next to `files/` and loads it the way the CLI does. */
async function load(upgradeLines: string[], fileRoot = 'files'): Promise<{ loaded: LoadedConfig; all: Where[]; errs: Where[] }> {
  const text = ['[Server]', `FileRoot = ${fileRoot}`, '[Upgrade]', 'CurrentVersion = 5.20.12', ...upgradeLines, ''].join('\n');
  const path = join(tmp.dir, `u${counter++}.ini`);
  writeFileSync(path, text);
  const loaded = await loadConfig(path);
  const all = loaded.diagnostics.map((d) => where(loaded.text, d));
  return { loaded, all, errs: all.filter((d) => d.severity === 'error') };
}

function onlyError(errs: Where[], code: string): Where {
  assert.equal(errs.length, 1, `expected one error ${code}, got ${JSON.stringify(errs)}`);
  assert.equal(errs[0].code, code);
  return errs[0];
}

test('files inside FileRoot: no errors; size and SHA-256 of each file are reported', async () => {
  const { loaded, errs } = await load(['FullSetup = Netphone_520.exe', 'PatchFile = sub/NP_Update.exe', 'Patchable = 5.1']);
  assert.deepEqual(errs, []);
  assert.equal(loaded.ok, true);
  assert.equal(loaded.files.fullSetup?.size, FULL.length);
  assert.equal(loaded.files.fullSetup?.sha256, sha(FULL));
  assert.equal(loaded.files.fullSetup?.relPath, 'Netphone_520.exe');
  assert.equal(loaded.files.patchFile?.size, PATCH.length);
  assert.equal(loaded.files.patchFile?.sha256, sha(PATCH));
  assert.ok(loaded.files.fullSetup?.absPath.startsWith(realpathSync(root)));
});

test('a missing file: fixes naming the setups of FileRoot it probably meant, the close one preferred; links only when they lead to a file inside (issue 11 item 9)', async () => {
  const { loaded } = await load(['FullSetup = Netphone_502.exe', 'PatchFile = sub/NP_Update.exe']);
  const d = loaded.diagnostics.find((x) => x.code === 'file-not-found');
  assert.ok(d);
  // sub/NP_Update.exe is PatchFile's; link-out, rel-link-out, dangling and dirlink lead nowhere a setup may be; folder.exe is a folder.
  assert.deepEqual(d.fixes?.map((f) => [f.title, f.preferred]), [['Use Netphone_520.exe (in FileRoot)', true], ['Use link-in.exe (in FileRoot)', false]]);
  const edit = d.fixes![0].edits[0];
  assert.equal(loaded.text.slice(0, edit.span.start) + edit.newText + loaded.text.slice(edit.span.end), loaded.text.replace('Netphone_502.exe', 'Netphone_520.exe'));
  // Two names equally close: both offered, the higher version first, neither applied without asking.
  mkdirSync(join(tmp.dir, 'versions'));
  for (const f of ['Netphone_510.exe', 'Netphone_520.exe']) writeFileSync(join(tmp.dir, 'versions', f), FULL);
  const two = (await load(['FullSetup = Netphone_530.exe'], 'versions')).loaded.diagnostics.find((x) => x.code === 'file-not-found');
  assert.deepEqual(two?.fixes?.map((f) => [f.title, f.preferred]), [['Use Netphone_520.exe (in FileRoot)', false], ['Use Netphone_510.exe (in FileRoot)', false]]);
  // Nothing like it: no fix.
  const none = (await load(['FullSetup = Netphone_520.exe', 'PatchFile = notes.txt', 'Patchable = 5.1'])).loaded.diagnostics.find((x) => x.code === 'file-not-found');
  assert.deepEqual(none?.fixes, []);
});

test('a matching SHA-256 is accepted (either case of hex digits)', async () => {
  for (const h of [sha(FULL), sha(FULL).toUpperCase()]) {
    const { errs } = await load(['FullSetup = Netphone_520.exe', `FullSetupSha256 = ${h}`]);
    assert.deepEqual(errs, [], h);
  }
});

test('a SHA-256 that does not match the file: hash-mismatch on the hash value', async () => {
  const wrong = sha(PATCH);
  const { errs, loaded } = await load(['FullSetup = Netphone_520.exe', `FullSetupSha256 = ${wrong}`]);
  const d = onlyError(errs, 'hash-mismatch');
  assert.deepEqual([d.line, d.col, d.endCol], [6, 19, 19 + 64]);
  assert.equal(loaded.ok, false);
});

test('PatchFileSha256 mismatch', async () => {
  const { errs } = await load([
    'FullSetup = Netphone_520.exe',
    'PatchFile = sub/NP_Update.exe',
    `PatchFileSha256 = ${sha(FULL)}`,
    'Patchable = 5.1',
  ]);
  const d = onlyError(errs, 'hash-mismatch');
  assert.equal(d.line, 7);
});

test('.. that leaves FileRoot: path-outside-root on the value', async () => {
  for (const p of ['../outside.exe', 'sub/../../outside.exe', '..\\outside.exe']) {
    const { errs } = await load([`FullSetup = ${p}`]);
    const d = onlyError(errs, 'path-outside-root');
    assert.deepEqual([d.line, d.col, d.endCol], [5, 13, 13 + p.length], p);
  }
});

test('.. that stays inside FileRoot is fine', async () => {
  const { errs } = await load(['FullSetup = sub/../Netphone_520.exe']);
  assert.deepEqual(errs, []);
});

test('a symlink inside FileRoot pointing outside: path-outside-root', async () => {
  for (const p of ['link-out.exe', 'rel-link-out.exe', 'dirlink/outside.exe']) {
    const { errs, loaded } = await load([`FullSetup = ${p}`]);
    const d = onlyError(errs, 'path-outside-root');
    assert.equal(d.line, 5, p);
    assert.equal(loaded.files.fullSetup, undefined, `${p} must never be offered as a file`);
  }
});

test('a symlink that stays inside FileRoot is followed', async () => {
  const { errs, loaded } = await load(['FullSetup = link-in.exe']);
  assert.deepEqual(errs, []);
  assert.equal(loaded.files.fullSetup?.sha256, sha(FULL));
});

test('an absolute path is an error even when it points inside FileRoot', async () => {
  const abs = join(root, 'Netphone_520.exe');
  const { errs } = await load([`FullSetup = ${abs}`]);
  const d = onlyError(errs, 'absolute-path');
  assert.equal(d.line, 5);
  assert.equal(d.marked, abs);
});

test('a missing file: file-not-found on the value (FullSetup and PatchFile)', async () => {
  const full = await load(['FullSetup = Nope.exe']);
  const d = onlyError(full.errs, 'file-not-found');
  assert.deepEqual([d.line, d.col, d.endCol], [5, 13, 21]);
  const patch = await load(['FullSetup = Netphone_520.exe', 'PatchFile = sub/none.exe', 'Patchable = 5.1']);
  assert.equal(onlyError(patch.errs, 'file-not-found').line, 6);
});

test('a dangling symlink is a missing file, not a crash', async () => {
  const { errs } = await load(['FullSetup = dangling.exe']);
  assert.equal(errs.length, 1, JSON.stringify(errs));
  assert.equal(errs[0].line, 5);
});

test('a folder where a file is expected: not-a-file', async () => {
  for (const p of ['folder.exe', 'sub']) {
    const { errs } = await load([`FullSetup = ${p}`]);
    const d = onlyError(errs, 'not-a-file');
    assert.equal(d.marked, p);
  }
});

test('FileRoot is relative to the folder of the .ini, not the working directory', async () => {
  const { errs } = await load(['FullSetup = NP_Update.exe'], 'files/sub');
  assert.deepEqual(errs, []);
  assert.notEqual(process.cwd(), tmp.dir);
});

test('FileRoot that does not exist is an error', async () => {
  const { errs } = await load(['FullSetup = Netphone_520.exe'], 'no-such-folder');
  assert.ok(errs.length >= 1, 'an error');
  assert.ok(errs.some((e) => e.code === 'file-root-not-found'), JSON.stringify(errs));
});

test('loadConfigText checks an unsaved buffer against the files next to its path', async () => {
  const text = '[Server]\nFileRoot = files\n[Upgrade]\nCurrentVersion = 1.0\nFullSetup = Nope.exe\n';
  const loaded = await loadConfigText(text, join(tmp.dir, 'unsaved.ini'));
  assert.deepEqual(
    loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code),
    ['file-not-found'],
  );
});

test('a missing .ini: loadConfig rejects (the CLI turns this into exit 2)', async () => {
  await assert.rejects(loadConfig(join(tmp.dir, 'absent.ini')));
});

test('\\ separates folders too (Windows admins write it)', async () => {
  const { errs, loaded } = await load(['FullSetup = Netphone_520.exe', 'PatchFile = sub\\NP_Update.exe', 'Patchable = 5.1']);
  assert.deepEqual(errs, []);
  assert.equal(loaded.files.patchFile?.sha256, sha(PATCH));
});

test('a hash for a missing file: file-not-found only (no hash-mismatch guess)', async () => {
  const { errs } = await load(['FullSetup = Nope.exe', `FullSetupSha256 = ${sha(FULL)}`]);
  onlyError(errs, 'file-not-found');
});

test('PatchFile that is a folder: not-a-file on line 6', async () => {
  const { errs } = await load(['FullSetup = Netphone_520.exe', 'PatchFile = folder.exe', 'Patchable = 5.1']);
  assert.equal(onlyError(errs, 'not-a-file').line, 6);
});

test('a file that is outside FileRoot is never in `files`, even if it exists', async () => {
  const { loaded } = await load(['FullSetup = ../outside.exe']);
  assert.equal(loaded.files.fullSetup, undefined);
  assert.equal(loaded.ok, false);
});

test('a file replaced by one of the same size and the same mtime is hashed again (no stale hash)', async () => {
  // `cp -p`, `rsync -t` or an unzip keep mtimes: the hash cache must not
  // vouch for bytes it has not read (spec 4: a hash that does not match is an error)
  const target = join(root, 'Replaced.exe');
  const before = Buffer.from('AAAAAAAAAAAAAAAA');
  const after = Buffer.from('BBBBBBBBBBBBBBBB');
  const stamp = new Date('2026-01-02T03:04:05.000Z'); // whole seconds: utimes keeps it exactly
  writeFileSync(target, before);
  utimesSync(target, stamp, stamp);
  const first = await load(['FullSetup = Replaced.exe', `FullSetupSha256 = ${sha(before)}`]);
  assert.deepEqual(first.errs, []);
  writeFileSync(target, after);
  utimesSync(target, stamp, stamp);
  assert.equal(statSync(target).mtimeMs, stamp.getTime());
  const second = await load(['FullSetup = Replaced.exe', `FullSetupSha256 = ${sha(before)}`]);
  assert.equal(second.loaded.files.fullSetup?.sha256, sha(after), 'the reported hash is the hash of the bytes on disk');
  onlyError(second.errs, 'hash-mismatch');
});

test('property: file checks never throw, whatever the paths say; every span lies inside the text', async () => {
  const seg = fc.oneof(
    fc.constantFrom('..', '.', 'sub', 'Netphone_520.exe', 'link-out.exe', 'dirlink', 'folder.exe', '', '\0', 'é😀', '~', 'C:', '\\\\srv', 'x'.repeat(300)),
    fc.string({ maxLength: 6 }),
  );
  const path = fc.tuple(fc.array(seg, { minLength: 1, maxLength: 4 }), fc.constantFrom('/', '\\')).map(([parts, sep]) => parts.join(sep));
  await fc.assert(
    fc.asyncProperty(path, path, fc.constantFrom('files', '.', '..', 'files/sub', 'nope'), async (full, patch, fileRoot) => {
      const clean = (s: string): string => s.replace(/[\r\n]/g, '');
      const text = `[Server]\nFileRoot = ${fileRoot}\n[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = ${clean(full)}\nPatchFile = ${clean(patch)}\nPatchable = 5.1\n`;
      const loaded = await loadConfigText(text, join(tmp.dir, 'prop.ini'));
      for (const d of loaded.diagnostics) {
        assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length, d.code);
      }
      for (const f of [loaded.files.fullSetup, loaded.files.patchFile]) {
        if (f) assert.ok(f.absPath.startsWith(`${realpathSync(join(tmp.dir, fileRoot))}/`), `${f.absPath} is inside FileRoot`);
      }
    }),
    { numRuns: 300 },
  );
});
