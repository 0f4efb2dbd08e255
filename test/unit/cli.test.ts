// Spec section 6 through the real built command: `node dist/cli.js check` and
// `decide` on temp files (dist/ is built by `npm test` before the tests run).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from './helpers';
import type { JsonDiagnostic } from '../../server/src/cli/format';

const CLI = resolve(__dirname, '../../dist/cli.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(...args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}


function json(r: Run): JsonDiagnostic[] {
  const parsed = JSON.parse(r.stdout) as JsonDiagnostic[];
  assert.ok(Array.isArray(parsed));
  for (const d of parsed) {
    assert.deepEqual(Object.keys(d).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity']);
    assert.ok(['error', 'warning', 'information', 'hint'].includes(d.severity));
    for (const n of [d.line, d.column, d.endLine, d.endColumn]) assert.ok(Number.isInteger(n) && n >= 1);
  }
  return parsed;
}

const tmp = tempDir('nsupgrade-cli-');
const FULL = Buffer.from('full setup');
const PATCH = Buffer.from('patch');
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const VALID = [
  '[Server]',
  'FileRoot = files',
  '[Upgrade]',
  'CurrentVersion = 5.20.12',
  'Mode = Optional',
  'FullSetup = Netphone_520.exe',
  `FullSetupSha256 = ${sha(FULL)}`,
  'PatchFile = NP_Update.exe',
  `PatchFileSha256 = ${sha(PATCH)}`,
  'Patchable = 5.10.*, 5.11.1 - 5.11.99',
  '',
].join('\n');

// line 5: invalid-mode at 8..17; line 10: invalid item "abc" at 39..42
const BROKEN = VALID.replace('Mode = Optional', 'Mode = Sometimes').replace('5.11.1 - 5.11.99', '5.11.1 - 5.11.99, abc');

function file(name: string, content: string | Uint8Array): string {
  const p = join(tmp.dir, name);
  writeFileSync(p, content);
  return p;
}

before(() => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
  mkdirSync(join(tmp.dir, 'files'));
  writeFileSync(join(tmp.dir, 'files', 'Netphone_520.exe'), FULL);
  writeFileSync(join(tmp.dir, 'files', 'NP_Update.exe'), PATCH);
});
after(() => tmp.cleanup());

const LINE = /^(.+):(\d+):(\d+) (error|warning|information|hint) (.+) \[([a-z0-9-]+)\]$/;

function textDiags(out: string, path: string): Array<{ line: number; col: number; severity: string; message: string; code: string }> {
  return out
    .split('\n')
    .filter((l) => l.startsWith(`${path}:`) && /^\d+:\d+ /.test(l.slice(path.length + 1)))
    .map((l) => {
      const m = LINE.exec(l);
      assert.ok(m, `not "file:line:col severity message [code]": ${l}`);
      assert.equal(m[1], path);
      return { line: Number(m[2]), col: Number(m[3]), severity: m[4], message: m[5], code: m[6] };
    });
}

// ------------------------------------------------------------------ check

test('check: a clean file exits 0 and prints no diagnostic', () => {
  const p = file('valid.ini', VALID);
  const r = run('check', p);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(textDiags(r.stdout, p), []);
  const j = run('check', p, '--format', 'json');
  assert.equal(j.code, 0);
  assert.deepEqual(json(j), []);
});

test('check: errors exit 1; text lines are file:line:col severity message [code], 1-based', () => {
  const p = file('broken.ini', BROKEN);
  const r = run('check', p);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.ok(!r.stdout.includes('\u001b['), 'no colour when not on a terminal');
  const got = textDiags(r.stdout, p);
  assert.deepEqual(
    got.map((d) => [d.line, d.col, d.severity, d.code]),
    [
      [5, 8, 'error', 'invalid-mode'],
      [10, 39, 'error', 'invalid-patchable-item'],
    ],
  );
  assert.ok(got[0].message.includes('Sometimes') || got[0].message.includes('Mode'));
  assert.ok(got[1].message.includes('abc'));
});

test('check --format json: fields, 1-based, end exclusive', () => {
  const p = file('broken2.ini', BROKEN);
  const r = run('check', p, '--format', 'json');
  assert.equal(r.code, 1, r.stderr);
  const d = json(r);
  assert.deepEqual(
    d.map((x) => [x.file, x.line, x.column, x.endLine, x.endColumn, x.severity, x.code]),
    [
      [p, 5, 8, 5, 17, 'error', 'invalid-mode'],
      [p, 10, 39, 10, 42, 'error', 'invalid-patchable-item'],
    ],
  );
  assert.ok(d[1].message.includes('abc'));
});

test('check: warnings and information alone exit 0', () => {
  const p = file('warn.ini', VALID.replace('[Server]', '[Server]\nBind = 0.0.0.0\nColour = blue'));
  const r = run('check', p, '--format', 'json');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(
    json(r).map((x) => [x.line, x.column, x.endColumn, x.severity, x.code]),
    [
      [2, 8, 15, 'information', 'network-bind'],
      [3, 1, 7, 'warning', 'unknown-key'],
    ],
  );
});

test('check: the CLI honours suppression comments', () => {
  const p = file('silenced.ini', VALID.replace('[Server]', '; nsupgrade-disable network-bind\n[Server]\n; nsupgrade-disable-next-line unknown-key\nColour = blue\nBind = ::'));
  const r = run('check', p, '--format', 'json');
  assert.equal(r.code, 0);
  assert.deepEqual(json(r), []);
});

test('check: CRLF, lone CR and UTF-16 files give the same positions as LF', () => {
  const expected = [
    [5, 8, 5, 17, 'invalid-mode'],
    [10, 39, 10, 42, 'invalid-patchable-item'],
  ];
  const utf16 = (s: string, be: boolean): Buffer => {
    const le = Buffer.from(s, 'utf16le');
    if (be) le.swap16();
    return Buffer.concat([Buffer.from(be ? [0xfe, 0xff] : [0xff, 0xfe]), le]);
  };
  const variants: Array<[string, string | Uint8Array]> = [
    ['crlf.ini', BROKEN.replace(/\n/g, '\r\n')],
    ['cr.ini', BROKEN.replace(/\n/g, '\r')],
    ['bom.ini', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BROKEN)])],
    ['le.ini', utf16(BROKEN.replace(/\n/g, '\r\n'), false)],
    ['be.ini', utf16(BROKEN, true)],
  ];
  for (const [name, content] of variants) {
    const p = file(name, content);
    const r = run('check', p, '--format', 'json');
    assert.equal(r.code, 1, `${name}: ${r.stderr}`);
    assert.deepEqual(json(r).map((x) => [x.line, x.column, x.endLine, x.endColumn, x.code]), expected, name);
  }
});

