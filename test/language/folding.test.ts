// Folding by section (header to the last non-blank line) and long comment runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FoldingRangeKind } from 'vscode-languageserver-types';
import { createState } from '../../server/src/language/documentState';
import { foldingRanges } from '../../server/src/language/folding';

const pairs = (text: string): [number, number, string?][] =>
  foldingRanges(createState('untitled:f', 1, text)).map((f) => (f.kind ? [f.startLine, f.endLine, f.kind] : [f.startLine, f.endLine]));

test('each section folds from its header to its last non-blank line', () => {
  const text = '[Server]\nPort = 1\n\n\n[Upgrade]\nCurrentVersion = 5.2\n; trailing note\n\n[Setup]\n';
  assert.deepEqual(pairs(text), [[0, 1], [4, 6]], 'an empty [Setup] does not fold');
});

test('line ends of every style count alike', () => {
  assert.deepEqual(pairs('[Server]\r\nPort = 1\r\n\r\n[Upgrade]\rCurrentVersion = 5.2\r'), [[0, 1], [3, 4]]);
});

test('three or more comment lines fold as a comment; two do not', () => {
  const text = '; one\n; two\n; three\n[Server]\n; a\n; b\nPort = 1\n';
  assert.deepEqual(pairs(text), [[3, 6], [0, 2, FoldingRangeKind.Comment]]);
});
