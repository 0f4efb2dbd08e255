// The checks of spec sections 1-4 as the lead wrote them down while building
// the model: each case names the code and the exact text the diagnostic marks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, LineMap, loadConfigText, type Diagnostic } from '../../server/src/config';
import { tempDir } from '../tempDir';

const VALID = `[Upgrade]
CurrentVersion = 5.20.12
FullSetup = Netphone_520.exe
PatchFile = NP_Update.exe
Patchable = 5.10.*, 5.11.1 - 5.11.9, >=5.12 <5.13
`;

function marked(text: string, d: Diagnostic): string {
  return text.slice(d.span.start, d.span.end);
}

function only(text: string, code: string): Diagnostic[] {
  return analyze(text).diagnostics.filter((d) => d.code === code);
}

test('a valid config has no diagnostics and the right values', () => {
  const a = analyze(VALID);
  assert.deepEqual(a.diagnostics, []);
  assert.equal(a.config.upgrade.currentVersion?.text, '5.20.12');
  assert.equal(a.config.upgrade.patchable.items.length, 3);
  assert.equal(a.config.upgrade.mode, 'forced');
  assert.equal(a.config.server.port, 8767);
  assert.deepEqual(a.config.setup.conflictingApps, ['Chat', 'DSS']);
});

const cases: { name: string; text: string; code: string; severity: Diagnostic['severity']; mark: string }[] = [
  { name: 'missing ]', text: '[Upgrade\n', code: 'unclosed-section', severity: 'error', mark: '[Upgrade' },
  { name: 'empty name', text: '[ ]\n', code: 'empty-section-name', severity: 'error', mark: '[ ]' },
  { name: 'empty key', text: `${VALID}= 5\n`, code: 'empty-key', severity: 'error', mark: '=' },
  { name: 'unclosed quote', text: `${VALID}Mode = "Forced\n`.replace('[Upgrade]\n', '[Upgrade]\n'), code: 'unclosed-quote', severity: 'error', mark: '"Forced' },
  { name: 'garbage line', text: `${VALID}hello world\n`, code: 'invalid-line', severity: 'error', mark: 'hello world' },
  { name: 'entry before header', text: `Port = 1\n${VALID}`, code: 'entry-outside-section', severity: 'error', mark: 'Port = 1' },
  { name: 'duplicate section', text: `${VALID}[upgrade]\n`, code: 'duplicate-section', severity: 'error', mark: 'upgrade' },
  { name: 'duplicate key', text: VALID.replace('FullSetup', 'Mode = Forced\nmode = Optional\nFullSetup'), code: 'duplicate-key', severity: 'error', mark: 'mode' },
  { name: 'unknown section', text: `${VALID}[Stup]\n`, code: 'unknown-section', severity: 'warning', mark: 'Stup' },
  { name: 'unknown key', text: VALID.replace('FullSetup', 'Mdoe = Forced\nFullSetup'), code: 'unknown-key', severity: 'warning', mark: 'Mdoe' },
  { name: 'port not a number', text: `${VALID}[Server]\nPort = eighty\n`, code: 'invalid-number', severity: 'error', mark: 'eighty' },
  { name: 'port too big', text: `${VALID}[Server]\nPort = 70000\n`, code: 'number-out-of-range', severity: 'error', mark: '70000' },
  { name: 'bad boolean', text: VALID.replace('FullSetup', 'Enabled = Yess\nFullSetup'), code: 'invalid-boolean', severity: 'error', mark: 'Yess' },
  { name: 'bad mode', text: VALID.replace('FullSetup', 'Mode = Sometimes\nFullSetup'), code: 'invalid-mode', severity: 'error', mark: 'Sometimes' },
  { name: 'bad bind', text: `${VALID}[Server]\nBind = example.com\n`, code: 'invalid-address', severity: 'error', mark: 'example.com' },
  { name: 'network bind', text: `${VALID}[Server]\nBind = 0.0.0.0\n`, code: 'network-bind', severity: 'information', mark: '0.0.0.0' },
  { name: 'bad current version', text: VALID.replace('5.20.12', '5.20.x'), code: 'invalid-version', severity: 'error', mark: '5.20.x' },
  { name: 'bad sha', text: VALID.replace('FullSetup', 'FullSetupSha256 = abc\nFullSetup'), code: 'invalid-sha256', severity: 'error', mark: 'abc' },
  { name: 'absolute path', text: VALID.replace('Netphone_520.exe', '/srv/Netphone_520.exe'), code: 'absolute-path', severity: 'error', mark: '/srv/Netphone_520.exe' },
  { name: 'path leaves root', text: VALID.replace('Netphone_520.exe', 'sub/../../x.exe'), code: 'path-outside-root', severity: 'error', mark: 'sub/../../x.exe' },
  { name: 'empty value', text: `${VALID}[Server]\nPort =\n`, code: 'empty-value', severity: 'error', mark: 'Port' },
  { name: 'no [Upgrade]', text: '[Server]\nPort = 8767\n', code: 'missing-section', severity: 'error', mark: '' },
  { name: 'no CurrentVersion', text: VALID.replace('CurrentVersion = 5.20.12\n', ''), code: 'missing-key', severity: 'error', mark: 'Upgrade' },
  { name: 'Patchable without PatchFile', text: VALID.replace('PatchFile = NP_Update.exe\n', ''), code: 'missing-key', severity: 'error', mark: 'Patchable' },
  { name: 'PatchFile without Patchable', text: VALID.replace(/Patchable = .*\n/, ''), code: 'patch-file-unused', severity: 'warning', mark: 'PatchFile' },
  { name: 'malformed item', text: VALID.replace('5.10.*', '5.10.*.1'), code: 'invalid-patchable-item', severity: 'error', mark: '5.10.*.1' },
  { name: 'empty item', text: VALID.replace('5.10.*,', '5.10.*,,'), code: 'empty-patchable-item', severity: 'error', mark: ',' },
  { name: 'trailing comma', text: VALID.replace('<5.13', '<5.13,'), code: 'trailing-comma', severity: 'error', mark: ',' },
  { name: 'range backwards', text: VALID.replace('5.11.1 - 5.11.9', '5.9 - 5.1'), code: 'empty-range', severity: 'error', mark: '5.9 - 5.1' },
  { name: 'contradicting comparators', text: VALID.replace('>=5.12 <5.13', '>5.10 <5.0'), code: 'empty-range', severity: 'error', mark: '>5.10 <5.0' },
  { name: 'unbounded comparator', text: VALID.replace('>=5.12 <5.13', '>=5.0'), code: 'patchable-reaches-current', severity: 'error', mark: '>=5.0' },
  { name: 'the current version itself', text: VALID.replace('5.10.*', '5.20.12'), code: 'patchable-reaches-current', severity: 'error', mark: '5.20.12' },
  { name: 'redundant item', text: VALID.replace('5.10.*', '5.10.*, 5.10.3'), code: 'redundant-patchable-item', severity: 'warning', mark: '5.10.3' },
];

