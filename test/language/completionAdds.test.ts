// Issue 10 item 14 (and config/coverage.ts, which it rests on): inside Patchable, completion offers only items that add
// something. Whatever is accepted (a version, a range bound, a comparator, a
// snippet with its defaults), the list then gets no redundancy warning about
// the new item, and the new item matches a version no other item matches;
// the detail says what it adds. Checked against a brute-force reading of the
// list, not against the code that chose the items.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver-types';
import { analyze, compareVersions, coverageOf, findMatch, gaps, MAX_VERSION, MIN_VERSION, nextVersion, previousVersion, unionIntervals, VersionSet, type Version, type VersionSetItem } from '../../server/src/config';
import { completion } from '../../server/src/language/completion';
import { applyLspEdits, at } from './cursor';

const expand = (s: string): string => s.replace(/\$\{\d+:([^}]*)\}/g, '$1');

/** Does [item] match a version that none of `others` matches? Such a version is item.lo or right after another item's end. */
function addsSomething(item: VersionSetItem, others: VersionSetItem[]): boolean {
  const inside = (v: Version | null): v is Version => v !== null && compareVersions(item.lo, v) <= 0 && compareVersions(v, item.hi) <= 0;
  const candidates = [item.lo, ...others.map((o) => nextVersion(o.hi))].filter(inside);
  return candidates.some((v) => findMatch(VersionSet.of(others), v) === undefined);
}

function accept(text: string, i: CompletionItem): { out: string; end: number } {
  assert.ok(i.textEdit && 'range' in i.textEdit);
  const newText = expand(i.textEdit.newText);
  const out = applyLspEdits(text, [{ range: i.textEdit.range, newText }]);
  const lines = text.split('\n');
  const start = lines.slice(0, i.textEdit.range.start.line).reduce((n, l) => n + l.length + 1, 0) + i.textEdit.range.start.character;
  return { out, end: start + newText.length };
}

function check(textWithCursor: string): number {
  const { state, offset } = at(textWithCursor);
  let checked = 0;
  for (const i of completion(state, offset).items) {
    if (i.kind !== CompletionItemKind.Constant && i.kind !== CompletionItemKind.Snippet) continue;
    const { out, end } = accept(state.text, i);
    const analysis = analyze(out);
    const items = analysis.config.upgrade.patchable.items;
    const mine = items.find((it) => it.span.start <= end && end <= it.span.end);
    assert.ok(mine, `${i.label}: the accepted item parses in ${JSON.stringify(out)}`);
    const touches = (s: { start: number; end: number }): boolean => s.start < mine.span.end && mine.span.start < s.end;
    const redundant = analysis.diagnostics.filter((d) => d.code === 'redundant-patchable-item' && (touches(d.span) || d.related?.some((r) => touches(r.span))));
    assert.deepEqual(redundant.map((d) => d.message), [], `${i.label} in ${JSON.stringify(out)}`);
    if (compareVersions(mine.hi, MAX_VERSION) === 0) continue; // still open: an upper bound comes next
    assert.ok(addsSomething(mine, items.filter((it) => it !== mine)), `${i.label} adds a version in ${JSON.stringify(out)}`);
    assert.match(i.detail ?? '', /^adds /, `${i.label} says what it adds`);
    checked++;
  }
  return checked;
}

const HEAD = '[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = Netphone_5.19.9.exe\nPatchFile = NP_5.11.50.exe\nPatchable = ';

test('the cases of the issue: after 5.20.3, and inside 5.11.1 - 5.11.99', () => {
  const labels = (t: string): string[] => {
    const { state, offset } = at(t);
    return completion(state, offset).items.map((i) => i.label);
  };
  const after = labels(`${HEAD.replace('5.20.12', '5.21')}5.20.3, |`);
  assert.ok(!after.includes('5.20.3') && !after.some((l) => l.startsWith('5.20.3.')), after.join(' '));
  assert.ok(!labels(`${HEAD}5.11.1 - 5.11.99, 5.11.|`).includes('5.11.50'), '5.11.50 lies in 5.11.1 - 5.11.99');
  assert.ok(labels(`${HEAD}5.11.1 - 5.11.20, 5.11.|`).includes('5.11.50'), 'outside it, it is offered');
  assert.ok(check(`${HEAD}5.10.3, 5.11.1 - 5.11.99, |`) >= 3, 'the snippets are checked too');
});

