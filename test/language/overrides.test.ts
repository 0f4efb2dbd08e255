// Settings that override [Server] Port and Bind (issue 11 item 2), as pure
// functions: what is read from the editor's settings, the inlay hint on the
// line (or on [Server] when the file has no such line), and the note in hover.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-types';
import { createState } from '../../server/src/language/documentState';
import { inlayHints } from '../../server/src/language/inlayHints';
import { hover } from '../../server/src/language/hover';
import { NO_OVERRIDES, overridesInSettings, readOverrides, type ServerOverrides } from '../../server/src/language/overrides';
import { crlf } from './cursor';

const TEXT = crlf('; Zürich 🙂 office\n[Server] ; the LAN\nPort = 8767 ; Net Phones connect here\nFileRoot = .\n[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = a.exe\n');
const WHOLE = { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } };

test('readOverrides: a whole-number port and a bind that is not empty, as the extension host reads them; anything else leaves the file', () => {
  assert.deepEqual(readOverrides({ port: 8768, bind: '0.0.0.0', autoStart: true }), { port: 8768, bind: '0.0.0.0' });
  assert.deepEqual(readOverrides({ port: null, bind: '' }), NO_OVERRIDES);
  assert.deepEqual(readOverrides({ port: '8768', bind: 7 }), NO_OVERRIDES);
  assert.deepEqual(readOverrides({ port: 8768.5 }), NO_OVERRIDES);
  assert.deepEqual(readOverrides({ port: 70000 }), NO_OVERRIDES);
  assert.deepEqual(readOverrides(null), NO_OVERRIDES);
  assert.deepEqual(overridesInSettings({ nsupgrade: { server: { port: 1 } } }), { port: 1, bind: null });
  assert.deepEqual(overridesInSettings({ nsupgrade: {} }), NO_OVERRIDES, 'our section without server settings: none set');
  assert.equal(overridesInSettings({ editor: {} }), undefined, 'not ours: ask the editor');
  assert.equal(overridesInSettings(null), undefined);
});

test('the hint sits at the end of the Port line, after its comment, in UTF-16 units of a CRLF file', () => {
  const state = createState('untitled:o', 1, TEXT);
  const hints = inlayHints(state, WHOLE, { port: 8768, bind: null });
  assert.equal(hints.length, 1);
  assert.equal(hints[0].label, 'overridden by settings: 8768');
  assert.deepEqual(hints[0].position, { line: 2, character: 'Port = 8767 ; Net Phones connect here'.length });
  assert.match((hints[0].tooltip as MarkupContent).value, /listens on port 8768, not 8767/);
  // The same value: pinned, not overridden.
  assert.deepEqual(inlayHints(state, WHOLE, { port: 8767, bind: null }).map((h) => h.label), ['pinned by settings: 8767']);
  assert.deepEqual(inlayHints(state, WHOLE, NO_OVERRIDES), []);
  // Outside the range asked for: nothing.
  assert.deepEqual(inlayHints(state, { start: { line: 3, character: 0 }, end: { line: 9, character: 0 } }, { port: 8768, bind: null }), []);
});

test('no Bind line: the hint names the key on the [Server] header (the default is what the file means); no [Server]: on the first header', () => {
  const state = createState('untitled:o', 1, TEXT);
  const [h] = inlayHints(state, WHOLE, { port: null, bind: '0.0.0.0' });
  assert.equal(h.label, 'Bind overridden by settings: 0.0.0.0');
  assert.deepEqual(h.position, { line: 1, character: '[Server] ; the LAN'.length });
  assert.match((h.tooltip as MarkupContent).value, /listens on 0\.0\.0\.0, not 127\.0\.0\.1.*Bind \(not set here: the default, 127\.0\.0\.1\)/s);
  const noServer = createState('untitled:p', 1, '[Upgrade]\nCurrentVersion = 5.20.12\n');
  assert.deepEqual(inlayHints(noServer, WHOLE, { port: 8768, bind: null }).map((x) => [x.label, x.position]), [['Port overridden by settings: 8768', { line: 0, character: '[Upgrade]'.length }]]);
  assert.deepEqual(inlayHints(createState('untitled:q', 1, ''), WHOLE, { port: 8768, bind: null }), []);
});

test('hover of Port (key and value) says it is overridden and by what; Bind without an override says nothing of settings', () => {
  const state = createState('untitled:o', 1, TEXT);
  const text = (offset: number, overrides: ServerOverrides = { port: 8768, bind: null }): string => (hover(state, offset, { overrides })?.contents as MarkupContent).value;
  for (const at of [TEXT.indexOf('Port') + 1, TEXT.indexOf('8767') + 1]) {
    assert.match(text(at), /\*\*Overridden by settings\*\*: `nsupgrade\.server\.port` is `8768`.*This file says Port = 8767/s);
    assert.doesNotMatch(text(at, { port: null, bind: null }), /settings/);
  }
  assert.doesNotMatch(text(TEXT.indexOf('FileRoot') + 1), /settings/);
});
