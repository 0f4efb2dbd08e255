// --clients as simulate and plan read it (issue 11 item 10): a typo is a
// usage error (exit 2), not one rejected desk; a folder or a binary file says
// where and what, never "EISDIR" and never the file's bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../tempDir';
import { GARBAGE, nsupgrade } from './run';

const COMMANDS = ['simulate', 'plan'] as const;

function refused(command: string, clients: string, message: RegExp): void {
  const r = nsupgrade(command, 'examples/upgrade.ini', '--clients', clients);
  assert.equal(r.code, 2, `${command} --clients ${clients}: ${r.stdout}${r.stderr}`);
  assert.equal(r.stdout, '', 'nothing ran');
  assert.match(r.stderr, message, r.stderr);
  assert.doesNotMatch(r.stderr, GARBAGE, 'no control bytes or replacement characters in the message');
}

test('--clients foo: a usage error that says the item is not a version (was: one rejected desk, exit 0)', () => {
  for (const command of COMMANDS) {
    refused(command, 'foo', /^nsupgrade \w+: --clients: "foo" at column 1 is not a version: write VERSION\[:COUNT\],\.\.\. .*or @FILE/);
    refused(command, '5.10.3:2, fleet.csv:3', /--clients: "fleet\.csv" at column 11 is not a version/);
  }
});

test('--clients @FOLDER: "it is a folder", not EISDIR', () => {
  for (const command of COMMANDS) refused(command, '@examples', /^nsupgrade \w+: cannot read the fleet file examples: it is a folder\n/);
});

test('a binary fleet file: where the first byte that no text holds is, and what it is', () => {
  const dir = tempDir('nsu-fleet-');
  // An executable's start: NUL bytes on the first line.
  const exe = join(dir, 'setup.exe');
  writeFileSync(exe, Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x1b, 0x5b, 0x32, 0x4a]));
  // No NUL, but a terminal escape on line 2 (it would clear the screen if quoted).
  const escape = join(dir, 'fleet.csv');
  writeFileSync(escape, Buffer.concat([Buffer.from('version,count\n5.10.3,'), Buffer.from([0x1b, 0x5b, 0x32, 0x4a]), Buffer.from('\n')]));
  for (const command of COMMANDS) {
    refused(command, `@${exe}`, new RegExp(`${exe.replace(/[.\\/]/g, '\\$&')}:1:4: byte 0x00: this is not a text file`));
    refused(command, `@${escape}`, /fleet\.csv:2:8: the control character U\+001B: this is not a text file/);
  }
});

test('text a fleet file controls is quoted without control characters, and clipped', () => {
  const dir = tempDir('nsu-fleet-');
  const file = join(dir, 'fleet.csv');
  // Windows-1252 bytes (Excel's CSV) decode; a long unknown header is clipped in the message.
  writeFileSync(file, Buffer.concat([Buffer.from('version,count,'), Buffer.from('\u00e9'.repeat(300), 'latin1'), Buffer.from('\n5.10.3,1\n')]));
  for (const command of COMMANDS) {
    const r = nsupgrade(command, 'examples/upgrade.ini', '--clients', `@${file}`);
    assert.equal(r.code, 2);
    const quoted = /unknown column "([^"]*)"/.exec(r.stderr);
    assert.ok(quoted, r.stderr);
    assert.ok(quoted[1].length <= 60 && quoted[1].endsWith('...'), quoted[1]);
  }
});

test('a fleet file over 16 MiB is refused, after reading at most that much', () => {
  const dir = tempDir('nsu-fleet-');
  const file = join(dir, 'huge.csv');
  writeFileSync(file, 'version,count\n');
  truncateSync(file, 16 * 1024 * 1024 + 1);
  for (const command of COMMANDS) refused(command, `@${file}`, /cannot read the fleet file .*huge\.csv: it is larger than 16 MiB/);
  refused('simulate', '@/dev/zero', /cannot read the fleet file \/dev\/zero: it is larger than 16 MiB/);
});
