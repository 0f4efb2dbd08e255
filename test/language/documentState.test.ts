// One parse per document version: the cache hands back the very same state
// for an unchanged version and refuses file-check results of an old one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigText } from '../../server/src/config';
import { createState, DocumentStates } from '../../server/src/language/documentState';
import { tempDir } from '../tempDir';

const TEXT = '[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = Netphone_520.exe\n';

test('the same version is never parsed again; a new version is', () => {
  const states = new DocumentStates();
  const a = states.get('file:///x.ini', 1, TEXT);
  const b = states.get('file:///x.ini', 1, TEXT);
  assert.equal(b, a, 'same object, so the same analysis');
  assert.equal(b.analysis, a.analysis);
  const c = states.get('file:///x.ini', 2, TEXT.replace('5.20.12', '5.20.13'));
  assert.notEqual(c, a);
  assert.equal(c.analysis.config.upgrade.currentVersion?.text, '5.20.13');
  assert.equal(states.get('file:///y.ini', 1, TEXT) === a, false, 'keyed by URI');
  states.delete('file:///x.ini');
  assert.equal(states.peek('file:///x.ini'), undefined);
});

test('file-check results are stored only for the version they were computed on', async () => {
  const dir = tempDir('nsu-state-');
  writeFileSync(join(dir, 'Netphone_520.exe'), 'x');
  const path = join(dir, 'upgrade.ini');
  const states = new DocumentStates();
  states.get('file:///u.ini', 1, TEXT);
  const loaded = await loadConfigText(TEXT, path);
  // The document moved on while the disk was read.
  const newer = states.get('file:///u.ini', 2, `${TEXT}Mode = Optional\n`);
  assert.equal(states.setLoaded('file:///u.ini', 1, loaded), null);
  assert.equal(states.peek('file:///u.ini'), newer);
  assert.equal(newer.loaded, null);
  // The current version takes them.
  const loaded2 = await loadConfigText(newer.text, path);
  const stored = states.setLoaded('file:///u.ini', 2, loaded2);
  assert.ok(stored);
  assert.equal(stored.loaded, loaded2);
  assert.equal(stored.analysis, loaded2.analysis);
  assert.equal(states.get('file:///u.ini', 2, newer.text), stored, 'later requests see the file checks');
  // A result for other text of the same version is refused.
  assert.equal(states.setLoaded('file:///u.ini', 2, await loadConfigText(TEXT, path)), null);
});

test('createState keeps the text and a LineMap of it', () => {
  const s = createState('untitled:1', 7, 'a\r\nb');
  assert.equal(s.version, 7);
  assert.equal(s.loaded, null);
  assert.deepEqual(s.map.positionAt(3), { line: 1, character: 0 });
});
