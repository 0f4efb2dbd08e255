// Input and output bounds of the command line (issue 10 items 9-11): a config
// over 16 MiB is refused after reading at most that much; JSON holds any
// number of diagnostics; text output grows with the file, not its square.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonDiagnostic } from '../../server/src/cli/format';
import { tempDir } from '../tempDir';
import { nsupgrade } from './run';

const TOO_LARGE = /^nsupgrade: cannot read (\S+): it is larger than 16 MiB, far more than any upgrade\.ini or fleet file \(is it the right file\?\)\n$/;

test('/dev/zero and /dev/urandom as the config: check, decide, simulate and serve refuse them (exit 2) instead of reading forever', () => {
  for (const device of ['/dev/zero', '/dev/urandom']) {
    for (const args of [['check', device], ['check', device, '--format', 'json'], ['decide', device, '--client-version', '5.10.3'], ['simulate', device, '--clients', '5.10.3'], ['serve', device, '--port', '0', '--host', '127.0.0.1']]) {
      const r = nsupgrade(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, TOO_LARGE, args.join(' '));
      assert.equal(TOO_LARGE.exec(r.stderr)?.[1], device);
    }
  }
});

test('a config file over 16 MiB is refused; one of 16 MiB is read', () => {
  const dir = tempDir('nsu-limit-');
  const over = join(dir, 'over.ini');
  writeFileSync(over, '[Upgrade]\n');
  truncateSync(over, 16 * 1024 * 1024 + 1);
  const r = nsupgrade('check', over);
  assert.equal(r.code, 2);
  assert.match(r.stderr, TOO_LARGE);
  // At the limit: read and checked (its NUL padding is one bad-encoding error, exit 1).
  const at = join(dir, 'at.ini');
  writeFileSync(at, '[Upgrade]\n');
  truncateSync(at, 16 * 1024 * 1024);
  const ok = nsupgrade('check', at, '--format', 'json');
  assert.equal(ok.code, 1, ok.stderr);
  assert.deepEqual((JSON.parse(ok.stdout) as JsonDiagnostic[]).map((d) => d.code), ['bad-encoding']);
});

/** A Patchable line of `n` copies of one item: n - 1 redundant-item warnings on one line. */
function duplicates(n: number): string {
  const dir = tempDir('nsu-limit-');
  writeFileSync(join(dir, 'NP_Update.exe'), 'x');
  writeFileSync(join(dir, 'Netphone_520.exe'), 'y');
  const file = join(dir, 'upgrade.ini');
  writeFileSync(file, `[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = Netphone_520.exe\nPatchFile = NP_Update.exe\nPatchable = ${Array(n).fill('5.10.3').join(', ')}\n`);
  return file;
}

test('check --format json with 130,000 diagnostics: all of them, valid JSON (was: RangeError from a spread into push, exit 2)', () => {
  const n = 130_000;
  const r = nsupgrade('check', duplicates(n), '--format', 'json');
  assert.equal(r.code, 0, r.stderr.slice(0, 500));
  const json = JSON.parse(r.stdout) as JsonDiagnostic[];
  assert.equal(json.filter((d) => d.code === 'redundant-patchable-item' && d.line === 5).length, n - 1);
});

test('text output: the quoted line is clipped around the span, and one line\'s problems are capped with a count', () => {
  const n = 4000;
  const file = duplicates(n);
  const r = nsupgrade('check', file);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  // Was: the 28 KB line reprinted for each of 3,999 warnings (112 MB).
  assert.ok(r.stdout.length < 10_000, `${r.stdout.length} characters`);
  for (const line of lines) assert.ok(line.length <= 400, line.slice(0, 120));
  const shown = lines.filter((l) => l.includes('[redundant-patchable-item]'));
  assert.equal(shown.length, 10);
  assert.ok(lines.includes(`${file}:5: ${n - 1 - 10} more on this line, not shown (redundant-patchable-item ${n - 1 - 10}); --format json lists every one`), lines.slice(-3).join('\n'));
  // The count at the end still counts every one.
  assert.ok(lines.at(-1)?.startsWith(`${file}: ${n - 1} warnings`), lines.at(-1));
  // Each quote marks the item it is about inside its clipped window (which starts with "..." once
  // the span is far from the line's start): the caret line's ^^^^^^ sits under "5.10.3".
  for (let k = 0; k < lines.length; k++) {
    if (!lines[k].includes('[redundant-patchable-item]')) continue;
    const text = lines[k + 2].slice('5 | '.length);
    const caret = lines[k + 3].slice('  | '.length);
    assert.ok(text.length <= 106, text);
    assert.equal(text.slice(caret.indexOf('^'), caret.length), '5.10.3', `${text}\n${caret}`);
  }
  assert.ok(lines.some((l) => l.startsWith('5 | ...')), 'later quotes are clipped on the left too');
});
