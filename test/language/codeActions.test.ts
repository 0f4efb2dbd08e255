// Every quick fix, applied as an editor would apply it (LSP ranges through
// the LineMap), on LF and CRLF text with non-ASCII text before the problem:
// the re-check no longer reports what the fix was for, and adds no error.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { CodeAction } from 'vscode-languageserver-types';
import { analyze, loadConfigText, type Diagnostic } from '../../server/src/config';
import { createState, type DocumentState } from '../../server/src/language/documentState';
import { codeActions } from '../../server/src/language/codeActions';
import { modelDiagnostics } from '../../server/src/language/diagnostics';
import { toRange } from '../../server/src/language/positions';
import { applyLspEdits, crlf } from './cursor';
import { tempDir } from '../tempDir';

const FULL = Buffer.from('full setup bytes');
const PATCH = Buffer.from('patch bytes');
const hash = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
let dir: string;

before(() => {
  dir = tempDir('nsu-fix-');
  mkdirSync(join(dir, 'files'));
  writeFileSync(join(dir, 'files', 'Netphone_520.exe'), FULL);
  writeFileSync(join(dir, 'files', 'NP_Update.exe'), PATCH);
});

// A comment with a surrogate pair and an umlaut first, so every later offset
// differs between UTF-16, UTF-8 and code points.
const HEAD = '; Zürich 🙂 desks\n[Server]\nFileRoot = files\n';
const UP = `${HEAD}[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = Netphone_520.exe\nFullSetupSha256 = ${hash(FULL)}\nPatchFile = NP_Update.exe\nPatchFileSha256 = ${hash(PATCH)}\n`;

interface Case {
  code: Diagnostic['code'];
  text: string;
  /** Needs the file checks (the fix comes from them). */
  files?: boolean;
}

const CASES: Case[] = [
  { code: 'unknown-key', text: UP.replace('CurrentVersion', 'CurentVersion') },
  { code: 'unknown-section', text: `${UP}[Setpu]\nRestartIfBusy = No\n` },
  { code: 'duplicate-key', text: `${UP}Mode = Forced\nMode = Optional\n` },
  { code: 'duplicate-section', text: `${UP}[Setup]\nRestartIfBusy = No\n[setup] ; again, ü\nConflictingApps = Chat\n` },
  { code: 'invalid-boolean', text: `${UP}Enabled = Yess\n` },
  { code: 'invalid-mode', text: `${UP}Mode = Forcd\n` },
  { code: 'missing-section', text: HEAD },
  { code: 'missing-key', text: UP.replace(/CurrentVersion = 5\.20\.12\n/, '') },
  { code: 'missing-key', text: UP.replace(/PatchFile = NP_Update\.exe\n/, '').replace(/PatchFileSha256.*\n/, '') + 'Patchable = 5.10.*\n' },
  { code: 'redundant-patchable-item', text: `${UP}Patchable = 5.10.*, 5.10.3, 5.11.1 - 5.11.9\n` },
  { code: 'redundant-patchable-item', text: `${UP}Patchable = 5.ü, 5.10.*, 5.🙂, 5.10.3\n` },
  { code: 'empty-range', text: `${UP}Patchable = 5.10.*, 5.11.9 - 5.11.1\n` },
  { code: 'empty-range', text: `${UP}Patchable = >5.10 <5.1, 5.12\n` },
  { code: 'patchable-reaches-current', text: `${UP}Patchable = 5.10.*, >=5.12\n` },
  { code: 'patchable-reaches-current', text: `${UP}Patchable = 5.10.*, 5.20.*, 6.0\n` },
  { code: 'patchable-reaches-current', text: `${UP}Patchable = <5.30, 5.10.3\n` },
  { code: 'trailing-comma', text: `${UP}Patchable = 5.10.*, 5.11.2,\n` },
  { code: 'empty-patchable-item', text: `${UP}Patchable = 5.10.*,, 5.11.2\n` },
  { code: 'hash-mismatch', text: UP.replace(hash(PATCH), 'a'.repeat(64)), files: true },
  { code: 'missing-sha256', text: UP.replace(/FullSetupSha256.*\n/, ''), files: true },
  { code: 'file-not-found', text: UP.replace('PatchFile = NP_Update.exe', 'PatchFile = NP_Patch.exe'), files: true },
  { code: 'file-not-found', text: UP.replace('PatchFile = NP_Update.exe', 'PatchFile = "NP Patch.exe" ; ü'), files: true },
];

async function stateOf(text: string, files: boolean, version: number): Promise<DocumentState> {
  if (!files) return createState('untitled:fix', version, text);
  const loaded = await loadConfigText(text, join(dir, 'upgrade.ini'));
  return createState('file:///fix.ini', version, text, loaded);
}

function actionsFor(state: DocumentState, d: Diagnostic): CodeAction[] {
  return codeActions(state, toRange(state.map, d.span));
}

const errorCodes = (s: DocumentState): string[] => [...new Set(modelDiagnostics(s).filter((d) => d.severity === 'error').map((d) => d.code))].sort();

