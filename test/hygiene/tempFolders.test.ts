// Test files leave nothing in the temp folder: run a set of them with TMPDIR
// pointing at a fresh folder and look at it afterwards (issue 9: twelve test
// files left their fixture folders behind).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
// Files that make temp folders, quick to run (the slow ones share the same helper).
const FILES = ['test/language/hover.test.ts', 'test/language/links.test.ts', 'test/language/documentState.test.ts', 'test/model/checks.test.ts', 'test/model/sharedHash.test.ts', 'test/unit/files.test.ts'];

test('test files remove their temp folders when they end', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'nsu-hygiene-'));
  try {
    // A run of its own, not a child of this runner (which would swallow its report).
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
    delete env.NODE_TEST_CONTEXT;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', ...FILES], { cwd: ROOT, env, encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, new RegExp(`# pass [1-9]`), 'the files ran');
    // tsx keeps its compile cache there (tsx-UID): not ours.
    assert.deepEqual(readdirSync(tmp).filter((n) => !n.startsWith('tsx-')), []);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