test('check: an ANSI (Windows-1252) file is one ansi-encoding warning at 1:1 plus the other checks; NUL bytes are one bad-encoding error', () => {
  const p = file('latin1.ini', Buffer.concat([Buffer.from('[Upgrade]\n; caf'), Buffer.from([0xe9]), Buffer.from('\nbad line\n')]));
  const r = run('check', p, '--format', 'json');
  assert.equal(r.code, 1);
  assert.deepEqual(json(r).map((x) => [x.line, x.column, x.severity, x.code]), [
    [1, 1, 'warning', 'ansi-encoding'],
    [1, 2, 'error', 'missing-key'],
    [1, 2, 'error', 'missing-key'],
    [3, 1, 'error', 'invalid-line'],
  ]);
  const t = run('check', p);
  assert.deepEqual(textDiags(t.stdout, p).map((x) => [x.line, x.col, x.code]), [[1, 1, 'ansi-encoding'], [1, 2, 'missing-key'], [1, 2, 'missing-key'], [3, 1, 'invalid-line']]);
  const nul = file('nul.ini', Buffer.concat([Buffer.from('[Upgrade]\n; caf'), Buffer.from([0x00]), Buffer.from('\nbad line\n')]));
  const n = run('check', nul, '--format', 'json');
  assert.equal(n.code, 1);
  assert.deepEqual(json(n).map((x) => [x.line, x.column, x.severity, x.code]), [[1, 1, 'error', 'bad-encoding']]);
});

test('check: non-ASCII before the error: endColumn - column is the length of the marked text', () => {
  // "Patchable = " is 12 units, then "é😀" (3 UTF-16 units, 2 characters)
  const p = file('unicode.ini', VALID.replace('Patchable = 5.10.*, 5.11.1 - 5.11.99', 'Patchable = é😀, 5.1,'));
  const r = run('check', p, '--format', 'json');
  assert.equal(r.code, 1);
  const d = json(r);
  const item = d.find((x) => x.code === 'invalid-patchable-item');
  const comma = d.find((x) => x.code === 'trailing-comma');
  assert.ok(item && comma, JSON.stringify(d));
  assert.equal(item.line, 10);
  assert.equal(item.column, 13);
  // the project documents UTF-16 columns (docs/upgrade-ini.md)
  assert.equal(item.endColumn - item.column, 'é😀'.length);
  assert.equal(comma.column - item.column, 'é😀, 5.1'.length);
  assert.equal(comma.endColumn - comma.column, 1);
});

