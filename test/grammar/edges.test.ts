// The TextMate grammar on the less common but valid (and some invalid) forms
// of the spec, tokenized by the engine VS Code uses (vscode-textmate with
// Oniguruma). Complements grammar.test.ts.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const ROOT = join(__dirname, '..', '..');
const SUFFIX = '.netserver-upgrade-ini';
let grammar: textmate.IGrammar;

before(async () => {
  const wasm = readFileSync(join(ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => textmate.parseRawGrammar(readFileSync(join(ROOT, 'syntaxes', 'upgrade-ini.tmLanguage.json'), 'utf8'), 'upgrade-ini.tmLanguage.json'),
  });
  const g = await registry.loadGrammar('source.netserver-upgrade-ini');
  assert.ok(g, 'the grammar loads under its scope name');
  grammar = g;
});

/** Non-blank tokens as [text, innermost scope without the language suffix]. */
function tokens(line: string): [string, string][] {
  return grammar
    .tokenizeLine(line, textmate.INITIAL)
    .tokens.map((t): [string, string] => [line.slice(t.startIndex, t.endIndex), t.scopes[t.scopes.length - 1].replace(SUFFIX, '')])
    .filter(([text]) => text.trim().length > 0);
}

/** Every scope (without the suffix) at one character. */
function scopesAt(line: string, index: number): string[] {
  const t = grammar.tokenizeLine(line, textmate.INITIAL).tokens.find((k) => k.startIndex <= index && index < k.endIndex);
  assert.ok(t, `a token at ${index} of ${JSON.stringify(line)}`);
  return t.scopes.map((s) => s.replace(SUFFIX, ''));
}

test('a range without blanks around "-", and four-component versions', () => {
  assert.deepEqual(tokens('Patchable = 5.10.1-5.10.9.7'), [
    ['Patchable', 'support.type.property-name.key'],
    ['=', 'keyword.operator.assignment'],
    ['5.10.1', 'constant.numeric.version'],
    ['-', 'keyword.operator.range'],
    ['5.10.9.7', 'constant.numeric.version'],
  ]);
});

test('wildcards after one, two or three components', () => {
  for (const w of ['5.*', '5.10.*', '5.10.3.*']) {
    const line = `Patchable = ${w}`;
    const star = line.indexOf('*');
    assert.ok(scopesAt(line, star).includes('keyword.other.wildcard'), w);
    assert.ok(scopesAt(line, star - 2).includes('constant.numeric.version.wildcard'), w);
  }
});

test('every comparator operator, glued to its version or not', () => {
  const line = 'Patchable = >=5.0 <5.10, >5.11 <=5.12, =5.13, >= 5.14 < 5.15';
  const ops = tokens(line).filter(([, scope]) => scope === 'keyword.operator.comparison').map(([text]) => text);
  assert.deepEqual(ops, ['>=', '<', '>', '<=', '=', '>=', '<']);
  const versions = tokens(line).filter(([, scope]) => scope === 'constant.numeric.version').map(([text]) => text);
  assert.deepEqual(versions, ['5.0', '5.10', '5.11', '5.12', '5.13', '5.14', '5.15']);
});

test('the Patchable key in any case, and an inline comment after the list', () => {
  const line = 'PATCHABLE = 5.10.*, 5.11.1 - 5.11.9 ; the 5.1x line';
  assert.equal(tokens(line)[0][1], 'support.type.property-name.key');
  assert.ok(scopesAt(line, line.indexOf('the')).includes('comment.line'));
  assert.ok(!scopesAt(line, line.indexOf('5.11.9')).includes('comment.line'));
  // The version inside the comment is comment, not a version.
  assert.ok(!scopesAt(line, line.indexOf('5.1x')).includes('constant.numeric.version'));
});

test('malformed Patchable items are marked invalid, the valid ones beside them are not', () => {
  const line = 'Patchable = 5.10.*, 5..1, 5.x, 5.11.2';
  assert.ok(scopesAt(line, line.indexOf('5..1')).includes('invalid.illegal.version'));
  assert.ok(scopesAt(line, line.indexOf('5.x')).includes('invalid.illegal.version'));
  assert.equal(tokens(line).at(-1)?.[1], 'constant.numeric.version');
});

test('booleans in any case and both modes', () => {
  for (const b of ['Yes', 'no', 'TRUE', 'False', 'on', 'OFF']) {
    assert.deepEqual(tokens(`RestartIfBusy = ${b}`).at(-1), [b, 'constant.language.boolean'], b);
  }
  for (const m of ['Forced', 'optional']) assert.deepEqual(tokens(`Mode = ${m}`).at(-1), [m, 'constant.language.mode'], m);
});

test('a quoted value keeps ; and # inside it; a comment after the closing quote is a comment', () => {
  const line = 'FullSetup = "Net ; Phone #5.exe" ; full setup';
  assert.deepEqual(tokens(line)[2], ['"Net ; Phone #5.exe"', 'string.quoted.double']);
  assert.ok(scopesAt(line, line.indexOf('full')).includes('comment.line'));
});

test('a section header with blanks inside and after, and a # comment', () => {
  const line = '  [ Setup ]  # optional section';
  const t = tokens(line);
  assert.deepEqual(t.slice(0, 3), [
    ['[', 'punctuation.definition.section.begin'],
    ['Setup', 'entity.name.section'],
    [']', 'punctuation.definition.section.end'],
  ]);
  assert.ok(scopesAt(line, line.indexOf('optional')).includes('comment.line'));
});

test('lines the parser rejects are marked invalid: no closing ], no key before =', () => {
  for (const line of ['[Upgrade', '= 5.10', 'just words']) {
    const t = tokens(line);
    assert.equal(t.length, 1, line);
    assert.equal(t[0][1], 'invalid.illegal.line', line);
  }
});

test('an entry with an empty value is still a key and an assignment', () => {
  assert.deepEqual(tokens('Patchable ='), [
    ['Patchable', 'support.type.property-name.key'],
    ['=', 'keyword.operator.assignment'],
  ]);
  assert.deepEqual(tokens('Mode='), [
    ['Mode', 'support.type.property-name.key'],
    ['=', 'keyword.operator.assignment'],
  ]);
});
