// Spec section 3: version sets (exact, wildcard, range, comparators), through
// parseVersionSet / findMatch / findRedundant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseVersionSet,
  parseVersion,
  findMatch,
  findRedundant,
  type VersionSet,
  type Version,
} from '../../server/src/config';

function v(s: string): Version {
  const r = parseVersion(s);
  assert.ok(r, s);
  return r;
}

function set(text: string): VersionSet {
  const p = parseVersionSet(text);
  assert.deepEqual(p.diagnostics.map((d) => d.code), [], `no diagnostics for ${text}`);
  return p.set;
}

function matches(text: string, version: string): boolean {
  return findMatch(set(text), v(version)) !== undefined;
}

test('item kinds and texts (trimmed), spans relative to base', () => {
  const text = ' 5.10.0003 ,5.10.* , 5.10.0001 - 5.10.0099,>=5.0 <5.10';
  const p = parseVersionSet(text, 100);
  assert.deepEqual(p.diagnostics, []);
  assert.deepEqual(
    p.set.items.map((i) => [i.kind, i.text]),
    [
      ['exact', '5.10.0003'],
      ['wildcard', '5.10.*'],
      ['range', '5.10.0001 - 5.10.0099'],
      ['comparators', '>=5.0 <5.10'],
    ],
  );
  for (const i of p.set.items) {
    assert.equal(text.slice(i.span.start - 100, i.span.end - 100), i.text, `span of ${i.text}`);
  }
});

test('an empty value is the empty set', () => {
  const p = parseVersionSet('');
  assert.deepEqual(p.diagnostics, []);
  assert.deepEqual(p.set.items, []);
  assert.equal(findMatch(p.set, v('1')), undefined);
});

test('exact: that version only, zero-filled, leading zeros ignored', () => {
  assert.ok(matches('5.10.0003', '5.10.3'));
  assert.ok(matches('5.10.0003', '5.10.3.0'));
  assert.ok(!matches('5.10.0003', '5.10.3.1'));
  assert.ok(!matches('5.10.0003', '5.10.4'));
  assert.ok(!matches('5.10.0003', '5.10'));
  assert.ok(matches('5', '5.0.0.0'));
});

test('wildcard: every version whose leading components are those', () => {
  for (const yes of ['5.10', '5.10.0.0', '5.10.7', '5.10.65535.65535', '5.010.1']) assert.ok(matches('5.10.*', yes), yes);
  for (const no of ['5.11', '5.9.65535', '5.100', '5', '6.10']) assert.ok(!matches('5.10.*', no), no);
  for (const yes of ['5', '5.0', '5.65535.65535.65535']) assert.ok(matches('5.*', yes), yes);
  for (const no of ['4.65535', '6', '50']) assert.ok(!matches('5.*', no), no);
  assert.ok(matches('1.2.3.*', '1.2.3.9'));
  assert.ok(!matches('1.2.3.*', '1.2.4'));
});

test('range: both ends inclusive', () => {
  const r = '5.10.0001 - 5.10.0099';
  for (const yes of ['5.10.1', '5.10.50', '5.10.99', '5.10.99.0']) assert.ok(matches(r, yes), yes);
  for (const no of ['5.10.0', '5.10.99.1', '5.10.100', '5.9']) assert.ok(!matches(r, no), no);
});

test('comparators: every operator, blank-separated AND', () => {
  assert.ok(matches('>=5.0 <5.10', '5.0'));
  assert.ok(matches('>=5.0 <5.10', '5.9.65535'));
  assert.ok(!matches('>=5.0 <5.10', '5.10'));
  assert.ok(!matches('>=5.0 <5.10', '4.99'));
  assert.ok(matches('>5.1', '5.1.0.1'));
  assert.ok(!matches('>5.1', '5.1'));
  assert.ok(matches('<=5.1', '5.1.0.0'));
  assert.ok(!matches('<=5.1', '5.1.0.1'));
  assert.ok(matches('<5.1', '5.0.65535'));
  assert.ok(!matches('<5.1', '5.1'));
  assert.ok(matches('=5.1', '5.1.0'));
  assert.ok(!matches('=5.1', '5.1.1'));
  assert.ok(matches('>1 <=3 >=2', '2.5'));
  assert.ok(!matches('>1 <=3 >=2', '1.5'));
});

test('a list matches when any item matches, and findMatch returns that item', () => {
  const s = set('1.0, 2.*, 3.1 - 3.5, >=4 <4.2');
  assert.equal(findMatch(s, v('2.7'))?.text, '2.*');
  assert.equal(findMatch(s, v('3.3'))?.text, '3.1 - 3.5');
  assert.equal(findMatch(s, v('4.1.9'))?.text, '>=4 <4.2');
  assert.equal(findMatch(s, v('1'))?.text, '1.0');
  assert.equal(findMatch(s, v('3.6')), undefined);
  assert.equal(findMatch(s, v('4.2')), undefined);
});

