// Text output of diagnostics: one word per severity in the line and in the
// count (issue 11 item 10: "information" in the line, "1 note" in the count),
// and the quoted source line clipped without splitting a character or letting
// the file drive the terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnosticsText, quoteAround, summarize, QUOTE_WIDTH } from '../../server/src/cli/format';
import type { Diagnostic, Severity } from '../../server/src/config';
import { tempDir } from '../tempDir';
import { GARBAGE, nsupgrade } from './run';

const diag = (severity: Severity, start: number, end: number): Diagnostic => ({ severity, code: 'unknown-key', message: 'm', span: { start, end } });

test('the information severity reads "note" in the line and in the count; JSON keeps "information" (spec 6)', () => {
  const dir = tempDir('nsu-format-');
  writeFileSync(join(dir, 'NP.exe'), 'x');
  const file = join(dir, 'upgrade.ini');
  // Bind = 0.0.0.0 is the model's one information-level diagnostic (network-bind).
  writeFileSync(file, '[Server]\nBind = 0.0.0.0\n[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = NP.exe\nFullSetupSha256 = 2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881\n');
  const json = nsupgrade('check', file, '--format', 'json');
  assert.deepEqual(JSON.parse(json.stdout), [{ file, line: 2, column: 8, endLine: 2, endColumn: 15, severity: 'information', code: 'network-bind', message: (JSON.parse(json.stdout) as { message: string }[])[0].message }]);
  const text = nsupgrade('check', file);
  assert.equal(text.code, 0, text.stderr);
  const lines = text.stdout.trimEnd().split('\n');
  assert.match(lines[0], new RegExp(`^${file.replace(/[.\\/]/g, '\\$&')}:2:8 note Bind = 0\\.0\\.0\\.0 `));
  assert.equal(lines.at(-1), `${file}: 1 note`);
  assert.doesNotMatch(text.stdout, /information/);
});

test('summarize counts each severity with the word its lines use, plural from 2', () => {
  assert.equal(summarize([diag('information', 0, 1)]), '1 note');
  assert.equal(summarize([diag('error', 0, 1), diag('error', 0, 1), diag('warning', 0, 1), diag('information', 0, 1), diag('information', 0, 1), diag('hint', 0, 1)]), '2 errors, 1 warning, 2 notes, 1 hint');
  const text = formatDiagnosticsText('f', 'abc', [diag('information', 0, 1), diag('hint', 1, 2)], { color: false });
  assert.deepEqual(
    text.split('\n').filter((l) => l.startsWith('f:')).map((l) => l.split(' ')[1]),
    ['note', 'hint'],
  );
});

test('a short line is quoted whole and marked under its span', () => {
  assert.deepEqual(quoteAround('Key = value', 6, 11), { text: 'Key = value', pad: '      ', width: 5 });
  assert.deepEqual(quoteAround('\tKey = v', 7, 8), { text: '\tKey = v', pad: '\t      ', width: 1 });
  // An empty span still gets one mark.
  assert.deepEqual(quoteAround('Key =', 5, 5), { text: 'Key =', pad: '     ', width: 1 });
});

test('a long line: a window of QUOTE_WIDTH around the span, "..." where cut, the mark under the span', () => {
  // Letters, blanks, commas and an astral character; no dots, so "..." can only be a cut.
  const char = fc.constantFrom('a', 'B', ' ', ',', '5', '\u{1F600}', '\u00e9');
  fc.assert(
    fc.property(fc.array(char, { minLength: QUOTE_WIDTH + 1, maxLength: 400 }).map((cs) => cs.join('')), fc.nat(), fc.nat(), (line, a, b) => {
      let start = a % line.length;
      if (line.charCodeAt(start) >= 0xdc00 && line.charCodeAt(start) <= 0xdfff) start--; // spans start on a character
      const end = Math.min(line.length, start + (b % 50));
      const q = quoteAround(line, start, end);
      const cutBefore = q.text.startsWith('...');
      const cutAfter = q.text.endsWith('...');
      const body = q.text.slice(cutBefore ? 3 : 0, cutAfter ? q.text.length - 3 : q.text.length);
      // A window of the line, QUOTE_WIDTH code units widened to whole characters, cut marked where it was.
      assert.ok(body.length <= QUOTE_WIDTH + 2, `${body.length}`);
      assert.equal(cutBefore, !line.startsWith(body));
      assert.equal(cutAfter, !line.endsWith(body));
      // Never half a character.
      assert.doesNotMatch(q.text, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      // The marks sit under the span's own text (positions in UTF-16 units, as the columns are).
      assert.ok(q.width >= 1 && q.width <= Math.max(1, end - start));
      assert.equal(q.text.slice(q.pad.length, q.pad.length + q.width), line.slice(start, start + q.width) || line.slice(start, start + 1));
      assert.match(q.pad, /^ *$/);
    }),
    { numRuns: 2000 },
  );
});

test('control characters in the quoted line are shown as U+FFFD: the file cannot drive the terminal', () => {
  const q = quoteAround('Name = \x1b[2J\x07x', 7, 13);
  assert.equal(q.text, 'Name = \uFFFD[2J\uFFFDx');
  assert.equal(q.pad, '       ');
  assert.doesNotMatch(q.text, /[\u0000-\u0008\u000b-\u001f\u007f]/);
  // Through the CLI: nothing of the escape reaches stdout.
  const dir = tempDir('nsu-format-');
  const file = join(dir, 'upgrade.ini');
  writeFileSync(file, '[Upgrade]\nCurrentVersoin = \x1b[2J5.20.12\n');
  const r = nsupgrade('check', file);
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stdout.replace(/\uFFFD/g, ''), GARBAGE);
});