for (const c of cases) {
  test(`${c.name}: ${c.code} marks "${c.mark}"`, () => {
    const found = only(c.text, c.code);
    assert.equal(found.length, 1, `expected one ${c.code}, got ${JSON.stringify(analyze(c.text).diagnostics.map((d) => d.code))}`);
    assert.equal(found[0].severity, c.severity);
    assert.equal(marked(c.text, found[0]), c.mark);
    assert.ok(found[0].message.length > 20, 'the message says what to do');
  });
}

test('every fix removes its own diagnostic', () => {
  for (const c of cases) {
    for (const d of only(c.text, c.code)) {
      for (const fix of d.fixes ?? []) {
        let text = c.text;
        for (const e of [...fix.edits].sort((a, b) => b.span.start - a.span.start)) {
          text = text.slice(0, e.span.start) + e.newText + text.slice(e.span.end);
        }
        const again = analyze(text).diagnostics.filter((x) => x.code === c.code);
        assert.ok(again.length < only(c.text, c.code).length, `${c.name}: "${fix.title}" left ${c.code} in:\n${text}`);
      }
    }
  }
});

test('positions with CRLF, a lone CR and non-ASCII text before the error', () => {
  const text = '; héllo 🙂\r\n[Upgrade]\rCurrentVersion = 5.20\r\nFullSetup = é.exe\r\nPatchable = 🙂, 5.1\r\n';
  const d = only(text, 'invalid-patchable-item')[0];
  const pos = new LineMap(text).positionAt(d.span.start);
  assert.deepEqual(pos, { line: 4, character: 12 });
  assert.equal(marked(text, d), '🙂');
  assert.equal(d.span.end - d.span.start, 2, 'an emoji is two UTF-16 units');
});