test('check: several files; one with errors makes the exit 1 and names its file', () => {
  const good = file('good.ini', VALID);
  const bad = file('bad.ini', BROKEN);
  const r = run('check', good, bad, '--format', 'json');
  assert.equal(r.code, 1);
  const d = json(r);
  assert.ok(d.length > 0);
  assert.ok(d.every((x) => x.file === bad));
});

test('check: could not run -> exit 2 (no such file, bad arguments)', () => {
  const missing = join(tmp.dir, 'absent.ini');
  const r = run('check', missing);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.ok((r.stdout + r.stderr).includes('absent.ini'));
  assert.equal(run('check').code, 2, 'no FILE');
  assert.equal(run('check', file('v2.ini', VALID), '--format', 'xml').code, 2, 'bad format');
  assert.equal(run('check', file('v3.ini', VALID), '--frobnicate').code, 2, 'unknown flag');
  assert.equal(run('frobnicate').code, 2, 'unknown command');
  assert.equal(run().code, 2, 'no command');
  // a missing file among good ones still means "could not run"
  assert.equal(run('check', file('v4.ini', VALID), missing).code, 2);
});

// ------------------------------------------------------------------ decide

function decideJson(path: string, version: string): { r: Run; d: Record<string, unknown> } {
  const r = run('decide', path, '--client-version', version, '--format', 'json');
  return { r, d: JSON.parse(r.stdout) as Record<string, unknown> };
}

const ALLOWED_KEYS = ['action', 'reason', 'mode', 'file', 'size', 'sha256'];

test('decide --format json: every step of section 5', () => {
  const p = file('decide.ini', VALID);
  const cases: Array<[string, Record<string, unknown>]> = [
    ['5.x', { action: 'reject', reason: 'bad-version' }],
    ['5.20.12', { action: 'allow', reason: 'current' }],
    ['5.20.12.0', { action: 'allow', reason: 'current' }],
    ['5.21', { action: 'allow', reason: 'newer' }],
    ['5.10.3', { action: 'patch', mode: 'optional', file: 'NP_Update.exe', size: PATCH.length, sha256: sha(PATCH) }],
    ['5.11.99', { action: 'patch', mode: 'optional', file: 'NP_Update.exe', size: PATCH.length, sha256: sha(PATCH) }],
    ['5.9', { action: 'full', mode: 'optional', file: 'Netphone_520.exe', size: FULL.length, sha256: sha(FULL) }],
  ];
  for (const [version, expected] of cases) {
    const { r, d } = decideJson(p, version);
    for (const k of Object.keys(d)) assert.ok(ALLOWED_KEYS.includes(k), `${version}: unexpected key ${k} in ${r.stdout}`);
    for (const [k, v] of Object.entries(expected)) assert.equal(d[k], v, `${version}.${k}: ${r.stdout}`);
    if (d.action === 'allow' || d.action === 'reject') {
      assert.deepEqual(Object.keys(d).sort(), ['action', 'reason'], version);
    } else {
      assert.deepEqual(Object.keys(d).filter((k) => k !== 'reason').sort(), ['action', 'file', 'mode', 'sha256', 'size']);
      assert.equal(typeof d.reason, 'string');
    }
    if (d.action !== 'reject') assert.equal(r.code, 0, `${version}: ${r.stderr}`);
  }
});

test('decide: Enabled = No allows everyone', () => {
  const p = file('disabled.ini', VALID.replace('Mode = Optional', 'Enabled = No'));
  assert.deepEqual(decideJson(p, '1.0').d, { action: 'allow', reason: 'upgrades-disabled' });
});

test('decide: a config with errors exits 1 and prints them', () => {
  const p = file('decide-broken.ini', BROKEN);
  for (const fmt of ['json', 'text']) {
    const r = run('decide', p, '--client-version', '5.10.3', '--format', fmt);
    assert.equal(r.code, 1, fmt);
    const out = r.stdout + r.stderr;
    assert.ok(out.includes('invalid-mode') && out.includes('invalid-patchable-item'), out);
  }
});

