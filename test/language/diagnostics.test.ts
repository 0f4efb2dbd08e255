// Model diagnostics as LSP diagnostics: exactly the model's list (the CLI's),
// positions in UTF-16, related places, and the file checks when they ran.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { join } from 'node:path';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver-types';
import { analyze, loadConfigText } from '../../server/src/config';
import { createState } from '../../server/src/language/documentState';
import { toLspDiagnostics } from '../../server/src/language/diagnostics';
import { tempDir } from '../tempDir';

const TEXT = '; Zürich 🙂\r\n[Server]\r\nBind = 0.0.0.0\r\n[Upgrade]\r\nCurrentVersion = 5.20.12\r\nFullSetup = Netphone_520.exe\r\nPatchFile = NP.exe\r\nPatchable = 5.🙂, 5.10.*, 5.10.3\r\nMode = Forced\r\nMode = Optional\r\n';

test('one LSP diagnostic per model diagnostic, same order, codes, messages and severities', () => {
  const state = createState('untitled:d', 1, TEXT);
  const model = analyze(TEXT).diagnostics;
  const lsp = toLspDiagnostics(state);
  assert.deepEqual(lsp.map((d) => d.code), model.map((d) => d.code));
  assert.deepEqual(lsp.map((d) => d.message), model.map((d) => d.message));
  const sev = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint };
  assert.deepEqual(lsp.map((d) => d.severity), model.map((d) => sev[d.severity]));
  assert.ok(lsp.every((d) => d.source === 'nsupgrade'));
  assert.deepEqual(lsp.map((d) => d.code), ['network-bind', 'invalid-patchable-item', 'redundant-patchable-item', 'duplicate-key']);
});

test('ranges count UTF-16 code units after a surrogate pair on the same line', () => {
  const lsp = toLspDiagnostics(createState('untitled:d', 1, TEXT));
  const bad = lsp.find((d) => d.code === 'invalid-patchable-item')!;
  assert.deepEqual(bad.range, { start: { line: 7, character: 12 }, end: { line: 7, character: 16 } }, '"5.🙂" is four code units');
  const redundant = lsp.find((d) => d.code === 'redundant-patchable-item')!;
  assert.deepEqual(redundant.range, { start: { line: 7, character: 26 }, end: { line: 7, character: 32 } });
  assert.deepEqual(redundant.tags, [DiagnosticTag.Unnecessary], 'shown faded, as VS Code does for unused code');
  assert.deepEqual(redundant.relatedInformation?.map((r) => r.location.range), [{ start: { line: 7, character: 18 }, end: { line: 7, character: 24 } }]);
});

test('a duplicate key points at the first one', () => {
  const dup = toLspDiagnostics(createState('untitled:d', 1, TEXT)).find((d) => d.code === 'duplicate-key')!;
  assert.equal(dup.range.start.line, 9);
  assert.equal(dup.relatedInformation?.[0].location.uri, 'untitled:d');
  assert.equal(dup.relatedInformation?.[0].location.range.start.line, 8);
});

test('with the file checks, their diagnostics are included (what the CLI prints)', async () => {
  const dir = tempDir('nsu-diag-');
  const loaded = await loadConfigText(TEXT, join(dir, 'upgrade.ini'));
  const state = createState('file:///x', 1, TEXT, loaded);
  const codes = toLspDiagnostics(state).map((d) => d.code);
  assert.deepEqual(codes, loaded.diagnostics.map((d) => d.code));
  assert.equal(codes.filter((c) => c === 'file-not-found').length, 2, 'both setup files are missing');
  assert.ok(!toLspDiagnostics(createState('untitled:y', 1, TEXT)).some((d) => d.code === 'file-not-found'), 'no disk, no file checks');
});

test('suppression comments are honoured (the model applies them)', () => {
  const silenced = `; nsupgrade-disable network-bind\r\n${TEXT.replace('Patchable', '; nsupgrade-disable-next-line redundant-patchable-item\r\nPatchable')}`;
  const codes = toLspDiagnostics(createState('untitled:s', 1, silenced)).map((d) => d.code);
  assert.deepEqual(codes, ['invalid-patchable-item', 'duplicate-key']);
});
