// nsupgrade as a user runs it: the bundled dist/cli.js in a child process,
// checked against spec section 6 (formats, fields, exit codes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonDiagnostic } from '../../server/src/cli/format';
import { tempDir } from '../tempDir';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const EXAMPLES = join(__dirname, '..', '..', 'examples');

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}


test('check: the valid example prints nothing and exits 0', () => {
  const r = run('check', join(EXAMPLES, 'upgrade.ini'));
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
});

test('check: the broken example reports each problem where it is, exit 1', () => {
  const file = join(EXAMPLES, 'broken.ini');
  const r = run('check', file, '--format', 'json');
  assert.equal(r.code, 1);
  const got = (JSON.parse(r.stdout) as JsonDiagnostic[]).map((d) => `${d.line}:${d.column} ${d.code}`);
  // Each line of broken.ini below its comment holds one mistake; find them by text.
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = (needle: string, code: string): string => {
    const line = lines.findIndex((l) => !l.startsWith(';') && l.includes(needle));
    assert.ok(line >= 0, needle);
    return `${line + 1}:${lines[line].indexOf(needle) + 1} ${code}`;
  };
  const expected = [
    at('87670', 'number-out-of-range'),
    at('0.0.0.0', 'network-bind'),
    at('CurrentVersoin', 'unknown-key'),
    at('Yess', 'invalid-boolean'),
    at('0000000000', 'hash-mismatch'),
    at('NP_Patch.exe', 'file-not-found'),
    at('5.10.*', 'redundant-patchable-item'), // inside >=5.0, which is wrong itself but still contains it
    at('5.10.3', 'redundant-patchable-item'),
    at('>=5.0', 'patchable-reaches-current'),
    at('5.x', 'invalid-patchable-item'),
    `${lines.findIndex((l) => l.startsWith('Patchable')) + 1}:${lines.find((l) => l.startsWith('Patchable'))!.lastIndexOf(',') + 1} trailing-comma`,
    `${lines.lastIndexOf('Mode = Optional') + 1}:1 duplicate-key`,
    at('Stup', 'unknown-section'),
  ];
  assert.deepEqual(got, expected);
});

test('check: JSON fields are 1-based with an exclusive end', () => {
  const dir = tempDir('nsu-cli-');
  const file = join(dir, 'u.ini');
  writeFileSync(file, '[Upgrade]\r\nCurrentVersion = 5.2x\r\n');
  const r = run('check', file, '--format=json');
  const d = (JSON.parse(r.stdout) as JsonDiagnostic[]).find((x) => x.code === 'invalid-version')!;
  assert.deepEqual([d.line, d.column, d.endLine, d.endColumn, d.severity], [2, 18, 2, 22, 'error']);
  assert.equal(d.file, file);
});

test('check: text output reads like a compiler, with the text marked', () => {
  const r = run('check', join(EXAMPLES, 'broken.ini'));
  assert.match(r.stdout, /broken\.ini:\d+:\d+ error Port = 87670 is out of range.* \[number-out-of-range\]/);
  assert.match(r.stdout, /\| Port = 87670\n\s+\|\s{8}\^{5}\n/);
  assert.ok(!r.stdout.includes('\x1b['), 'no colour when not on a terminal');
});

test('check: exit 2 for a missing file or bad arguments', () => {
  assert.equal(run('check', '/nonexistent/upgrade.ini').code, 2);
  assert.match(run('check', '/nonexistent/upgrade.ini').stderr, /no such file/);
  assert.equal(run('check').code, 2);
  assert.equal(run('check', join(EXAMPLES, 'upgrade.ini'), '--format', 'xml').code, 2);
  assert.equal(run('frobnicate').code, 2);
});

test('check: a UTF-16 file with BOM reads like UTF-8, NUL bytes without a BOM are one error at 1:1', () => {
  const dir = tempDir('nsu-cli-');
  const u16 = join(dir, 'u16.ini');
  writeFileSync(u16, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('[Upgrade]\nCurrentVersion = 5.x\n', 'utf16le').swap16()]));
  const d = JSON.parse(run('check', u16, '--format', 'json').stdout) as JsonDiagnostic[];
  assert.deepEqual(d.map((x) => `${x.line}:${x.column} ${x.code}`), ['1:2 missing-key', '2:18 invalid-version']);
  const bad = join(dir, 'bad.ini');
  writeFileSync(bad, Buffer.from([0x5b, 0xff, 0xfe, 0x00, 0x5d]));
  const e = JSON.parse(run('check', bad, '--format', 'json').stdout) as JsonDiagnostic[];
  assert.deepEqual(e.map((x) => `${x.line}:${x.column} ${x.code}`), ['1:1 bad-encoding']);
});

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

test('decide: every path of spec section 5 on the example', () => {
  const ini = join(EXAMPLES, 'upgrade.ini');
  const decide = (v: string): Record<string, unknown> => {
    const r = run('decide', ini, '--client-version', v, '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };
  const patch = join(EXAMPLES, 'files', 'NP_Update.exe');
  const full = join(EXAMPLES, 'files', 'Netphone_520.exe');
  assert.deepEqual(decide('5.10.3'), { action: 'patch', reason: 'patchable', mode: 'optional', file: 'NP_Update.exe', size: readFileSync(patch).length, sha256: sha256(patch) });
  assert.deepEqual(decide('4.0'), { action: 'full', reason: 'not-patchable', mode: 'optional', file: 'Netphone_520.exe', size: readFileSync(full).length, sha256: sha256(full) });
  assert.deepEqual(decide('5.20.12'), { action: 'allow', reason: 'current' });
  assert.deepEqual(decide('5.20.12.0'), { action: 'allow', reason: 'current' });
  assert.deepEqual(decide('6.0'), { action: 'allow', reason: 'newer' });
  assert.deepEqual(decide('five'), { action: 'reject', reason: 'bad-version' });
  assert.equal(decide('5.19.9').action, 'patch');
  assert.equal(decide('5.20.4').action, 'full');
});

test('decide: Enabled = No lets everyone in; a config with errors exits 1 and says why', () => {
  const dir = tempDir('nsu-cli-');
  mkdirSync(join(dir, 'files'));
  writeFileSync(join(dir, 'files', 'full.exe'), 'x');
  writeFileSync(join(dir, 'off.ini'), '[Server]\nFileRoot = files\n[Upgrade]\nEnabled = No\nCurrentVersion = 2.0\nFullSetup = full.exe\n');
  const r = run('decide', join(dir, 'off.ini'), '--client-version', '1.0', '--format', 'json');
  assert.deepEqual(JSON.parse(r.stdout), { action: 'allow', reason: 'upgrades-disabled' });
  const bad = run('decide', join(EXAMPLES, 'broken.ini'), '--client-version', '1.0', '--format', 'json');
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /number-out-of-range/);
  assert.equal(run('decide', join(EXAMPLES, 'upgrade.ini')).code, 2, '--client-version is required');
});
