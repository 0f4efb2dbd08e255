// The views' data from the language server, over stdio: the config summary
// (problems, files, the decision table) for open documents and for files on
// disk (UTF-16 too, as `nsupgrade check` reads them), the hash edits of
// Update File Hashes, the diagnostics' links to the docs, the file watchers
// it asks for, and one validation per change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-types';
import { CONFIG_SUMMARY_REQUEST, FILE_HASH_EDITS_REQUEST, type ConfigSummary, type FileHashEditsResult } from '../../server/src/views/messages';
import { applyEdits, LspClient, pinnedFixture } from './harness';
import { sha256 } from '../upgrade/helpers';

const ROOT = join(__dirname, '..', '..');
let client: LspClient;
let dir: string;
let full: Buffer;
let patch: Buffer;
let CONFIG: string;

before(async () => {
  ({ dir, full, patch, config: CONFIG } = pinnedFixture('nsu-lsp-summary-', { full: 20_000, patch: 2_000, seed: 31 }));
  client = await LspClient.start();
});

after(async () => {
  assert.equal(await client.stop(), 0);
});

test('an open config: its summary follows each version, with the decision table of spec section 5', async () => {
  const uri = client.open(join(dir, 'a.ini'), CONFIG);
  const s = await client.summary(uri, 1);
  assert.equal(s.ok, true);
  assert.deepEqual(s.counts, { error: 0, warning: 0, information: 0, hint: 0 });
  assert.equal(s.upgradeLine, 2, '[Upgrade] is the third line');
  assert.equal(s.upgrade.currentVersion, '5.20.12');
  assert.equal(s.upgrade.mode, 'forced', 'Mode defaults to Forced (spec section 2)');
  assert.deepEqual(s.upgrade.patchable.map((p) => p.text), ['5.10.*', '5.11.1 - 5.11.99']);
  assert.equal(s.fileRoot, join(dir, 'files'));
  assert.deepEqual(
    s.files.map((f) => [f.key, f.relPath, f.size, f.hash]),
    [
      ['FullSetup', 'Netphone_520.exe', full.length, 'matches'],
      ['PatchFile', 'NP_Update.exe', patch.length, 'matches'],
    ],
  );
  assert.ok('login' in s.decisions, JSON.stringify(s.decisions));
  const rows = s.decisions.rows.map((r) => [r.label, r.sample, r.decision.action, r.decision.reason, 'file' in r.decision ? r.decision.file : undefined]);
  assert.deepEqual(rows, [
    ['CurrentVersion', '5.20.12', 'allow', 'current', undefined],
    ['newer', '5.20.12.1', 'allow', 'newer', undefined],
    ['Patchable 5.10.*', '5.10', 'patch', 'patchable', 'NP_Update.exe'],
    ['Patchable 5.11.1 - 5.11.99', '5.11.1', 'patch', 'patchable', 'NP_Update.exe'],
    // The highest version below CurrentVersion that no item matches.
    ['older, not patchable', '5.20.11.65535', 'full', 'not-patchable', 'Netphone_520.exe'],
  ]);

  // An edit: the next summary has the error, the line it is on, and no decisions.
  const v = client.change(uri, CONFIG.replace('CurrentVersion = 5.20.12', 'CurrentVersion = 5.20.x'));
  const broken = await client.summary(uri, v);
  assert.equal(broken.ok, false);
  assert.equal(broken.counts.error, 1);
  assert.deepEqual(broken.problems.map((p) => [p.line, p.code]), [[4, 'invalid-version']]);
  assert.ok('unavailable' in broken.decisions);
});

test('a UTF-16 config on disk, not open: the summary is what nsupgrade check says of it', async () => {
  const sub = join(dir, 'utf16');
  mkdirSync(join(sub, 'files'), { recursive: true });
  writeFileSync(join(sub, 'files', 'Netphone_520.exe'), full);
  writeFileSync(join(sub, 'files', 'NP_Update.exe'), patch);
  const path = join(sub, 'upgrade.ini');
  // UTF-16 LE with a BOM, as Windows Notepad writes it; one warning (an unknown key).
  const text = CONFIG.replace('[Server]', '[Server]\nColour = blue');
  writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  const s = await client.request<ConfigSummary | null>(CONFIG_SUMMARY_REQUEST, { uri: pathToFileURL(path).toString() });
  assert.ok(s);
  assert.equal(s.encoding, 'utf-16le');
  assert.equal(s.version, null, 'read from disk');

  const cli = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'check', path, '--format', 'json'], { encoding: 'utf8' });
  const checked = JSON.parse(cli.stdout) as { line: number; column: number; severity: string; code: string }[];
  assert.equal(cli.status, 0, cli.stderr);
  assert.deepEqual(checked.map((d) => [d.line, d.code]), [[2, 'unknown-key']]);
  assert.deepEqual(s.problems.map((p) => [p.line, p.code]), checked.map((d) => [d.line, d.code]));
  assert.equal(s.ok, true);
  assert.equal(s.counts.warning, 1);
  assert.equal(s.upgrade.currentVersion, '5.20.12');

  // Not open, yet watched: a change on disk sends a new summary.
  const before = client.summaries.length;
  writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace('5.20.12', '5.30'), 'utf16le')]));
  client.filesChanged([path]);
  await client.until(() => client.summaries.slice(before).some((x) => x.uri === s.uri && x.upgrade.currentVersion === '5.30'), 'a summary after the file changed');
});

