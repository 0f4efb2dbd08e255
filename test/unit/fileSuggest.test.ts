// The files a missing FullSetup/PatchFile probably meant (issue 11 item 9):
// close by name (edits, a common start, shared words) and of the same kind
// (setup executables: .exe, .msi), the close ones first, a few at most.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { closeFiles, editDistance, MAX_FILE_SUGGESTIONS, nameSimilarity } from '../../server/src/config';

const paths = (wanted: string, files: string[], exclude?: string[]): string[] => closeFiles(wanted, files, { exclude }).map((s) => s.path);

test('PatchFile = NP_Patch.exe with NP_Update.exe in FileRoot: NP_Update.exe, close by name; the full setup the other key names is left out', () => {
  const got = closeFiles('NP_Patch.exe', ['Netphone_520.exe', 'NP_Update.exe', 'readme.txt', 'upgrade-state.json'], { exclude: ['Netphone_520.exe'] });
  assert.deepEqual(got.map((s) => [s.path, s.close]), [['NP_Update.exe', true]]);
});

test('setups only when a setup is named: a readme of the same name is no setup; a far setup is offered after the close ones', () => {
  assert.deepEqual(paths('NP_Patch.exe', ['NP_Patch.txt', 'np_patch.pdf', 'Tools.exe', 'NP_Update.exe']), ['NP_Update.exe', 'Tools.exe']);
  const got = closeFiles('Setup.exe', ['Netphone_520.msi', 'notes.txt']);
  assert.deepEqual(got.map((s) => [s.path, s.close]), [['Netphone_520.msi', false]]);
});

test('best first: the closest name, the same extension before the other setup kind, the same folder, the higher version', () => {
  assert.deepEqual(paths('Netphone_530.exe', ['NP_Update.exe', 'Netphone_520.exe', 'Netphone_510.exe', 'Netphone_520.msi']), ['Netphone_520.exe', 'Netphone_510.exe', 'Netphone_520.msi']);
  assert.deepEqual(paths('old/NP_Update.exe', ['NP_Update.exe', 'old/NP_Update.exe.bak', 'old/NP_Updates.exe', 'new/NP_Updates.exe']), ['NP_Update.exe', 'old/NP_Updates.exe', 'new/NP_Updates.exe']);
  // Case only: the file is there under another case (a Linux FileRoot): the best there is.
  assert.deepEqual(paths('np_update.exe', ['Netphone_520.exe', 'NP_Update.exe'])[0], 'NP_Update.exe');
});

test('not a setup kind: close by name only, of any kind', () => {
  assert.deepEqual(paths('NP_Update.zip', ['NP_Update.7z', 'Netphone_520.exe', 'other.zip']), ['NP_Update.7z']);
});

test('a few at most, never the name itself, never an excluded one (case and slashes aside)', () => {
  const many = Array.from({ length: 40 }, (_, i) => `NP_Update_${i}.exe`);
  assert.equal(closeFiles('NP_Update.exe', many).length, MAX_FILE_SUGGESTIONS);
  assert.deepEqual(paths('NP_Update.exe', ['NP_Update.exe']), []);
  assert.deepEqual(paths('files\\NP_Patch.exe', ['files/NP_Update.exe', 'files/Netphone.exe'], ['FILES\\netphone.exe']), ['files/NP_Update.exe']);
  assert.deepEqual(paths('NP_Patch.exe', []), []);
});

test('nameSimilarity: 1 for the same name, symmetric, within 0..1; at least the edit similarity (property)', () => {
  const name = fc.string({ unit: fc.constantFrom('n', 'p', '_', 'u', 'd', 'a', 't', 'e', '5', '2', '0', '.'), maxLength: 12 });
  fc.assert(
    fc.property(name, name, (a, b) => {
      const s = nameSimilarity(a, b);
      assert.ok(s >= 0 && s <= 1, `${a} ~ ${b}: ${s}`);
      assert.equal(s, nameSimilarity(b, a));
      if (a.length && b.length) assert.ok(s >= 1 - editDistance(a, b) / Math.max(a.length, b.length) - 1e-12);
      if (a.length) assert.equal(nameSimilarity(a, a), 1);
    }),
    { numRuns: 2000 },
  );
  assert.ok(nameSimilarity('np_patch', 'np_update') >= 0.5);
  assert.ok(nameSimilarity('np_patch', 'netphone_520') < 0.5);
});
