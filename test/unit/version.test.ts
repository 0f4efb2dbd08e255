// Spec section 2: version := num ("." num){0,3}, num := 1-5 digits <= 65535;
// compared component by component, missing components 0, leading zeros ignored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseVersion, compareVersions, type Version } from '../../server/src/config';

function v(s: string): Version {
  const r = parseVersion(s);
  assert.ok(r, `${s} should parse`);
  return r;
}

test('parts are zero-filled to four components; text is as written', () => {
  assert.deepEqual(v('5').parts, [5, 0, 0, 0]);
  assert.deepEqual(v('5.2').parts, [5, 2, 0, 0]);
  assert.deepEqual(v('5.10.0003').parts, [5, 10, 3, 0]);
  assert.deepEqual(v('1.2.3.4').parts, [1, 2, 3, 4]);
  assert.equal(v('5.02.0.0').text, '5.02.0.0');
});

test('limits: 5 digits and 65535 are fine', () => {
  assert.deepEqual(v('65535.65535.65535.65535').parts, [65535, 65535, 65535, 65535]);
  assert.deepEqual(v('00001').parts, [1, 0, 0, 0]);
  assert.deepEqual(v('0').parts, [0, 0, 0, 0]);
});

test('malformed: more than four components, empty component, over 65535, too many digits, not digits', () => {
  for (const s of [
    '1.2.3.4.5',
    '1..2',
    '.1',
    '1.',
    '',
    '65536',
    '1.99999',
    '000001', // 6 digits, even though its value is 1
    '123456',
    '1.a',
    'v5',
    '-1',
    '+1',
    '5.*',
    '1.2 ',
    ' 1.2',
    '1,2',
    '１', // fullwidth digit
    '٣', // Arabic-Indic digit
  ]) {
    assert.equal(parseVersion(s), null, JSON.stringify(s));
  }
});

test('the spec example: 5.2 = 5.2.0 = 5.02.0.0 < 5.10', () => {
  const eq = ['5.2', '5.2.0', '5.02.0.0'];
  for (const a of eq) for (const b of eq) assert.equal(compareVersions(v(a), v(b)), 0, `${a} = ${b}`);
  for (const a of eq) {
    assert.ok(compareVersions(v(a), v('5.10')) < 0, `${a} < 5.10`);
    assert.ok(compareVersions(v('5.10'), v(a)) > 0, `5.10 > ${a}`);
  }
});

test('numeric, not lexical: 5.9 < 5.10 < 5.100, 10 > 9', () => {
  assert.ok(compareVersions(v('5.9'), v('5.10')) < 0);
  assert.ok(compareVersions(v('5.10'), v('5.100')) < 0);
  assert.ok(compareVersions(v('10'), v('9')) > 0);
  assert.ok(compareVersions(v('5.0.0.1'), v('5')) > 0);
  assert.ok(compareVersions(v('4.65535.65535.65535'), v('5')) < 0);
});