test('duplicate key points at the first one', () => {
  const text = VALID.replace('FullSetup', 'Mode = Forced\nMODE = Optional\nFullSetup');
  const d = only(text, 'duplicate-key')[0];
  assert.equal(d.related?.length, 1);
  assert.equal(marked(text, { ...d, span: d.related![0].span }), 'Mode');
  const a = analyze(text);
  assert.equal(a.config.upgrade.mode, 'forced', 'the first value is the one in force');
});

test('suppression silences warnings on the next line and in the file, never errors', () => {
  const base = VALID.replace('5.10.*', '5.10.*, 5.10.3');
  const nextLine = base.replace('Patchable', '; nsupgrade-disable-next-line redundant-patchable-item\nPatchable');
  assert.equal(only(nextLine, 'redundant-patchable-item').length, 0);
  const otherLine = base.replace('FullSetup', '; nsupgrade-disable-next-line redundant-patchable-item\nFullSetup');
  assert.equal(only(otherLine, 'redundant-patchable-item').length, 1, 'only the next line');
  const file = `; nsupgrade-disable unknown-section, redundant-patchable-item\n${base}[Extra]\n`;
  assert.equal(only(file, 'redundant-patchable-item').length, 0);
  assert.equal(only(file, 'unknown-section').length, 0);
  const error = `; nsupgrade-disable patchable-reaches-current\n${VALID.replace('>=5.12 <5.13', '>=5.0')}`;
  assert.equal(only(error, 'patchable-reaches-current').length, 1);
});

test('inline comments and quotes', () => {
  const text = VALID.replace('FullSetup = Netphone_520.exe', 'FullSetup = "Net phone;1.exe" ; the setup').replace('PatchFile = NP_Update.exe', 'PatchFile = NP;x.exe # patch');
  const a = analyze(text);
  assert.equal(a.config.upgrade.fullSetup, 'Net phone;1.exe');
  assert.equal(a.config.upgrade.patchFile, 'NP;x.exe');
});

test('a rename into a key that is already set is not offered: removing the stray line is', () => {
  const text = VALID.replace('CurrentVersion = 5.20.12', 'CurrentVersoin = 5.20\nCurrentVersion = 5.20.12');
  const [d] = only(text, 'unknown-key');
  assert.deepEqual(d.fixes?.map((f) => [f.title, f.preferred]), [['Remove this line (CurrentVersion is set already)', true]]);
  let fixed = text;
  for (const e of d.fixes![0].edits) fixed = fixed.slice(0, e.span.start) + e.newText + fixed.slice(e.span.end);
  assert.equal(analyze(fixed).config.upgrade.currentVersion?.text, '5.20.12', 'the real value stays');
  assert.deepEqual(analyze(fixed).diagnostics, []);
  const sectionText = `${VALID}[Stup]\n[Setup]\n`;
  assert.equal(only(sectionText, 'unknown-section')[0].fixes, undefined, 'no rename into an existing section');
});

test('a malformed hash of a file on disk can be repaired with the real hash', async () => {
  const dir = tempDir('nsu-sha-');
  writeFileSync(join(dir, 'Netphone_520.exe'), 'full');
  writeFileSync(join(dir, 'NP_Update.exe'), 'patch');
  const text = VALID.replace('FullSetup = Netphone_520.exe', 'FullSetup = Netphone_520.exe\nFullSetupSha256 = abc123');
  const loaded = await loadConfigText(text, join(dir, 'upgrade.ini'));
  const d = loaded.diagnostics.find((x) => x.code === 'invalid-sha256')!;
  const fix = d.fixes?.[0];
  assert.ok(fix?.preferred);
  let fixed = text;
  for (const e of fix.edits) fixed = fixed.slice(0, e.span.start) + e.newText + fixed.slice(e.span.end);
  const again = await loadConfigText(fixed, join(dir, 'upgrade.ini'));
  assert.equal(again.errorCount, 0, JSON.stringify(again.diagnostics.map((x) => x.code)));
});
