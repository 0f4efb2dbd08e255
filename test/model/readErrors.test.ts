// "cannot read X: why", said one way by the CLI, the language server, the
// workbench and the fleet reader (cannotRead in the model).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cannotRead, loadConfig } from '../../server/src/config';
import { tempDir } from '../tempDir';

async function why(path: string): Promise<string> {
  try {
    await loadConfig(path);
  } catch (err) {
    return cannotRead(path, err);
  }
  return assert.fail(`${path} was read`);
}

test('a missing file, a folder and a symbolic-link loop each say what happened', async () => {
  const dir = tempDir('nsu-read-');
  mkdirSync(join(dir, 'folder.ini'));
  symlinkSync(join(dir, 'b.ini'), join(dir, 'a.ini'));
  symlinkSync(join(dir, 'a.ini'), join(dir, 'b.ini'));
  assert.equal(await why(join(dir, 'missing.ini')), `cannot read ${join(dir, 'missing.ini')}: no such file`);
  assert.equal(await why(join(dir, 'folder.ini')), `cannot read ${join(dir, 'folder.ini')}: it is a folder`);
  assert.equal(await why(join(dir, 'a.ini')), `cannot read ${join(dir, 'a.ini')}: too many symbolic links (a loop?)`);
  assert.equal(cannotRead('x.ini', { code: 'EACCES' }), 'cannot read x.ini: permission denied');
  assert.equal(cannotRead('x.ini', new Error('disk on fire')), 'cannot read x.ini: disk on fire');
});
