// When the language server validates (language/validator.ts), without a
// connection: a debounce at every size, one publication per burst, nothing
// published for a version a newer one replaced, no timer left after close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHashCache } from '../../server/src/config';
import { DocumentStates, type DocumentState } from '../../server/src/language/documentState';
import { debounceMs, Validator, type OpenDocument } from '../../server/src/language/validator';

function harness(): { docs: Map<string, OpenDocument>; published: DocumentState[]; validator: Validator; set(uri: string, version: number, text: string): void } {
  const docs = new Map<string, OpenDocument>();
  const published: DocumentState[] = [];
  const validator = new Validator(new DocumentStates(), createHashCache(), { document: (uri) => docs.get(uri), publish: (s) => published.push(s), error: (m) => assert.fail(m) });
  return { docs, published, validator, set: (uri, version, text) => docs.set(uri, { version, getText: () => text }) };
}

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('small and big documents both wait a debounce; big ones longer, up to a bound', () => {
  assert.ok(debounceMs(10) > 0, 'a small document is debounced too');
  assert.ok(debounceMs(50_000) > debounceMs(10));
  assert.ok(debounceMs(1_000_000) >= debounceMs(50_000));
  assert.equal(debounceMs(1_000_000), debounceMs(10_000_000), 'bounded');
});

test('a burst of changes to a small document is validated once, for its last version', async () => {
  const h = harness();
  for (let v = 1; v <= 5; v++) {
    h.set('untitled:a', v, `[Upgrade]\nCurrentVersion = 5.${v}\n`);
    h.validator.schedule('untitled:a');
  }
  assert.equal(h.validator.pending, 1);
  await settle(debounceMs(10) + 50);
  assert.deepEqual(h.published.map((s) => s.version), [5]);
  assert.equal(h.published[0].analysis.config.upgrade.currentVersion?.text, '5.5');
});

test('closing a document clears its timer: nothing is validated or published after', async () => {
  const h = harness();
  h.set('untitled:b', 1, '[Upgrade]\n');
  h.validator.schedule('untitled:b');
  assert.equal(h.validator.pending, 1);
  h.docs.delete('untitled:b');
  h.validator.close('untitled:b');
  assert.equal(h.validator.pending, 0);
  await settle(debounceMs(10) + 50);
  assert.deepEqual(h.published, []);
});

test('checks of one version are shared; a version replaced while checked is not published', async () => {
  const h = harness();
  h.set('untitled:c', 1, '[Upgrade]\n');
  const a = h.validator.checked('untitled:c');
  const b = h.validator.checked('untitled:c');
  assert.equal(a, b, 'the same run');
  h.set('untitled:c', 2, '[Upgrade]\nMode = Optional\n');
  h.validator.schedule('untitled:c');
  await settle(debounceMs(10) + 50);
  assert.equal((await a)?.version, 1);
  assert.deepEqual(h.published.map((s) => s.version), [2]);
});