test('a malformed item is invalid-patchable-item covering that item only', () => {
  const text = '5.1, abc , 5.2';
  const p = parseVersionSet(text, 10);
  assert.deepEqual(p.diagnostics.map((d) => [d.code, d.severity]), [['invalid-patchable-item', 'error']]);
  const d = p.diagnostics[0];
  assert.deepEqual([d.span.start - 10, d.span.end - 10], [5, 8]);
  assert.ok(d.message.includes('abc'));
  // the good items are still there
  assert.deepEqual(p.set.items.map((i) => i.text), ['5.1', '5.2']);
});

test('malformed items of every shape', () => {
  for (const bad of [
    '5.*.1', // * only last
    '*.5',
    '5.1.2.3.*', // a fifth component
    '1.2.3.4.5',
    '5..1',
    '5.70000',
    '5.1 -', // range without an upper end
    '- 5.1',
    '5.1 - 5.2 - 5.3',
    '>=',
    '>=5.0 <',
    '=>5.0',
    '!5.0',
    '5.0 <5.1', // a bare version among comparators
    'x',
    '5.1-beta',
  ]) {
    const p = parseVersionSet(`1.0, ${bad}`);
    assert.deepEqual(
      p.diagnostics.map((d) => d.code),
      ['invalid-patchable-item'],
      `"${bad}" should be one invalid item, got ${JSON.stringify(p.diagnostics.map((d) => d.code))}`,
    );
    const d = p.diagnostics[0];
    assert.deepEqual([d.span.start, d.span.end], [5, 5 + bad.length], `span of "${bad}"`);
  }
});

test('an empty item between commas: empty-patchable-item; a trailing comma: trailing-comma', () => {
  const e = parseVersionSet('5.1,,5.2');
  assert.deepEqual(e.diagnostics.map((d) => [d.code, d.severity]), [['empty-patchable-item', 'error']]);
  const e2 = parseVersionSet('5.1, ,5.2');
  assert.deepEqual(e2.diagnostics.map((d) => d.code), ['empty-patchable-item']);
  const lead = parseVersionSet(', 5.1');
  assert.deepEqual(lead.diagnostics.map((d) => d.code), ['empty-patchable-item']);
  const t = parseVersionSet('5.1, 5.2,');
  assert.deepEqual(t.diagnostics.map((d) => [d.code, d.severity]), [['trailing-comma', 'error']]);
  const d = t.diagnostics[0];
  assert.deepEqual([d.span.start, d.span.end], [8, 9], 'marks the trailing comma');
  const t2 = parseVersionSet('5.1,  ');
  assert.deepEqual(t2.diagnostics.map((x) => x.code), ['trailing-comma']);
});

test('an item that matches nothing has lo > hi', () => {
  for (const text of ['5.9 - 5.1', '>5.10 <5.0', '>5.1 <5.1', '<0']) {
    const p = parseVersionSet(text);
    assert.equal(p.set.items.length, 1, text);
    const [it] = p.set.items;
    assert.ok(findMatch(p.set, it.lo) === undefined || findMatch(p.set, it.hi) === undefined, text);
    for (const probe of ['0', '5.0', '5.1', '5.5', '5.10', '65535.65535.65535.65535']) {
      assert.equal(findMatch(p.set, v(probe)), undefined, `${text} matches nothing, not ${probe}`);
    }
  }
});

test('findRedundant: duplicates and items wholly inside another; partial overlaps are fine', () => {
  const red = (text: string): string[][] =>
    findRedundant(set(text)).map((r) => [r.item.text, r.container.text]);
  assert.deepEqual(red('5.10.*, 5.10.3'), [['5.10.3', '5.10.*']]);
  assert.deepEqual(red('5.10.3, 5.10.*'), [['5.10.3', '5.10.*']]);
  assert.deepEqual(red('5.1, 5.1.0'), [['5.1.0', '5.1']]); // duplicate: the later one
  assert.deepEqual(red('5.1 - 5.5, 5.3 - 5.8'), []);
  assert.deepEqual(red('5.1 - 5.5, 5.5 - 5.8'), []);
  assert.deepEqual(red('>=5.0 <5.10, 5.2 - 5.3'), [['5.2 - 5.3', '>=5.0 <5.10']]);
  // 5.1.2 lies inside both; which container is named is not specified
  const three = red('5.*, 5.1.*, 5.1.2');
  assert.deepEqual(three.map((r) => r[0]), ['5.1.*', '5.1.2']);
  assert.equal(three[0][1], '5.*');
  assert.ok(['5.*', '5.1.*'].includes(three[1][1]));
  assert.deepEqual(red('1, 2, 3'), []);
});