test('the detail says what an item adds, and what it leaves to others', () => {
  const { state, offset } = at(`${HEAD}5.11.1 - |, 5.11.50 - 5.11.99`);
  const item = completion(state, offset).items.find((i) => i.label === '5.11.50');
  assert.equal(item?.detail, 'adds 5.11.1 <= version < 5.11.50 (the rest is covered already)');
});

test('whatever is accepted adds a version and brings no redundancy warning (property)', () => {
  const item = fc.constantFrom('5.10.3', '5.10.*', '5.11.1 - 5.11.99', '5.11.50', '>=5.12 <5.19', '5.19.4', '4.*', '5.19.9', '5.0 - 5.9', '>5.11.99 <5.12');
  const partial = fc.constantFrom('', '5.1', '5.11.1 - ', '5.11.60 - ', '>=', '>', '<', '>=5.0 <', '>=5.12 <=', '=', '5.19.', '4.');
  const current = fc.constantFrom('5.20.12', '5.19.9', '6');
  fc.assert(
    fc.property(fc.array(item, { maxLength: 5 }), fc.nat(), partial, current, (list, pick, typed, cur) => {
      const at = pick % (list.length + 1);
      const value = [...list.slice(0, at), `${typed}|`, ...list.slice(at)].join(', ');
      check(`${HEAD.replace('5.20.12', cur)}${value}\n`);
    }),
    { numRuns: 400 },
  );
});

test('coverage: touching items leave no stretch between them; the highest uncovered version is what a brute-force scan finds (property)', () => {
  const union = (value: string) => {
    const cov = coverageOf(analyze(`[Upgrade]\nCurrentVersion = 6\nPatchable = ${value}\n`).config.upgrade.patchable);
    return unionIntervals(cov).map((u) => `${u.lo.text}..${u.hi.text}`);
  };
  assert.deepEqual(union('5.1 - 5.3, 5.3.0.1 - 5.9'), ['5.1..5.9']);
  assert.deepEqual(union('5.1 - 5.3, 5.3.0.2 - 5.9'), ['5.1..5.3', '5.3.0.2..5.9']);
  assert.deepEqual(union('5.0.*, 5.1 - 5.2'), ['5.0..5.2'], '5.0.65535.65535 and 5.1 touch');
  const item = fc.constantFrom('5.10.3', '5.10.*', '5.11.1 - 5.11.99', '>=5.12 <5.19', '5.19.4', '4.*', '5.0 - 5.9', '0.0', '<1.0', '5.20.11', '>5.20 <5.20.12');
  fc.assert(
    fc.property(fc.array(item, { maxLength: 6 }), (list) => {
      const config = analyze(`[Upgrade]\nCurrentVersion = 5.20.12\nPatchable = ${list.join(', ')}\n`).config;
      const current = config.upgrade.currentVersion!;
      // The candidates: just outside each item, the bottom, and just below CurrentVersion.
      const candidates = [MIN_VERSION, previousVersion(current), ...config.upgrade.patchable.items.flatMap((it) => [previousVersion(it.lo), nextVersion(it.hi)])];
      let best: Version | null = null;
      for (const v of candidates) {
        if (!v || compareVersions(v, current) >= 0 || findMatch(config.upgrade.patchable, v)) continue;
        if (!best || compareVersions(v, best) > 0) best = v;
      }
      const top = gaps(coverageOf(config.upgrade.patchable), current, 1)[0]?.hi ?? null;
      assert.equal(top && top.text, best && best.text, list.join(', '));
    }),
    { numRuns: 500 },
  );
});
