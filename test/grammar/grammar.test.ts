// The TextMate grammar, tokenized by the engine VS Code uses (vscode-textmate
// with Oniguruma), token by token.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const ROOT = join(__dirname, '..', '..');
let grammar: textmate.IGrammar;

before(async () => {
  const wasm = readFileSync(join(ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async () => textmate.parseRawGrammar(readFileSync(join(ROOT, 'syntaxes', 'upgrade-ini.tmLanguage.json'), 'utf8'), 'upgrade-ini.tmLanguage.json'),
  });
  const g = await registry.loadGrammar('source.netserver-upgrade-ini');
  assert.ok(g);
  grammar = g;
});

/** The innermost scope (without the language suffix) of each non-blank token. */
function tokens(line: string): [string, string][] {
  const r = grammar.tokenizeLine(line, textmate.INITIAL);
  return r.tokens
    .map((t): [string, string] => [line.slice(t.startIndex, t.endIndex), t.scopes[t.scopes.length - 1].replace('.netserver-upgrade-ini', '')])
    .filter(([text]) => text.trim().length > 0);
}

function scopeOf(line: string, text: string): string | undefined {
  return tokens(line).find(([t]) => t === text)?.[1];
}

/** Every scope at one character of the line. */
function scopesAt(line: string, index: number): string[] {
  const t = grammar.tokenizeLine(line, textmate.INITIAL).tokens.find((k) => k.startIndex <= index && index < k.endIndex);
  return t ? t.scopes : [];
}

test('comments, whole-line and inline', () => {
  for (const line of ['; a comment', '  # indented note']) {
    for (let i = line.search(/\S/); i < line.length; i++) assert.ok(scopesAt(line, i).includes('comment.line.netserver-upgrade-ini'), `${line}@${i}`);
  }
  const inline = 'Mode = Forced ; why';
  assert.ok(scopesAt(inline, inline.indexOf('why')).includes('comment.line.netserver-upgrade-ini'));
  assert.ok(!scopesAt(inline, inline.indexOf('Forced')).includes('comment.line.netserver-upgrade-ini'));
  // A ; without a blank before it is part of the value, as the parser reads it.
  const glued = 'ConflictingApps = Chat;DSS';
  assert.ok(!scopesAt(glued, glued.indexOf('DSS')).includes('comment.line.netserver-upgrade-ini'));
});

test('section headers', () => {
  assert.deepEqual(tokens('[Upgrade] ; main').slice(0, 3), [['[', 'punctuation.definition.section.begin'], ['Upgrade', 'entity.name.section'], [']', 'punctuation.definition.section.end']]);
});

test('keys, values, booleans, modes, numbers, quoted strings', () => {
  assert.deepEqual(tokens('Mode = Optional'), [['Mode', 'support.type.property-name.key'], ['=', 'keyword.operator.assignment'], ['Optional', 'constant.language.mode']]);
  assert.equal(scopeOf('Enabled = yes', 'yes'), 'constant.language.boolean');
  assert.equal(scopeOf('Port = 8767', '8767'), 'constant.numeric.integer');
  assert.equal(scopeOf('CurrentVersion = 5.20.12', '5.20.12'), 'constant.numeric.version');
  assert.equal(scopeOf('FullSetup = "Net phone.exe"', '"Net phone.exe"'), 'string.quoted.double');
  assert.equal(scopeOf('FullSetup = Netphone_520.exe', 'Netphone_520.exe'), 'string.unquoted');
});

test('Patchable: versions, wildcards, ranges, comparators, separators', () => {
  const line = 'Patchable = 5.10.*, 5.11.1 - 5.11.99, >=5.12 <5.20';
  assert.equal(scopeOf(line, '*'), 'keyword.other.wildcard');
  assert.equal(scopeOf(line, '5.11.1'), 'constant.numeric.version');
  assert.equal(scopeOf(line, '-'), 'keyword.operator.range');
  assert.equal(scopeOf(line, '>='), 'keyword.operator.comparison');
  assert.equal(scopeOf(line, '<'), 'keyword.operator.comparison');
  assert.equal(scopeOf(line, ','), 'punctuation.separator.comma');
  assert.equal(scopeOf('patchable=5.x', '5.x'), 'invalid.illegal.version');
});

test('a line that is neither is marked invalid', () => {
  assert.deepEqual(tokens('hello world'), [['hello world', 'invalid.illegal.line']]);
});

test('one-component versions and quoted lists in Patchable are versions, not errors', () => {
  assert.equal(scopeOf('Patchable = >=5 <6', '5'), 'constant.numeric.version');
  assert.equal(scopeOf('Patchable = >=5 <6', '6'), 'constant.numeric.version');
  assert.equal(scopeOf('Patchable = 4, 5.1', '4'), 'constant.numeric.version');
  assert.equal(scopeOf('Patchable = "5.10.*, 5.11"', '5.11'), 'constant.numeric.version');
  assert.ok(!tokens('Patchable = "5.10.*, 5.11"').some(([, s]) => s.startsWith('invalid')));
});