test('decide: a file check error (hash mismatch) also exits 1', () => {
  const p = file('decide-hash.ini', VALID.replace(sha(FULL), sha(PATCH)));
  const r = run('decide', p, '--client-version', '5.0');
  assert.equal(r.code, 1);
  assert.ok((r.stdout + r.stderr).includes('hash-mismatch'));
});

test('decide: text format names the action and reason', () => {
  const p = file('decide-text.ini', VALID);
  const r = run('decide', p, '--client-version', '5.10.3');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes('patch'));
  assert.ok(r.stdout.includes('NP_Update.exe'));
});

test('decide: without --client-version it cannot run', () => {
  const p = file('decide-args.ini', VALID);
  // the CLI's usage documents "2 could not run" for every command
  assert.equal(run('decide', p).code, 2, 'no --client-version');
  assert.equal(run('decide', p, '--client-version').code, 2, '--client-version without a value');
  assert.equal(run('decide', '--client-version', '5.1').code, 2, 'no FILE');
  assert.equal(run('decide', p, p, '--client-version', '5.1').code, 2, 'two FILEs');
  assert.equal(run('decide', p, '--client-version', '5.1', '--format', 'yaml').code, 2, 'bad format');
  assert.equal(run('decide', join(tmp.dir, 'absent.ini'), '--client-version', '5.1').code, 2, 'no such file');
  assert.equal(run('check', p, '--format').code, 2, '--format without a value');
});

test('check: a clean file prints nothing at all (documented in docs/upgrade-ini.md)', () => {
  const r = run('check', file('quiet.ini', VALID));
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
});

test('check: the BOM is not counted in columns of line 1', () => {
  const p = file('bom1.ini', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`  junk\n${VALID}`)]));
  const d = json(run('check', p, '--format', 'json'));
  assert.deepEqual(d.map((x) => [x.line, x.column, x.endColumn, x.code]), [[1, 3, 7, 'invalid-line']]);
});

test('check: UTF-16 without BOM, and UTF-16 cut short, are bad-encoding at 1:1', () => {
  const noBom = file('nobom16.ini', Buffer.from(VALID, 'utf16le'));
  const odd = file('odd16.ini', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VALID, 'utf16le').subarray(1)]));
  for (const p of [noBom, odd]) {
    const r = run('check', p, '--format', 'json');
    assert.equal(r.code, 1, p);
    assert.deepEqual(json(r).map((x) => [x.line, x.column, x.code]), [[1, 1, 'bad-encoding']], p);
  }
});

test('check: a UTF-16LE file with a surrogate pair before the error', () => {
  const text = VALID.replace('Patchable = 5.10.*, 5.11.1 - 5.11.99', 'Patchable = é😀, 5.1,').replace(/\n/g, '\r\n');
  const p = file('unicode16.ini', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  const d = json(run('check', p, '--format', 'json'));
  assert.deepEqual(
    d.map((x) => [x.line, x.column, x.endColumn, x.code]),
    [
      [10, 13, 16, 'invalid-patchable-item'],
      [10, 21, 22, 'trailing-comma'],
    ],
  );
});

test('check: a folder as FILE cannot run (exit 2)', () => {
  assert.equal(run('check', tmp.dir).code, 2);
});

test('check: an empty file is missing [Upgrade] at 1:1', () => {
  const r = run('check', file('empty.ini', ''), '--format', 'json');
  assert.equal(r.code, 1);
  assert.deepEqual(json(r).map((x) => [x.line, x.column, x.code]), [[1, 1, 'missing-section']]);
});

test('decide: warnings do not stop a decision (exit 0)', () => {
  const p = file('decide-warn.ini', VALID.replace('[Server]', '[Server]\nColour = blue'));
  const { r, d } = decideJson(p, '5.9');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(d.action, 'full');
});

test('check: arbitrary bytes never crash the CLI (exit 0 or 1, valid JSON, positions 1-based)', () => {
  const samples = fc.sample(
    fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.fullUnicodeString({ maxLength: 200 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
      fc.fullUnicodeString({ maxLength: 200 }).map((s) => new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]))),
    ),
    { numRuns: 24, seed: 20261124 },
  );
  samples.forEach((bytes, i) => {
    const p = file(`random${i}.ini`, bytes);
    const r = run('check', p, '--format', 'json');
    assert.ok(r.code === 0 || r.code === 1, `sample ${i}: exit ${r.code} ${r.stderr}`);
    json(r);
  });
});
