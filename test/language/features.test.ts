// Each language feature as a pure function over a document state, with the
// cursor marked `|` in the test text (yaml-language-server's habit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createState } from '../../server/src/language/documentState';
import { completion } from '../../server/src/language/completion';
import { hover } from '../../server/src/language/hover';
import { formatting, formatLines } from '../../server/src/language/formatting';
import { codeActions } from '../../server/src/language/codeActions';
import { documentSymbols } from '../../server/src/language/symbols';
import { analyze } from '../../server/src/config';

const BASE = '[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = Netphone_520.exe\nPatchFile = NP_Update.exe\n';

function at(textWithCursor: string): { state: ReturnType<typeof createState>; offset: number } {
  const offset = textWithCursor.indexOf('|');
  assert.ok(offset >= 0, 'the test text marks the cursor with |');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  return { state: createState('untitled:test', 1, text), offset };
}

function labels(textWithCursor: string, files: string[] = []): string[] {
  const { state, offset } = at(textWithCursor);
  return completion(state, offset, { files }).items.map((i) => i.label);
}

test('completion: keys not yet present, required first, in the right section', () => {
  const l = labels('[Upgrade]\nCurrentVersion = 5.20.12\n|');
  assert.ok(l.includes('FullSetup') && l.includes('Mode') && l.includes('Patchable'));
  assert.ok(!l.includes('CurrentVersion'), 'present keys are not offered again');
  assert.ok(!l.includes('Port'), 'keys of another section are not offered');
  assert.ok(l.includes('[Server]') && !l.includes('[Upgrade]'), 'a missing section may start here');
  const server = labels('[Server]\nPo|');
  assert.ok(server.includes('Port'));
});

test('completion: values by type', () => {
  assert.deepEqual(labels(`${BASE}Mode = |`), ['Forced', 'Optional']);
  assert.deepEqual(labels(`${BASE}Enabled = |`), ['Yes', 'No']);
  assert.ok(labels('[Server]\nBind = |').includes('127.0.0.1'));
  assert.deepEqual(labels(BASE.replace('FullSetup = Netphone_520.exe', 'FullSetup = |'), ['Netphone_520.exe', 'sub/NP_Update.exe']), ['Netphone_520.exe', 'sub/NP_Update.exe']);
});

test('completion inside Patchable at every position', () => {
  const doc = `${BASE}Patchable = 5.10.3, 5.11.1 - 5.11.99, 5.19.4, `;
  const fresh = labels(`${doc}|`);
  assert.ok(['version', 'wildcard', 'range', 'comparators'].every((s) => fresh.includes(s)));
  assert.ok(fresh.includes('>=') && fresh.includes('<'));
  // Every version the file mentions is in the list already: none adds anything (issue 10 item 14).
  assert.deepEqual(fresh.filter((l) => /^\d/.test(l)), []);
  // Inside a range after "-": above the lower bound, and never swallowing another item (5.19.4).
  assert.deepEqual(labels(`${BASE}Patchable = 5.11.1 - |, 5.10.3, 5.19.4`).filter((l) => /^\d/.test(l)), []);
  assert.deepEqual(labels(`${BASE}Patchable = 5.11.1 - |, 5.10.3, 5.11.50 - 5.11.99`).filter((l) => /^\d/.test(l)), ['5.11.50'], 'up to an item it overlaps, not past it');
  // After an operator; "<" may name CurrentVersion itself, ">=" may not.
  assert.ok(labels(`${BASE}Patchable = >=5.0 <|`).includes('5.20.12'));
  assert.deepEqual(labels(`${BASE}Patchable = 5.10.3, >=5.0 <|`), ['5.10.3'], '<5.20.12 would swallow 5.10.3');
  assert.ok(!labels(`${BASE}Patchable = 5.10.3, >=|`).includes('5.20.12'));
  // After a comparator and a blank: the upper-bound operators.
  assert.deepEqual(labels(`${BASE}Patchable = >=5.0 |`), ['<', '<=']);
  // A version being typed: filtered by what is typed so far, and only what the list lacks.
  const typed = labels('[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = Netphone_5.19.9.exe\nPatchFile = NP_5.18.exe\nPatchable = 5.18, 5.1|');
  assert.deepEqual(typed.filter((l) => /^\d/.test(l)), ['5.19.9']);
});

test('completion never offers a version at or above CurrentVersion as an item', () => {
  const l = labels(`[Upgrade]\nCurrentVersion = 5.10\nFullSetup = Netphone_5.20.1.exe\nPatchFile = NP_5.8.exe\nPatchable = 5.9, 5.10, 5.11, |`);
  assert.ok(l.includes('5.8'), 'a version the list lacks');
  assert.ok(!l.includes('5.9'), 'in the list already');
  assert.ok(!l.includes('5.10') && !l.includes('5.11') && !l.includes('5.20.1'));
});

