// Overlapping file checks share one hash of a file: an editor re-validating
// while a big setup is still being read must not read it again each time
// (issue 9: five overlapping validations hashed a 300 MB setup five times).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, checkFiles, createHashCache } from '../../server/src/config';
import { tempDir } from '../tempDir';

test('five overlapping checks of one config hash its setup file once, and all five get the right hash', async () => {
  const dir = tempDir('nsu-shared-hash-');
  mkdirSync(join(dir, 'files'));
  const setup = Buffer.alloc(8 * 1024 * 1024, 3);
  writeFileSync(join(dir, 'files', 'setup.exe'), setup);
  const ini = join(dir, 'upgrade.ini');
  const analysis = analyze('[Server]\nFileRoot = files\n[Upgrade]\nCurrentVersion = 2.0\nFullSetup = setup.exe\n');
  // Each hash computed is stored once: count the stores (and the reports of a computed hash).
  const computed: string[] = [];
  const inner = createHashCache(64, (path) => computed.push(path));
  let stored = 0;
  const cache = { ...inner, set: (key: string, sha: string) => (stored++, inner.set(key, sha)) };
  const results = await Promise.all(Array.from({ length: 5 }, () => checkFiles(analysis, ini, cache)));
  const expected = createHash('sha256').update(setup).digest('hex');
  assert.deepEqual(results.map((r) => r.files.fullSetup?.sha256), Array(5).fill(expected));
  assert.equal(stored, 1, 'one hash computed for five checks');
  assert.deepEqual(computed, [join(dir, 'files', 'setup.exe')]);
  // Later checks are cache hits: still one hash.
  await checkFiles(analysis, ini, cache);
  assert.equal(stored, 1);
});
