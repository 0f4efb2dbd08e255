// Every rule of spec sections 1-4 (without the file checks) through analyze(),
// each with its code, severity and exact position (1-based line, column and
// exclusive end column, UTF-16 units, computed by an independent oracle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/config';
import { codes, diags, diagsOf, errors, UPGRADE, withPatchable, type Where } from './helpers';

/** Exactly one diagnostic of `code`; returns it. */
function one(text: string, code: string): Where {
  const found = diagsOf(text, code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(diags(text))}`);
  return found[0];
}

function pos(w: Where): [number, number, number, number] {
  return [w.line, w.col, w.endLine, w.endCol];
}

function clean(text: string): void {
  assert.deepEqual(diags(text), [], `expected no diagnostics for:\n${text}`);
}

/** `[Upgrade]` plus `extra` lines (the value under test lands on line 4+). */
const up = (extra: string): string => `${UPGRADE}${extra}\n`;
/** A `[Server]` section after a valid [Upgrade] (the tested line is line 4+). */
const server = (extra: string): string => `${UPGRADE}[Server]\n${extra}\n`;
const setup = (extra: string): string => `${UPGRADE}[Setup]\n${extra}\n`;

// ------------------------------------------------------------------ valid

test('a minimal valid config has no diagnostics and the spec defaults', () => {
  const a = analyze(UPGRADE);
  assert.deepEqual(a.diagnostics, []);
  assert.equal(a.config.server.port, 8767);
  assert.equal(a.config.server.bind, '127.0.0.1');
  assert.equal(a.config.server.fileRoot, '.');
  assert.equal(a.config.server.maxTransfers, 4);
  assert.equal(a.config.server.idleTimeout, 30);
  assert.equal(a.config.upgrade.enabled, true);
  assert.equal(a.config.upgrade.mode, 'forced');
  assert.equal(a.config.upgrade.currentVersion?.text, '5.20.12');
  assert.equal(a.config.upgrade.fullSetup, 'Netphone_520.exe');
  assert.equal(a.config.upgrade.patchFile, null);
  assert.deepEqual(a.config.upgrade.patchable.items, []);
  assert.deepEqual(a.config.setup.conflictingApps, ['Chat', 'DSS']);
  assert.equal(a.config.setup.restartIfBusy, true);
});

test('a full valid config: every key read, no diagnostics', () => {
  const text = [
    '; comment',
    '# comment',
    '[Server]',
    'Port = 9000',
    'Bind = localhost',
    'FileRoot = files',
    'MaxTransfers = 10000',
    'IdleTimeout = 3600',
    '',
    '[Upgrade]',
    'Enabled = yes',
    'CurrentVersion = 5.20.12',
    'Mode = optional',
    'FullSetup = Netphone_520.exe',
    `FullSetupSha256 = ${'A'.repeat(32)}${'0'.repeat(32)}`,
    'PatchFile = sub/NP_Update.exe',
    `PatchFileSha256 = ${'f'.repeat(64)}`,
    'Patchable = 5.10.*, 5.11.1 - 5.11.99, >=5.12 <5.20, 5.20.3',
    '[Setup]',
    'ConflictingApps = Chat , DSS,Outlook',
    'RestartIfBusy = off',
  ].join('\n');
  const a = analyze(text);
  assert.deepEqual(a.diagnostics, []);
  assert.equal(a.config.server.port, 9000);
  assert.equal(a.config.server.bind, 'localhost');
  assert.equal(a.config.server.fileRoot, 'files');
  assert.equal(a.config.server.maxTransfers, 10000);
  assert.equal(a.config.server.idleTimeout, 3600);
  assert.equal(a.config.upgrade.mode, 'optional');
  assert.equal(a.config.upgrade.patchFile, 'sub/NP_Update.exe');
  assert.equal(a.config.upgrade.patchable.items.length, 4);
  assert.deepEqual(a.config.setup.conflictingApps, ['Chat', 'DSS', 'Outlook']);
  assert.equal(a.config.setup.restartIfBusy, false);
});

test('section names and keys are case-insensitive', () => {
  clean('[UPGRADE]\ncurrentversion = 5.20.12\nFULLSETUP = x.exe\nmOdE = FORCED\n[server]\nport = 1\n');
  assert.equal(analyze('[upgrade]\ncurrentVERSION=1.2\nfullsetup=x\n').config.upgrade.currentVersion?.text, '1.2');
});

// ------------------------------------------------------------------ section 1

test('unclosed-section: `[Upgrade` without ], error on its line', () => {
  const text = `${UPGRADE}[Setup\n`;
  const d = one(text, 'unclosed-section');
  assert.equal(d.severity, 'error');
  assert.equal(d.line, 4);
  assert.equal(d.col, 1);
  assert.ok(d.marked.startsWith('[Setup'), d.marked);
});

test('empty-section-name: `[]`, error marking the brackets', () => {
  const text = `${UPGRADE}  []\n`;
  const d = one(text, 'empty-section-name');
  assert.equal(d.severity, 'error');
  assert.equal(d.line, 4);
  assert.ok(d.col >= 3 && d.endCol <= 5, JSON.stringify(d));
});

test('empty-key: `= value`, error on its line', () => {
  const d = one(up('  = 5'), 'empty-key');
  assert.equal(d.severity, 'error');
  assert.equal(d.line, 4);
});

test('unclosed-quote: a value starting with " must end with "', () => {
  const d = one(up('Mode = "Forced'), 'unclosed-quote');
  assert.equal(d.severity, 'error');
  assert.equal(d.line, 4);
  assert.equal(d.col, 8);
  assert.ok(d.endCol > d.col && d.endCol <= 15);
});

test('a quoted value is read without its quotes', () => {
  clean(up('Mode = "Optional"'));
  assert.equal(analyze(up('Mode = "Optional"')).config.upgrade.mode, 'optional');
});

test('invalid-line: neither header, entry, comment nor blank; marks the line text', () => {
  const d = one(up('  this is not ini'), 'invalid-line');
  assert.equal(d.severity, 'error');
  assert.deepEqual(pos(d), [4, 3, 4, 18]);
  assert.equal(d.marked, 'this is not ini');
});

test('text after ] that is not a comment is an error', () => {
  const text = `[Upgrade] x\nCurrentVersion = 5.20.12\nFullSetup = a.exe\n`;
  const errs = errors(text);
  assert.equal(errs.length, 1, JSON.stringify(errs));
  assert.equal(errs[0].line, 1);
});

test('entry-outside-section: an entry before the first header', () => {
  const text = `Port = 1\n${UPGRADE}`;
  const d = one(text, 'entry-outside-section');
  assert.equal(d.severity, 'error');
  assert.equal(d.line, 1);
  assert.equal(d.col, 1);
});

test('duplicate-section: a second header of the same section (any case)', () => {
  const text = `${UPGRADE}[Server]\n[upgrade]\n`;
  const d = one(text, 'duplicate-section');
  assert.equal(d.severity, 'error');
  assert.equal(d.line, 5);
  assert.ok(d.marked.includes('upgrade'), d.marked);
  assert.ok(d.col >= 1 && d.col <= 2);
});

test('duplicate-key: a second entry of the same key in a section (any case)', () => {
  const text = up('Mode = Forced\nMODE = Optional');
  const d = one(text, 'duplicate-key');
  assert.equal(d.severity, 'error');
  assert.deepEqual(pos(d), [5, 1, 5, 5]);
  assert.equal(d.marked, 'MODE');
});

test('the same key in two different sections is not a duplicate', () => {
  const text = `${UPGRADE}[Server]\nX = 1\n[Setup]\nX = 2\n`;
  assert.deepEqual(diagsOf(text, 'duplicate-key'), []);
});

test('unknown-section: warning on the name, with a "did you mean"', () => {
  const text = `${UPGRADE}[Sever]\n`;
  const d = one(text, 'unknown-section');
  assert.equal(d.severity, 'warning');
  assert.deepEqual(pos(d), [4, 2, 4, 7]);
  assert.equal(d.marked, 'Sever');
  const msg = analyze(text).diagnostics.find((x) => x.code === 'unknown-section')?.message ?? '';
  assert.ok(msg.includes('Server'), msg);
});

test('unknown-key: warning on the key, with a "did you mean"', () => {
  const text = up('CurentVersion = 5.1');
  const d = one(text, 'unknown-key');
  assert.equal(d.severity, 'warning');
  assert.deepEqual(pos(d), [4, 1, 4, 14]);
  const msg = analyze(text).diagnostics.find((x) => x.code === 'unknown-key')?.message ?? '';
  assert.ok(msg.includes('CurentVersion') || msg.includes('CurrentVersion'), msg);
  assert.ok(msg.includes('CurrentVersion'), `suggests CurrentVersion: ${msg}`);
});

test('a key of another section is unknown in this one', () => {
  const d = one(up('Port = 8767'), 'unknown-key');
  assert.equal(d.severity, 'warning');
  assert.equal(d.marked, 'Port');
});

test('unknown sections and keys are only warnings: no errors', () => {
  assert.deepEqual(errors(`${UPGRADE}Whatever = 1\n[Zebra]\nA = b\n`), []);
});

// ------------------------------------------------------------------ section 4: values

test('Port: integer 1-65535', () => {
  for (const ok of ['1', '65535', '8767']) clean(server(`Port = ${ok}`));
  for (const [bad, code] of [
    ['abc', 'invalid-number'],
    ['87x', 'invalid-number'],
    ['1.5', 'invalid-number'],
    ['0', 'number-out-of-range'],
    ['65536', 'number-out-of-range'],
  ] as const) {
    const d = one(server(`Port = ${bad}`), code);
    assert.equal(d.severity, 'error');
    assert.deepEqual(pos(d), [5, 8, 5, 8 + bad.length], bad);
    assert.equal(d.marked, bad);
  }
});

test('Port: negative or huge numbers are errors', () => {
  for (const bad of ['-1', '99999999999999999999999']) {
    const errs = errors(server(`Port = ${bad}`));
    assert.equal(errs.length, 1, bad);
    assert.ok(['invalid-number', 'number-out-of-range'].includes(errs[0].code), errs[0].code);
    assert.equal(errs[0].marked, bad);
  }
});

test('Port with an empty value is an error', () => {
  const errs = errors(server('Port ='));
  assert.equal(errs.length, 1, JSON.stringify(errs));
  assert.equal(errs[0].line, 5);
});

test('MaxTransfers 1-10000 and IdleTimeout 1-3600', () => {
  for (const ok of ['MaxTransfers = 1', 'MaxTransfers = 10000', 'IdleTimeout = 1', 'IdleTimeout = 3600']) clean(server(ok));
  for (const bad of ['MaxTransfers = 0', 'MaxTransfers = 10001', 'IdleTimeout = 0', 'IdleTimeout = 3601']) {
    const d = one(server(bad), 'number-out-of-range');
    assert.equal(d.severity, 'error');
    assert.equal(d.marked, bad.split('= ')[1]);
  }
});

test('Bind: IP literal or localhost; 0.0.0.0 and :: are information', () => {
  for (const ok of ['127.0.0.1', 'localhost', '::1', '192.168.10.20', 'fe80::1']) clean(server(`Bind = ${ok}`));
  for (const wide of ['0.0.0.0', '::']) {
    const d = one(server(`Bind = ${wide}`), 'network-bind');
    assert.equal(d.severity, 'information');
    assert.deepEqual(pos(d), [5, 8, 5, 8 + wide.length]);
    assert.deepEqual(errors(server(`Bind = ${wide}`)), []);
  }
  for (const bad of ['256.1.1.1', 'example.com', '1.2.3', '127.0.0.1:80']) {
    const d = one(server(`Bind = ${bad}`), 'invalid-address');
    assert.equal(d.severity, 'error');
    assert.equal(d.marked, bad);
  }
});

test('booleans: Yes/No, True/False, On/Off, 1/0 in any case', () => {
  for (const w of ['Yes', 'no', 'TRUE', 'false', 'On', 'oFF', '1', '0']) {
    clean(up(`Enabled = ${w}`));
    clean(setup(`RestartIfBusy = ${w}`));
  }
  assert.equal(analyze(up('Enabled = OFF')).config.upgrade.enabled, false);
  assert.equal(analyze(up('Enabled = on')).config.upgrade.enabled, true);
  assert.equal(analyze(setup('RestartIfBusy = 0')).config.setup.restartIfBusy, false);
  for (const bad of ['y', 'enabled', '2', 'nope']) {
    const d = one(up(`Enabled = ${bad}`), 'invalid-boolean');
    assert.equal(d.severity, 'error');
    assert.deepEqual(pos(d), [4, 11, 4, 11 + bad.length]);
    const s = one(setup(`RestartIfBusy = ${bad}`), 'invalid-boolean');
    assert.deepEqual(pos(s), [5, 17, 5, 17 + bad.length]);
  }
});

test('Mode: Forced or Optional', () => {
  assert.equal(analyze(up('Mode = OPTIONAL')).config.upgrade.mode, 'optional');
  clean(up('Mode = forced'));
  const d = one(up('Mode = Auto'), 'invalid-mode');
  assert.equal(d.severity, 'error');
  assert.deepEqual(pos(d), [4, 8, 4, 12]);
});

test('CurrentVersion: a malformed version is invalid-version on the value', () => {
  for (const bad of ['5.20.12.1.1', '5..20', '5.70000', '5.123456', 'v5.2', '5.2.*']) {
    const text = `[Upgrade]\nFullSetup = x.exe\nCurrentVersion = ${bad}\n`;
    const d = one(text, 'invalid-version');
    assert.equal(d.severity, 'error');
    assert.deepEqual(pos(d), [3, 18, 3, 18 + bad.length], bad);
  }
});

test('SHA-256 values: exactly 64 hex digits', () => {
  clean(up(`FullSetupSha256 = ${'aB'.repeat(32)}`));
  for (const bad of ['abc', 'a'.repeat(63), 'a'.repeat(65), 'g'.repeat(64)]) {
    const d = one(up(`FullSetupSha256 = ${bad}`), 'invalid-sha256');
    assert.equal(d.severity, 'error');
    assert.deepEqual(pos(d), [4, 19, 4, 19 + bad.length]);
    const p = one(`${UPGRADE}PatchFile = p.exe\nPatchable = 1\nPatchFileSha256 = ${bad}\n`, 'invalid-sha256');
    assert.equal(p.line, 6);
  }
});

// ------------------------------------------------------------------ section 4: required

test('missing-section: no [Upgrade] is an error', () => {
  for (const text of ['', '[Server]\nPort = 1\n', '; only a comment\n']) {
    const a = analyze(text);
    const m = a.diagnostics.filter((d) => d.code === 'missing-section');
    assert.equal(m.length, 1, JSON.stringify(a.diagnostics));
    assert.equal(m[0].severity, 'error');
    assert.ok(m[0].message.includes('Upgrade'), m[0].message);
  }
});

test('missing-key: CurrentVersion and FullSetup are required', () => {
  for (const [text, key] of [
    ['[Upgrade]\nFullSetup = x.exe\n', 'CurrentVersion'],
    ['[Upgrade]\nCurrentVersion = 5.2\n', 'FullSetup'],
  ] as const) {
    const a = analyze(text);
    const m = a.diagnostics.filter((d) => d.code === 'missing-key');
    assert.equal(m.length, 1, JSON.stringify(a.diagnostics));
    assert.equal(m[0].severity, 'error');
    assert.ok(m[0].message.includes(key), m[0].message);
  }
});

test('missing-key: PatchFile is required when Patchable is not empty', () => {
  const a = analyze(up('Patchable = 5.1'));
  const m = a.diagnostics.filter((d) => d.code === 'missing-key');
  assert.equal(m.length, 1, JSON.stringify(a.diagnostics));
  assert.equal(m[0].severity, 'error');
  assert.ok(m[0].message.includes('PatchFile'), m[0].message);
});

test('an empty Patchable needs no PatchFile', () => {
  clean(up('Patchable ='));
});

test('patch-file-unused: PatchFile set but Patchable empty or absent is a warning on PatchFile', () => {
  for (const extra of ['PatchFile = NP_Update.exe', 'PatchFile = NP_Update.exe\nPatchable =']) {
    const d = one(up(extra), 'patch-file-unused');
    assert.equal(d.severity, 'warning');
    assert.equal(d.line, 4);
    assert.deepEqual(errors(up(extra)), []);
  }
});

// ------------------------------------------------------------------ section 3 in context

test('Patchable: a valid list has no diagnostics', () => {
  clean(withPatchable('5.10.*, 5.11.1 - 5.11.99, >=5.12 <5.20, 5.20.11'));
  clean(withPatchable('5.1 - 5.20.11.65535'));
});

test('Patchable: a malformed item is marked alone, with its own columns', () => {
  const d = one(withPatchable('5.1, abc , 5.2'), 'invalid-patchable-item');
  assert.equal(d.severity, 'error');
  assert.deepEqual(pos(d), [5, 18, 5, 21]);
  assert.equal(d.marked, 'abc');
});

test('Patchable: empty item and trailing comma', () => {
  const e = one(withPatchable('5.1,,5.2'), 'empty-patchable-item');
  assert.equal(e.severity, 'error');
  assert.equal(e.line, 5);
  assert.ok(e.col >= 15 && e.col <= 17, JSON.stringify(e));
  const t = one(withPatchable('5.1, 5.2,'), 'trailing-comma');
  assert.equal(t.severity, 'error');
  assert.deepEqual(pos(t), [5, 21, 5, 22]);
});

test('Patchable: an item that matches nothing is empty-range, and only that', () => {
  for (const item of ['5.9 - 5.1', '>5.10 <5.0']) {
    const text = withPatchable(`5.0.1, ${item}`);
    const d = one(text, 'empty-range');
    assert.equal(d.severity, 'error');
    assert.deepEqual(pos(d), [5, 20, 5, 20 + item.length], item);
    assert.deepEqual(diags(text).map((x) => x.code), ['empty-range']);
  }
});

test('Patchable: an item that matches CurrentVersion or a newer version is an error', () => {
  for (const item of [
    '>=5.0', // the common mistake
    '5.20.12',
    '5.20.12.0',
    '5.020.0012',
    '5.21',
    '5.20.*',
    '5.*',
    '6.*',
    '5.1 - 5.30',
    '5.20.12 - 5.20.13',
    '>5.20.12',
    '<=5.20.12',
    '>=5.20.12.1 <6',
  ]) {
    const text = withPatchable(`5.0.1, ${item}`);
    const d = one(text, 'patchable-reaches-current');
    assert.equal(d.severity, 'error');
    assert.deepEqual(pos(d), [5, 20, 5, 20 + item.length], item);
  }
});

test('Patchable: items that stop just below CurrentVersion are fine', () => {
  for (const item of ['<5.20.12', '5.20.11.65535', '>=5.0 <5.20.12', '5.20.11.*', '5.19.*', '5.0 - 5.20.11.65535']) {
    assert.deepEqual(errors(withPatchable(item)), [], item);
  }
});

test('Patchable: redundant items are warnings on the redundant item; partial overlaps are fine', () => {
  const d = one(withPatchable('5.10.*, 5.10.3'), 'redundant-patchable-item');
  assert.equal(d.severity, 'warning');
  assert.deepEqual(pos(d), [5, 21, 5, 27]);
  const dup = one(withPatchable('5.1, 5.1.0'), 'redundant-patchable-item');
  assert.equal(dup.marked, '5.1.0');
  const inside = one(withPatchable('>=5.0 <5.10, 5.2 - 5.3'), 'redundant-patchable-item');
  assert.equal(inside.marked, '5.2 - 5.3');
  assert.deepEqual(diags(withPatchable('5.1 - 5.5, 5.3 - 5.8')), []);
});

// ------------------------------------------------------------------ positions

const BROKEN_LINES = [
  '[Upgrade]',
  'CurrentVersion = 5.20.12',
  'FullSetup = Netphone_520.exe',
  'Mode = Sometimes',
  'PatchFile = NP_Update.exe',
  'Patchable = 5.1, abc, 5.9 - 5.1',
  '[Sever]',
  'Port = x',
];

test('positions are identical with LF, CRLF and lone CR line ends', () => {
  const expected = [
    { code: 'invalid-mode', line: 4, col: 8, endCol: 17 },
    { code: 'invalid-patchable-item', line: 6, col: 18, endCol: 21 },
    { code: 'empty-range', line: 6, col: 23, endCol: 32 },
    { code: 'unknown-section', line: 7, col: 2, endCol: 7 },
  ];
  for (const eol of ['\n', '\r\n', '\r']) {
    const text = BROKEN_LINES.join(eol) + eol;
    const got = diags(text)
      .filter((d) => expected.some((e) => e.code === d.code))
      .map((d) => ({ code: d.code, line: d.line, col: d.col, endCol: d.endCol }));
    assert.deepEqual(got, expected, JSON.stringify(eol));
    for (const d of diags(text)) assert.equal(d.endLine, d.line, `single-line span for ${d.code}`);
  }
});

test('mixed line ends in one file', () => {
  const text = '[Upgrade]\r\nCurrentVersion = 5.20.12\rFullSetup = x.exe\nMode = Bad\r\n';
  const d = one(text, 'invalid-mode');
  assert.deepEqual(pos(d), [4, 8, 4, 11]);
});

test('non-ASCII text before the error on the same line: columns count UTF-16 units', () => {
  // "Patchable = " is 12 units; "é😀" is 3 units (é = 1, the emoji = 2)
  const text = withPatchable('é😀, 5.1,');
  const bad = one(text, 'invalid-patchable-item');
  assert.deepEqual(pos(bad), [5, 13, 5, 16]);
  assert.equal(bad.marked, 'é😀');
  const t = one(text, 'trailing-comma');
  assert.deepEqual(pos(t), [5, 21, 5, 22]);
});

test('non-ASCII in a key: unknown-key marks the whole key', () => {
  const d = one(up('Grüße😀 = 1'), 'unknown-key');
  assert.equal(d.marked, 'Grüße😀');
  assert.deepEqual(pos(d), [4, 1, 4, 8]);
});

test('a non-ASCII comment line above does not shift columns', () => {
  const text = `; 😀😀😀 é\n${UPGRADE}Mode = X\n`;
  const d = one(text, 'invalid-mode');
  assert.deepEqual(pos(d), [5, 8, 5, 9]);
});

test('diagnostics are sorted by position', () => {
  const text = BROKEN_LINES.join('\n');
  const starts = analyze(text).diagnostics.map((d) => d.span.start);
  assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
});

// ------------------------------------------------------------------ more edges

test('a quoted Patchable: items and their diagnostics are positioned inside the quotes', () => {
  const text = withPatchable('"5.1, abc, 5.2,"');
  const bad = one(text, 'invalid-patchable-item');
  assert.deepEqual(pos(bad), [5, 19, 5, 22]);
  assert.equal(bad.marked, 'abc');
  const t = one(text, 'trailing-comma');
  assert.deepEqual(pos(t), [5, 27, 5, 28]);
  const items = analyze(withPatchable('"5.1, 5.2"')).config.upgrade.patchable.items;
  assert.deepEqual(items.map((i) => i.text), ['5.1', '5.2']);
  const t2 = withPatchable('"5.1, 5.2"');
  assert.deepEqual(items.map((i) => t2.slice(i.span.start, i.span.end)), ['5.1', '5.2']);
});

test('Patchable with an inline comment: the comment is not an item', () => {
  clean(withPatchable('5.1, 5.2 ; old clients'));
  clean(withPatchable('5.1, 5.2\t# old clients'));
});

test('Patchable items in the document carry spans of the document', () => {
  const text = withPatchable('5.10.*,  5.11.1 - 5.11.99 ,>=5.12 <5.20');
  const items = analyze(text).config.upgrade.patchable.items;
  assert.deepEqual(
    items.map((i) => text.slice(i.span.start, i.span.end)),
    ['5.10.*', '5.11.1 - 5.11.99', '>=5.12 <5.20'],
  );
});

test('blanks in version sets are spaces and tabs', () => {
  clean(withPatchable('>=5.0\t<5.10,\t5.11.1\t-\t5.11.9'));
});

test('a single-version range is not empty', () => {
  clean(withPatchable('5.1 - 5.1'));
});

test('an empty item is not reported redundant, and does not make others redundant', () => {
  const text = withPatchable('5.9 - 5.1, 5.3');
  assert.deepEqual(diags(text).map((d) => d.code), ['empty-range']);
});

test('CurrentVersion quoted and with an inline comment', () => {
  clean('[Upgrade]\nCurrentVersion = "5.20.12" ; this week\nFullSetup = x.exe ; the big one\n');
  assert.equal(analyze('[Upgrade]\nCurrentVersion = "5.20.12" ; c\nFullSetup = x\n').config.upgrade.currentVersion?.text, '5.20.12');
});

test('positions of entry-outside-section and duplicate-key on CRLF lines after a UTF-16 surrogate pair', () => {
  const text = '; 😀\r\nPort = 1\r\n[Upgrade]\r\nCurrentVersion = 5.2\r\nFullSetup = a\r\nfullsetup = b\r\n';
  const o = one(text, 'entry-outside-section');
  assert.equal(o.line, 2);
  assert.equal(o.col, 1);
  const d = one(text, 'duplicate-key');
  assert.deepEqual(pos(d), [6, 1, 6, 10]);
});

test('a header with an inline comment right after ] (no blank)', () => {
  clean('[Upgrade];main\nCurrentVersion = 1\nFullSetup = a\n');
});

test('an empty text: only missing-section', () => {
  assert.deepEqual(codes(''), ['missing-section']);
});

test('an item wholly inside an item that reaches CurrentVersion is still redundant (spec 3 has no exception)', () => {
  // fixing ">=5.0" by bounding it (">=5.0 <5.20.12") leaves "5.1" just as redundant
  const text = withPatchable('>=5.0, 5.1');
  assert.equal(one(text, 'patchable-reaches-current').marked, '>=5.0');
  const d = one(text, 'redundant-patchable-item');
  assert.equal(d.marked, '5.1');
  assert.equal(d.severity, 'warning');
});

// spec 1: a blank is a space or a tab, nothing else
test('only spaces and tabs are blanks: NBSP, VT, FF and ideographic space are not', () => {
  for (const ws of ['\u00a0', '\v', '\f', '\u3000']) {
    const d = one(up(ws), 'invalid-line');
    assert.equal(d.line, 4, JSON.stringify(ws));
  }
  assert.equal(one(up('Mode = Forced\u00a0'), 'invalid-mode').marked, 'Forced\u00a0');
  assert.equal(one(withPatchable('5.1,\u00a05.2'), 'invalid-patchable-item').marked, '\u00a05.2');
});

test('U+2028, U+2029 and NEL are not line ends', () => {
  for (const sep of ['\u2028', '\u2029', '\u0085']) {
    const text = `; a${sep}b\n${UPGRADE}Mode = X\n`;
    assert.deepEqual(pos(one(text, 'invalid-mode')), [5, 8, 5, 9], JSON.stringify(sep));
  }
});
