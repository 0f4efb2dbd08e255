// language-configuration.json as VS Code reads it: comment toggling, brackets,
// auto-closing pairs, and a word pattern under which a version, a wildcard and
// a file name are each one word (double-click, Ctrl+D and completion replace
// the whole of `5.10.0003`, not `0003`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface AutoClosingPair {
  open: string;
  close: string;
  notIn?: string[];
}
interface LanguageConfiguration {
  comments?: { lineComment?: string };
  brackets?: [string, string][];
  autoClosingPairs?: AutoClosingPair[];
  wordPattern?: string;
}

const config = JSON.parse(readFileSync(join(__dirname, '..', '..', 'language-configuration.json'), 'utf8')) as LanguageConfiguration;

/** The words of a line as VS Code finds them: every match of the word pattern (it adds the g flag). */
function words(line: string): string[] {
  assert.ok(config.wordPattern, 'wordPattern is set');
  return [...line.matchAll(new RegExp(config.wordPattern, 'g'))].map((m) => m[0]);
}

test('line comments toggle with ;, the comment the spec and our examples use', () => {
  assert.equal(config.comments?.lineComment, ';');
});

test('[ ] are brackets and [ ] and " close automatically', () => {
  assert.deepEqual(config.brackets, [['[', ']']]);
  const pairs = (config.autoClosingPairs ?? []).map((p) => p.open + p.close);
  assert.ok(pairs.includes('[]'), JSON.stringify(pairs));
  assert.ok(pairs.includes('""'), JSON.stringify(pairs));
});

test('versions and wildcards are one word each; operators, "-" and "," are not part of a word', () => {
  assert.deepEqual(words('Patchable = 5.10.0003, 5.10.*, 5.11.1 - 5.11.99, >=5.12 <5.20, 5.*'), [
    'Patchable',
    '5.10.0003',
    '5.10.*',
    '5.11.1',
    '5.11.99',
    '5.12',
    '5.20',
    '5.*',
  ]);
  assert.deepEqual(words('Patchable=5.10.1-5.10.9'), ['Patchable', '5.10.1', '5.10.9']);
  assert.deepEqual(words('CurrentVersion = 5.20.12.7'), ['CurrentVersion', '5.20.12.7']);
});

test('keys, section names, file names and addresses are one word each', () => {
  assert.deepEqual(words('[Upgrade]'), ['Upgrade']);
  assert.deepEqual(words('FullSetup = Netphone_520.exe ; the full setup'), ['FullSetup', 'Netphone_520.exe', 'the', 'full', 'setup']);
  assert.deepEqual(words('Bind = 127.0.0.1'), ['Bind', '127.0.0.1']);
  assert.deepEqual(words('ConflictingApps = Chat, DSS'), ['ConflictingApps', 'Chat', 'DSS']);
});