test('Update File Hashes: the edits write the real SHA-256 of both files, and then nothing is left to fix', async () => {
  const text = CONFIG.replace(`FullSetupSha256 = ${sha256(full)}`, `FullSetupSha256 = ${'0'.repeat(64)}`).replace(`PatchFileSha256 = ${sha256(patch)}\n`, '');
  const uri = client.open(join(dir, 'hashes.ini'), text);
  const r = await client.request<FileHashEditsResult>(FILE_HASH_EDITS_REQUEST, { uri });
  const fixed = applyEdits(text, r.edits);
  // Which keys they write, for the editor's message (issue 11 item 8).
  assert.deepEqual(r.keys, ['FullSetupSha256', 'PatchFileSha256']);
  assert.match(fixed, new RegExp(`^FullSetupSha256 = ${sha256(full)}$`, 'm'));
  assert.match(fixed, new RegExp(`^PatchFileSha256 = ${sha256(patch)}$`, 'm'));
  const v = client.change(uri, fixed);
  assert.deepEqual(await client.diagnostics(uri, v), []);
  assert.deepEqual(await client.request<FileHashEditsResult>(FILE_HASH_EDITS_REQUEST, { uri }), { edits: [], keys: [] });
});

test('each diagnostic links to its code in docs/upgrade-ini.md, and the anchor is there', async () => {
  const uri = client.open(join(dir, 'links.ini'), CONFIG.replace(sha256(patch), '1'.repeat(64)).replace('[Server]', '[Server]\nColour = blue'));
  const diags: Diagnostic[] = await client.diagnostics(uri, 1);
  assert.deepEqual(diags.map((d) => d.code), ['unknown-key', 'hash-mismatch']);
  const docs = readFileSync(join(ROOT, 'docs', 'upgrade-ini.md'), 'utf8');
  for (const d of diags) {
    const href = d.codeDescription?.href ?? '';
    const [file, anchor] = href.split('#');
    assert.equal(fileURLToPath(file), join(ROOT, 'docs', 'upgrade-ini.md'));
    assert.equal(anchor, d.code);
    assert.ok(docs.includes(`<a id="${anchor}"></a>`), `docs/upgrade-ini.md has the anchor #${anchor}`);
  }
});

test('it watches the config files and the FileRoots open configs name, never the whole workspace', async () => {
  const uri = client.open(join(dir, 'watch.ini'), CONFIG);
  await client.diagnostics(uri, 1);
  await client.until(() => client.watchers().some(([, base]) => base === join(dir, 'files')), 'a watcher on FileRoot');
  const globs = client.watchers();
  assert.ok(!globs.some(([g, base]) => base === null && (g === '**/*' || g === '**')), `no watcher on everything: ${JSON.stringify(globs)}`);
  assert.deepEqual(globs.filter(([, base]) => base === null).map(([g]) => g).sort(), ['**/*.upgrade.ini', '**/upgrade.ini']);
  assert.ok(globs.filter(([, base]) => base !== null).every(([g, base]) => g === '**/*' && (base === join(dir, 'files') || base === join(dir, 'utf16', 'files'))), JSON.stringify(globs));

  // A config with a FileRoot of its own: watched while open, no more once closed.
  mkdirSync(join(dir, 'other', 'setups'), { recursive: true });
  const other = client.open(join(dir, 'other', 'upgrade.ini'), CONFIG.replace('FileRoot = files', 'FileRoot = setups'));
  await client.diagnostics(other, 1);
  await client.until(() => client.watchers().some(([, base]) => base === join(dir, 'other', 'setups')), 'a watcher on the other FileRoot');
  client.close(other);
  await client.until(() => !client.watchers().some(([, base]) => base === join(dir, 'other', 'setups')), 'the other FileRoot no longer watched');
});

test('a burst of edits while a setup file is hashed: one publication, of the last version, and the file hashed once', async () => {
  const big = join(dir, 'big');
  mkdirSync(join(big, 'files'), { recursive: true });
  // Big enough that hashing takes a while: later edits arrive during it.
  const blob = Buffer.alloc(48 * 1024 * 1024, 7);
  writeFileSync(join(big, 'files', 'Netphone_520.exe'), blob);
  writeFileSync(join(big, 'files', 'NP_Update.exe'), patch);
  const text = CONFIG.replace(sha256(full), sha256(blob));
  const path = join(big, 'upgrade.ini');
  const uri = pathToFileURL(path).toString();
  const firstPublished = client.published.get(uri)?.length ?? 0;
  client.open(path, text);
  let version = 1;
  for (let i = 0; i < 5; i++) version = client.change(uri, `${text}; edit ${i}\n`);
  const diags = await client.diagnostics(uri, version, 30_000);
  assert.deepEqual(diags, []);
  const versions = (client.published.get(uri) ?? []).slice(firstPublished).map((p) => p.version);
  assert.deepEqual(versions, [version], 'only the last version is validated and published');
  const hashed = client.logs.filter((l) => l.startsWith(`hashed ${join(big, 'files', 'Netphone_520.exe')}`));
  assert.equal(hashed.length, 1, client.logs.join('\n'));
});

test('closing a document stops its pending validation: nothing is published for it afterwards', async () => {
  const path = join(dir, 'closed.ini');
  const uri = client.open(path, CONFIG);
  await client.diagnostics(uri, 1);
  const v = client.change(uri, CONFIG.replace('5.20.12', '5.20.x'));
  client.close(uri);
  // The close clears the diagnostics; a later check (another document) proves the server moved on.
  const other = client.open(join(dir, 'after-close.ini'), CONFIG);
  await client.diagnostics(other, 1);
  await client.until(() => (client.published.get(uri) ?? []).some((p) => p.version === undefined && p.diagnostics.length === 0), 'the cleared diagnostics');
  assert.ok(!(client.published.get(uri) ?? []).some((p) => p.version === v), 'the version closed before its check never got diagnostics');
});