for (const eol of ['LF', 'CRLF'] as const) {
  test(`every fix removes its diagnostic and adds no error (${eol})`, async () => {
    for (const c of CASES) {
      const text = eol === 'CRLF' ? crlf(c.text) : c.text;
      const state = await stateOf(text, c.files === true, 1);
      const targets = modelDiagnostics(state).filter((d) => d.code === c.code);
      assert.ok(targets.length > 0, `${c.code} is reported for ${JSON.stringify(text)}: ${modelDiagnostics(state).map((d) => d.code)}`);
      const d = targets[0];
      const fixes = actionsFor(state, d).filter((a) => !a.title.startsWith('Silence'));
      assert.ok(fixes.length > 0, `${c.code} has a fix`);
      assert.equal(fixes.filter((a) => a.isPreferred).length <= 1, true, 'at most one preferred fix');
      for (const fix of fixes) {
        const edits = fix.edit?.changes?.[state.uri];
        assert.ok(edits && edits.length > 0, `"${fix.title}" carries edits for this document`);
        const fixed = applyLspEdits(text, edits);
        if (eol === 'CRLF') assert.ok(!/(^|[^\r])\n/.test(fixed), `"${fix.title}" keeps CRLF line ends: ${JSON.stringify(fixed)}`);
        const after = await stateOf(fixed, c.files === true, 2);
        const left = modelDiagnostics(after).filter((x) => x.code === c.code);
        assert.ok(left.length < targets.length, `"${fix.title}" removes ${c.code}: ${JSON.stringify(fixed)}`);
        const newErrors = errorCodes(after).filter((e) => !errorCodes(state).includes(e));
        assert.deepEqual(newErrors, [], `"${fix.title}" adds no error: ${JSON.stringify(fixed)}`);
      }
    }
  });
}

test('a fix is offered wherever the cursor touches the problem, and only there', () => {
  const text = `${UP}Patchable = 5.10.*, 5.10.3\n`;
  const state = createState('untitled:r', 1, text);
  const at = text.indexOf('5.10.3');
  const range = (s: number, e: number) => ({ start: state.map.positionAt(s), end: state.map.positionAt(e) });
  const titles = (s: number, e: number): string[] => codeActions(state, range(s, e)).map((a) => a.title);
  assert.ok(titles(at, at).includes('Remove "5.10.3"'), 'cursor at the start');
  assert.ok(titles(at + 6, at + 6).includes('Remove "5.10.3"'), 'cursor just after');
  assert.ok(titles(0, text.length).includes('Remove "5.10.3"'), 'a selection around it');
  assert.deepEqual(titles(0, 1), [], 'elsewhere nothing');
});

test('silencing: warnings, information and hints get both comments, and each works; errors get none', () => {
  const text = crlf(`; Zürich 🙂\n[Server]\nBind = 0.0.0.0\n[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = Netphone_520.exe\nPatchFile = NP_Update.exe\nPatchable = 5.10.*, 5.10.3, >=5.0\n[Stup]\n  Colour = blue\n`);
  const state = createState('untitled:s', 1, text);
  const diags = modelDiagnostics(state);
  assert.ok(diags.some((d) => d.severity === 'error') && diags.some((d) => d.severity !== 'error'));
  for (const d of diags) {
    const actions = actionsFor(state, d).filter((a) => a.diagnostics?.[0]?.code === d.code && a.title.startsWith('Silence'));
    if (d.severity === 'error') {
      assert.deepEqual(actions, [], `${d.code} (an error) cannot be silenced`);
      continue;
    }
    assert.deepEqual(actions.map((a) => a.title), [`Silence ${d.code} on this line`, `Silence ${d.code} in this file`]);
    // The line comment silences that code on that line (5.10.3 and 5.10.* are both inside >=5.0 here), nowhere else.
    const sameLine = diags.filter((x) => x.code === d.code && state.map.lineOf(x.span.start) === state.map.lineOf(d.span.start)).length;
    const before = diags.filter((x) => x.code === d.code).length;
    const line = analyze(applyLspEdits(text, actions[0].edit!.changes![state.uri]));
    assert.equal(line.diagnostics.filter((x) => x.code === d.code).length, before - sameLine, `${d.code}: none left on that line after the line comment`);
    const file = analyze(applyLspEdits(text, actions[1].edit!.changes![state.uri]));
    assert.equal(file.diagnostics.filter((x) => x.code === d.code).length, 0, `${d.code}: none after the file comment`);
    assert.equal(file.diagnostics.filter((x) => x.severity === 'error').length, diags.filter((x) => x.severity === 'error').length, 'errors stay');
  }
});

test('a missing setup file: the files of FileRoot it probably meant, close by name and setups, best first (issue 11 item 9)', async () => {
  const text = UP.replace('PatchFile = NP_Update.exe', 'PatchFile = NP_Patch.exe');
  const state = await stateOf(text, true, 1);
  const d = modelDiagnostics(state).find((x) => x.code === 'file-not-found');
  assert.ok(d, 'NP_Patch.exe is reported missing');
  const fixes = actionsFor(state, d).filter((a) => !a.title.startsWith('Silence'));
  // Netphone_520.exe is FullSetup's file: the full setup is no patch.
  assert.deepEqual(fixes.map((a) => [a.title, a.isPreferred]), [['Use NP_Update.exe (in FileRoot)', true]]);
  assert.match(applyLspEdits(text, fixes[0].edit!.changes![state.uri]), /^PatchFile = NP_Update\.exe$/m);
});