test('completion works on CRLF text and after non-ASCII comments', () => {
  const l = labels('; Zürich 🙂\r\n[Upgrade]\r\nCurrentVersion = 5.20.12\r\nPatchable = 5.10.3, |');
  assert.ok(l.includes('range') && !l.includes('5.10.3'));
});

test('hover: key docs, section docs, item meaning', () => {
  const h = (t: string): string => {
    const { state, offset } = at(t);
    const r = hover(state, offset);
    return r ? JSON.stringify(r.contents) : '';
  };
  assert.match(h(`${BASE}Mo|de = Forced`), /Upgrade in progress/);
  assert.match(h(`${BASE}Mo|de = Forced`), /Default: `Forced`/);
  assert.match(h('[Ser|ver]\n'), /listens/);
  assert.match(h(`${BASE}Patchable = 5.10.*, >=5.11 <5.|19`), />=5\.11 <5\.19` matches \*\*5\.11 <= version <= 5\.18\.65535\.65535|5\.11 <= version < 5\.19/);
  assert.match(h(`${BASE}Patchable = 5.10|.*`), /5\.10 <= version < 5\.11/);
  assert.equal(h(`; a comm|ent\n${BASE}`), '');
});

test('code actions carry the fixes of the diagnostics they touch, and silencing for warnings only', () => {
  const text = `${BASE}Patchable = 5.10.*, 5.10.3\n`;
  const state = createState('untitled:x', 1, text);
  const start = text.indexOf('5.10.3');
  const range = { start: state.map.positionAt(start), end: state.map.positionAt(start + 1) };
  const titles = codeActions(state, range).map((a) => a.title);
  assert.deepEqual(titles, ['Remove "5.10.3"', 'Silence redundant-patchable-item on this line', 'Silence redundant-patchable-item in this file']);
  const err = createState('untitled:y', 1, `${BASE}Patchable = >=5.0\n`);
  const e = err.text.indexOf('>=5.0');
  const errTitles = codeActions(err, { start: err.map.positionAt(e), end: err.map.positionAt(e) }).map((a) => a.title);
  assert.deepEqual(errTitles, ['Bound it below CurrentVersion: >=5.0 <5.20.12'], 'errors cannot be silenced');
  assert.deepEqual(codeActions(state, range, ['refactor']), []);
});

test('symbols: sections with their keys', () => {
  const state = createState('untitled:s', 1, `[Server]\nPort = 1\n${BASE}`);
  assert.deepEqual(documentSymbols(state).map((s) => [s.name, s.children?.length]), [['Server', 1], ['Upgrade', 3]]);
});

const line = fc.oneof(
  fc.constantFrom('', '  ', '; note', '  # indented note', '[server]', '[Upgrade] ; main', '[Setup]', 'garbage line', '[Broken'),
  fc.tuple(fc.constantFrom('port', 'Bind', 'currentversion', 'FullSetup', 'mode', 'Patchable', 'ConflictingApps', 'Other'), fc.constantFrom('=', ' = ', '=  ', '\t=\t'), fc.constantFrom('8767', '5.20.12', 'a.exe', 'optional', '5.10.*,5.11.1-5.11.9', '>= 5.1 <5.2', '"q;v"', 'Chat,DSS', '', 'x ; c', '5.1,,5.2')).map(([k, eq, v]) => `${k}${eq}${v}`),
);
const docs = fc.tuple(fc.array(line, { maxLength: 14 }), fc.constantFrom('\n', '\r\n')).map(([ls, eol]) => ls.join(eol) + eol);

function apply(text: string, state: ReturnType<typeof createState>): string {
  let out = '';
  for (const { line: l, text: t } of formatLines(state)) out += t + l.eol;
  assert.equal(formatting(state).length === 0, out === text);
  return out;
}

test('formatting is idempotent and never changes meaning', () => {
  fc.assert(
    fc.property(docs, (text) => {
      const once = apply(text, createState('untitled:f', 1, text));
      const twice = apply(once, createState('untitled:f', 2, once));
      assert.equal(twice, once, 'idempotent');
      const a = analyze(text);
      const b = analyze(once);
      // Meaning, not spelling: items are compared by what they match (kind and bounds).
      const meaning = (k: string, v: unknown): unknown => (k === 'span' || k === 'text' ? undefined : v);
      assert.deepEqual(JSON.parse(JSON.stringify(b.config, meaning)), JSON.parse(JSON.stringify(a.config, meaning)), 'same model');
      assert.deepEqual(b.diagnostics.map((d) => d.code).sort(), a.diagnostics.map((d) => d.code).sort(), 'same problems');
    }),
    { numRuns: 1500 },
  );
});
