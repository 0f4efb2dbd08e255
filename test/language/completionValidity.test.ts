// Completion inside Patchable offers nothing the checks then reject as an
// error (snippet defaults included), and hover promises a patch only where
// one is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionItemKind } from 'vscode-languageserver-types';
import { analyze } from '../../server/src/config';
import { completion } from '../../server/src/language/completion';
import { hover } from '../../server/src/language/hover';
import { applyLspEdits, at } from './cursor';

const expand = (s: string): string => s.replace(/\$\{\d+:([^}]*)\}/g, '$1');

test('snippet defaults and versions offered for a new item are never rejected by the checks', () => {
  for (const [current, list] of [['5.20.12', '5.20.1, '], ['5.0', ''], ['0.1', ''], ['5.20.12', '5.10.3, 5.11.1 - 5.11.99, 5.19.4, '], ['6', '5.*, ']]) {
    const { state, offset } = at(`[Upgrade]\nCurrentVersion = ${current}\nFullSetup = a.exe\nPatchFile = b.exe\nPatchable = ${list}|\n`);
    for (const i of completion(state, offset).items) {
      if (i.kind === CompletionItemKind.Operator) continue;
      const e = i.textEdit && 'range' in i.textEdit ? i.textEdit : null;
      assert.ok(e);
      const out = applyLspEdits(state.text, [{ range: e.range, newText: expand(e.newText) }]);
      const errors = analyze(out).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
      assert.deepEqual(errors, [], `${i.label} with CurrentVersion ${current}: ${out.split('\n')[4]}`);
    }
  }
});

test('after a whole version and a blank only "-" goes on', () => {
  const { state, offset } = at('[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = a.exe\nPatchFile = b.exe\nPatchable = 5.10.3, 5.11.1 |\n');
  assert.deepEqual(completion(state, offset).items.map((i) => i.label), ['-']);
});

test('hover never promises a patch for an item at or above CurrentVersion, or with upgrades disabled', () => {
  const h = (t: string): string => {
    const { state, offset } = at(t);
    return JSON.stringify(hover(state, offset)?.contents);
  };
  const base = '[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = a.exe\nPatchFile = b.exe\n';
  assert.doesNotMatch(h(`${base}Patchable = 5.10.*, 5.3|0\n`), /gets the patch/);
  assert.match(h(`${base}Enabled = No\nPatchable = 5.1|0.*\n`), /let in on its version/);
  assert.match(h(`${base}Patchable = 5.1|0.*\n`), /gets the patch/);
});
