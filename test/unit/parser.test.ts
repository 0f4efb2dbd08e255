// Spec section 1, the line grammar, through parseDocument (the lossless tree).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument, type EntryNode, type IniDocument } from '../../server/src/config';

function entry(doc: IniDocument, key: string): EntryNode {
  for (const s of doc.sections) for (const e of s.entries) if (e.key === key.toLowerCase()) return e;
  throw new Error(`no entry ${key}`);
}

const slice = (doc: IniDocument, s: { start: number; end: number }): string => doc.text.slice(s.start, s.end);

test('the tree is lossless: every line, its span and its line end rebuild the text', () => {
  const text = '; head\r\n[Upgrade] ; c\rA = 1\n\n  \t\n# x\nbad line\r\nB="q"';
  const doc = parseDocument(text);
  assert.equal(doc.lines.map((l) => slice(doc, l.span) + l.eol).join(''), text);
  assert.deepEqual(
    doc.lines.map((l) => l.eol),
    ['\r\n', '\r', '\n', '\n', '\n', '\n', '\r\n', ''],
  );
  assert.deepEqual(
    doc.lines.map((l) => l.kind),
    ['comment', 'section', 'entry', 'blank', 'blank', 'comment', 'invalid', 'entry'],
  );
  assert.deepEqual(
    doc.lines.map((l) => l.line),
    [0, 1, 2, 3, 4, 5, 6, 7],
  );
});

test('blank line: only spaces and tabs', () => {
  const doc = parseDocument('[S]\n \t \n\t\n');
  assert.deepEqual(doc.lines.map((l) => l.kind).slice(0, 3), ['section', 'blank', 'blank']);
});

test('comment line: first non-blank character is ; or #', () => {
  const doc = parseDocument('  ; a\n\t# b\n;\n#\n');
  assert.deepEqual(doc.lines.slice(0, 4).map((l) => l.kind), ['comment', 'comment', 'comment', 'comment']);
  assert.deepEqual(doc.syntaxDiagnostics, []);
});

test('section header: blanks around and an inline comment after ] are allowed', () => {
  const text = '  [Upgrade]  ; main\n\t[Setup]\t# x\n[Server]';
  const doc = parseDocument(text);
  assert.deepEqual(doc.syntaxDiagnostics, []);
  assert.deepEqual(doc.sections.map((s) => s.name), ['Upgrade', 'Setup', 'Server']);
  const up = doc.sections[0];
  assert.equal(slice(doc, up.nameSpan), 'Upgrade');
  assert.equal(up.nameSpan.start, 3);
  assert.equal(slice(doc, up.headerSpan), '[Upgrade]');
  assert.ok(up.wellFormed);
  assert.equal(up.key, 'upgrade');
});

test('entry: the first = splits; key and value are trimmed', () => {
  const text = '[S]\n  Key \t=  a = b  \nK2=c==d\n';
  const doc = parseDocument(text);
  assert.deepEqual(doc.syntaxDiagnostics, []);
  const e = entry(doc, 'key');
  assert.equal(e.name, 'Key');
  assert.equal(e.value, 'a = b');
  assert.equal(slice(doc, e.keySpan), 'Key');
  assert.equal(slice(doc, e.valueSpan), 'a = b');
  assert.equal(e.keySpan.start, text.indexOf('Key'));
  assert.equal(entry(doc, 'K2').value, 'c==d');
});

test('entry without a value has value "" and no error from the parser', () => {
  const doc = parseDocument('[S]\nKey =\nK2=   \n');
  assert.deepEqual(doc.syntaxDiagnostics, []);
  assert.equal(entry(doc, 'Key').value, '');
  assert.equal(entry(doc, 'K2').value, '');
});

test('quoted value: quotes removed, no escapes, ; and # inside are kept', () => {
  const text = '[S]\nA = "  x ; y # z  "\nB = "a\\"\nC = ""\n';
  const doc = parseDocument(text);
  assert.deepEqual(doc.syntaxDiagnostics, []);
  const a = entry(doc, 'A');
  assert.equal(a.value, '  x ; y # z  ');
  assert.ok(a.quoted);
  assert.equal(slice(doc, a.valueSpan), '  x ; y # z  ');
  assert.equal(slice(doc, a.rawValueSpan), '"  x ; y # z  "');
  assert.equal(entry(doc, 'B').value, 'a\\'); // backslash is not an escape
  assert.equal(entry(doc, 'C').value, '');
});

test('quoted value followed by an inline comment', () => {
  const doc = parseDocument('[S]\nA = "x" ; note\n');
  assert.deepEqual(doc.syntaxDiagnostics, []);
  assert.equal(entry(doc, 'A').value, 'x');
});

