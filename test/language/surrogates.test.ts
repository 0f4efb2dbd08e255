// Issue 10 item 12: no text the server sends holds half of a character. A
// lone surrogate (half of an emoji) in a message makes Neovim reject the
// whole reply, freezing that file's diagnostics. Every message builder is
// driven with characters outside the BMP at every place a value can hold one,
// around the 57-unit cut of long quoted lines too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, charAt, clipText, hasLoneSurrogate } from '../../server/src/config';
import { createState } from '../../server/src/language/documentState';
import { completion } from '../../server/src/language/completion';
import { hover } from '../../server/src/language/hover';
import { codeActions } from '../../server/src/language/codeActions';
import { documentSymbols } from '../../server/src/language/symbols';
import { toLspDiagnostics } from '../../server/src/language/diagnostics';

/** Every string inside a JSON-like value. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

function assertWhole(what: string, value: unknown): void {
  for (const s of strings(value)) assert.ok(!hasLoneSurrogate(s), `${what} holds a lone surrogate: ${JSON.stringify(s)}`);
}

const astral = fc.constantFrom('🙂', '😀', '𝄞', '👩‍💻', '🇩🇪', '𠀋');
// Pieces that keep a value close to valid, so each builder is reached, and astral characters between them.
const piece = fc.oneof(
  astral,
  fc.constantFrom('5', '.', '20', '-', ' - ', '*', ',', ' ', '>=', '<', '=', 'Mon', '-Fri', ' 18:00', '-07:00', ':', 'x', '"', ';', ' ;', ']'),
  fc.string({ unit: 'binary', maxLength: 2 }),
);
const value = fc.array(piece, { maxLength: 8 }).map((p) => p.join(''));
// A long value whose emoji straddles the 57th code unit, where quoted lines are cut.
const long = fc.tuple(fc.integer({ min: 50, max: 62 }), astral, value).map(([n, e, v]) => `${'a'.repeat(n)}${e}${v}`);
const any = fc.oneof(value, long);

const line = fc.oneof(
  fc.constantFrom('[Upgrade]', '[Server]', '[Setup]', '[Rollout]', '', '; note 🙂'),
  any.map((v) => `[${v}]`),
  any.map((v) => `[${v}`),
  any.map((v) => `[Upgrade] ${v}`),
  any,
  fc
    .tuple(
      fc.constantFrom('CurrentVersion', 'Patchable', 'FullSetup', 'PatchFile', 'FullSetupSha256', 'Mode', 'Enabled', 'Port', 'Bind', 'FileRoot', 'MaxRate', 'StateFile', 'Pilot', 'Exclude', 'Percent', 'ForcedHours', 'TimeZone', 'MaxPerHour', 'RestartIfBusy', '🙂Key', ''),
      any,
    )
    .map(([k, v]) => `${k} = ${v}`),
  any.map((v) => `Mode = "Forced" ${v}`),
);
const docs = fc
  .tuple(fc.array(line, { minLength: 1, maxLength: 8 }), fc.constantFrom('\n', '\r\n'))
  .map(([ls, eol]) => `[Upgrade]${eol}CurrentVersion = 5.20.12${eol}${ls.join(eol)}${eol}`);

test('no diagnostic message, fix title, hover, completion, outline or code action holds half a character', () => {
  fc.assert(
    fc.property(docs, fc.array(fc.nat(), { minLength: 4, maxLength: 4 }), (text, picks) => {
      const state = createState('untitled:s', 1, text);
      assertWhole('diagnostics', state.analysis.diagnostics.map((d) => ({ m: d.message, r: d.related, f: d.fixes?.map((f) => f.title) })));
      assertWhole('LSP diagnostics', toLspDiagnostics(state));
      assertWhole('outline', documentSymbols(state));
      // The offsets of the characters of every line plus a few picked anywhere (inside a pair too).
      const offsets = new Set(picks.map((p) => p % (text.length + 1)));
      for (let i = 0; i < text.length; i += 7) offsets.add(i);
      for (const offset of offsets) {
        assertWhole(`hover at ${offset}`, hover(state, offset));
        assertWhole(`completion at ${offset}`, completion(state, offset));
        const p = state.map.positionAt(offset);
        assertWhole(`code actions at ${offset}`, codeActions(state, { start: p, end: p }).map((a) => a.title));
      }
    }),
    { numRuns: 400 },
  );
});

// Each builder that cut or quoted by code unit, on its own (each failed before).
const message = (text: string, code: string): string => {
  const d = analyze(text).diagnostics.find((x) => x.code === code);
  assert.ok(d, `${code} in ${JSON.stringify(text)}`);
  return d.message;
};

test('a version with an emoji quotes the whole emoji', () => {
  const m = message('[Upgrade]\nCurrentVersion = 5.🙂\n', 'invalid-version');
  assert.match(m, /"🙂" is not a digit or "\."/);
  const p = message('[Upgrade]\nCurrentVersion = 5.20\nPatchable = 5.1𝄞\n', 'invalid-patchable-item');
  assert.match(p, /"𝄞" is not a digit/);
});

test('a long line is cut before the emoji that straddles the cut, never inside it', () => {
  const long = `${'a'.repeat(56)}🙂tail`;
  const m = message(`[Upgrade]\n${long}\n`, 'invalid-line');
  assert.ok(m.startsWith(`"${'a'.repeat(56)}..."`), m);
  const header = message(`[${long}\n`, 'unclosed-section');
  assert.ok(!hasLoneSurrogate(header) && header.includes('...'), header);
  const trailer = message(`[Upgrade] ${long}\n`, 'invalid-line');
  assert.ok(!hasLoneSurrogate(trailer), trailer);
});

test('a window with an emoji quotes the whole emoji', () => {
  const m = message('[Upgrade]\nCurrentVersion = 5.20\n[Rollout]\nForcedHours = Mon 🙂\n', 'invalid-window');
  assert.match(m, /"🙂" has no place in a window/);
});

test('the outline cuts a long value between characters', () => {
  const state = createState('untitled:o', 1, `[Setup]\nConflictingApps = ${'x'.repeat(56)}🙂🙂🙂\n`);
  const detail = documentSymbols(state)[0].children?.[0].detail ?? '';
  assert.equal(detail, `${'x'.repeat(56)}...`);
});

test('clipText and charAt', () => {
  assert.equal(clipText('abc', 3), 'abc');
  assert.equal(clipText('ab🙂cd', 5), 'ab...');
  assert.equal(clipText('a🙂cdefg', 6), 'a🙂...');
  assert.equal(charAt('5.🙂', 2), '🙂');
  assert.equal(charAt('\ud83d', 0), '\ufffd', 'a lone half in the source is not echoed');
  assert.equal(charAt('x', 0), 'x');
});