test('unquoted value: ; or # after a blank starts an inline comment, otherwise it is text', () => {
  const text = '[S]\nA = 5.1 ; old\nB = a;b\nC = x#y\nD = v\t# tab\n';
  const doc = parseDocument(text);
  assert.deepEqual(doc.syntaxDiagnostics, []);
  assert.equal(entry(doc, 'A').value, '5.1');
  assert.equal(slice(doc, entry(doc, 'A').valueSpan), '5.1');
  assert.equal(entry(doc, 'B').value, 'a;b');
  assert.equal(entry(doc, 'C').value, 'x#y');
  assert.equal(entry(doc, 'D').value, 'v');
  const a = entry(doc, 'A');
  assert.ok(a.commentSpan);
  assert.equal(slice(doc, a.commentSpan), '; old');
});

test('a ; or # right after "= " follows a blank too: the value is empty, the rest a comment', () => {
  // spec 1: "In an unquoted value a ; or # that follows a blank starts an inline comment"
  const doc = parseDocument('[S]\nE = ; all comment\nF =\t# note\nG =;x\n');
  assert.deepEqual(doc.syntaxDiagnostics, []);
  assert.equal(entry(doc, 'E').value, '');
  assert.equal(entry(doc, 'F').value, '');
  assert.equal(entry(doc, 'G').value, ';x'); // no blank before the ;
});

test('a value that starts with " but does not end with " is unclosed-quote, on that line', () => {
  const text = '[S]\nA = "abc\n';
  const doc = parseDocument(text);
  assert.deepEqual(doc.syntaxDiagnostics.map((d) => [d.code, d.severity]), [['unclosed-quote', 'error']]);
  const d = doc.syntaxDiagnostics[0];
  assert.ok(d.span.start >= text.indexOf('"') && d.span.end <= text.indexOf('abc') + 3, 'marks the value');
  assert.ok(d.span.end > d.span.start);
});

test('a value that starts with " with text after the closing quote is an error', () => {
  const doc = parseDocument('[S]\nA = "abc" def\n');
  assert.equal(doc.syntaxDiagnostics.length, 1);
  assert.equal(doc.syntaxDiagnostics[0].severity, 'error');
});

test('missing ] is unclosed-section, an empty name is empty-section-name', () => {
  const doc = parseDocument('[Upgrade\n[]\n[  ]\n');
  assert.deepEqual(
    doc.syntaxDiagnostics.map((d) => [d.code, d.severity]),
    [
      ['unclosed-section', 'error'],
      ['empty-section-name', 'error'],
      ['empty-section-name', 'error'],
    ],
  );
  assert.equal(doc.sections[0]?.wellFormed, false);
});

test('empty key is empty-key', () => {
  const doc = parseDocument('[S]\n = v\n=\n');
  assert.deepEqual(doc.syntaxDiagnostics.map((d) => d.code), ['empty-key', 'empty-key']);
});

test('any other line is invalid-line ("expected [Section] or Key=Value")', () => {
  const text = '[S]\njust words\n';
  const doc = parseDocument(text);
  assert.deepEqual(doc.syntaxDiagnostics.map((d) => [d.code, d.severity]), [['invalid-line', 'error']]);
  const d = doc.syntaxDiagnostics[0];
  assert.equal(text.slice(d.span.start, d.span.end), 'just words');
});

test('names are case-insensitive: key is the lower-case name', () => {
  const doc = parseDocument('[UpGrade]\nCURRENTversion = 1\n');
  assert.equal(doc.sections[0].key, 'upgrade');
  assert.equal(doc.sections[0].entries[0].key, 'currentversion');
  assert.equal(doc.sections[0].entries[0].name, 'CURRENTversion');
});

test('entries before the first header are kept as orphans', () => {
  const doc = parseDocument('A = 1\n[S]\nB = 2\n');
  assert.deepEqual(doc.orphanEntries.map((e) => e.name), ['A']);
  assert.equal(doc.orphanEntries[0].section, null);
  assert.equal(doc.sections[0].entries[0].section, doc.sections[0]);
});

test('entries belong to the section above them, across blank and comment lines', () => {
  const doc = parseDocument('[A]\nx=1\n\n; c\ny=2\n[B]\nz=3\n');
  assert.deepEqual(doc.sections.map((s) => s.entries.map((e) => e.name)), [['x', 'y'], ['z']]);
});

test('an empty document has no lines of note and no diagnostics', () => {
  const doc = parseDocument('');
  assert.deepEqual(doc.sections, []);
  assert.deepEqual(doc.syntaxDiagnostics, []);
});
