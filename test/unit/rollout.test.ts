// Spec section 7, every check of [Rollout] through analyze(), with its code,
// severity and exact position (1-based line/column from the independent
// oracle in helpers.ts; columns found in the line the test writes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, describeWindow, type Diagnostic, type TextEdit } from '../../server/src/config';
import { diags, UPGRADE, where, type Where } from './helpers';

/** [Upgrade] (lines 1-3), then [Rollout] (line 4), then `lines` from line 5. */
const rollout = (...lines: string[]): string => `${UPGRADE}[Rollout]\n${lines.join('\n')}\n`;

/** Line 5's 1-based column range of the `nth` occurrence of `needle`. */
function cols(line: string, needle: string, nth = 0): [number, number] {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = line.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} in ${line}`);
  return [at + 1, at + 1 + needle.length];
}

function only(text: string, code: string): Where[] {
  return diags(text).filter((d) => d.code === code);
}

/** [code, severity, line, col, endCol] of every diagnostic. */
function summary(text: string): [string, string, number, number, number][] {
  return diags(text).map((d) => [d.code, d.severity, d.line, d.col, d.endCol]);
}

function apply(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

function fixOf(text: string, code: string): string {
  const d = analyze(text).diagnostics.find((x) => x.code === code) as Diagnostic;
  assert.ok(d, `a ${code} in ${text}`);
  const fix = d.fixes?.find((f) => f.preferred) ?? d.fixes?.[0];
  assert.ok(fix, `${code} carries a fix`);
  return apply(text, fix.edits);
}

// ------------------------------------------------------------------ defaults

test('no [Rollout]: config.rollout is null; an empty [Rollout]: the defaults of section 7', () => {
  assert.equal(analyze(UPGRADE).config.rollout, null);
  const a = analyze(rollout());
  assert.deepEqual(a.diagnostics, []);
  assert.deepEqual(a.config.rollout, { pilot: [], exclude: [], percent: 100, maxPerHour: null, pauseAfterFailures: null, forcedHours: null, timeZone: null });
});

test('every key read: lists trimmed, case-insensitive keys, numbers, zone', () => {
  const a = analyze(rollout('pilot = reception-01 ,  pilot-* ', 'EXCLUDE = operator-?', 'Percent = 25', 'MaxPerHour = 30', 'PauseAfterFailures = 3', 'ForcedHours = Mon-Fri 18:00-07:00, Sat-Sun', 'TimeZone = Europe/Berlin'));
  assert.deepEqual(a.diagnostics, []);
  const r = a.config.rollout;
  assert.ok(r);
  assert.deepEqual(r.pilot.map((p) => p.text), ['reception-01', 'pilot-*']);
  assert.deepEqual(r.exclude.map((p) => p.text), ['operator-?']);
  assert.deepEqual([r.percent, r.maxPerHour, r.pauseAfterFailures, r.timeZone], [25, 30, 3, 'Europe/Berlin']);
  assert.deepEqual(r.forcedHours?.map((w) => w.text), ['Mon-Fri 18:00-07:00', 'Sat-Sun']);
});

// ------------------------------------------------------------- name lists

test('Pilot: an empty item (the extra comma) and a trailing comma are errors', () => {
  const line = 'Pilot = a, , b,';
  const text = rollout(line, 'Percent = 10');
  assert.deepEqual(summary(text), [
    ['empty-list-item', 'error', 5, ...cols(line, ',', 1)],
    ['trailing-comma', 'error', 5, ...cols(line, ',', 2)],
  ]);
  assert.deepEqual(analyze(text).config.rollout?.pilot.map((p) => p.text), ['a', 'b']);
});

test('Exclude: the same checks as Pilot', () => {
  const line = 'Exclude = ,x';
  assert.deepEqual(summary(rollout(line)), [['empty-list-item', 'error', 5, ...cols(line, ',')]]);
  const trailing = 'Exclude = x ,';
  assert.deepEqual(summary(rollout(trailing)), [['trailing-comma', 'error', 5, ...cols(trailing, ',')]]);
});

test('the same item in Pilot and Exclude (any case) is an error on the Pilot item, pointing at the Exclude one', () => {
  const pilot = 'Pilot = desk-01, Boss-PC';
  const exclude = 'Exclude = ops-*, boss-pc';
  const text = rollout(pilot, exclude, 'Percent = 0');
  const [d] = only(text, 'name-in-both-lists');
  assert.deepEqual([d.severity, d.line, d.col, d.endCol, d.marked], ['error', 5, ...cols(pilot, 'Boss-PC'), 'Boss-PC']);
  const full = analyze(text).diagnostics.find((x) => x.code === 'name-in-both-lists');
  assert.equal(text.slice(full?.related?.[0].span.start, full?.related?.[0].span.end), 'boss-pc');
  assert.equal(diags(text).length, 1);
  // either fix removes it from one list
  for (const fix of full?.fixes ?? []) assert.deepEqual(only(apply(text, fix.edits), 'name-in-both-lists'), []);
  assert.equal(full?.fixes?.length, 2);
});

test('items that only overlap through wildcards are fine (Exclude wins at login)', () => {
  assert.deepEqual(diags(rollout('Pilot = boss-pc', 'Exclude = boss-*', 'Percent = 0')), []);
  assert.deepEqual(diags(rollout('Pilot = *', 'Exclude = desk-0?', 'Percent = 0')), []);
});

test('a duplicate item in one list (any case): warning on the second, fix removes it', () => {
  const line = 'Pilot = desk-01, desk-02, DESK-01';
  const text = rollout(line, 'Percent = 0');
  const [d] = only(text, 'duplicate-name');
  assert.deepEqual([d.severity, d.line, d.col, d.endCol], ['warning', 5, ...cols(line, 'DESK-01')]);
  assert.equal(fixOf(text, 'duplicate-name'), rollout('Pilot = desk-01, desk-02', 'Percent = 0'));
});

test('an item matched by an earlier * item of the same list: redundant warning; a later * item does not make an earlier item redundant', () => {
  const line = 'Exclude = desk-*, desk-07, reception, DESK-1?';
  const text = rollout(line);
  assert.deepEqual(summary(text), [
    ['redundant-name', 'warning', 5, ...cols(line, 'desk-07')],
    ['redundant-name', 'warning', 5, ...cols(line, 'DESK-1?')],
  ]);
  assert.equal(fixOf(text, 'redundant-name'), rollout('Exclude = desk-*, reception, DESK-1?'));
  assert.deepEqual(diags(rollout('Exclude = desk-07, desk-*')), []);
  // `*` also matches nothing: `desk*` covers `desk`
  assert.deepEqual(only(rollout('Exclude = desk*, desk'), 'redundant-name').map((d) => d.marked), ['desk']);
  // not covered: `a?c` does not match every name `a*c` matches
  assert.deepEqual(diags(rollout('Exclude = a?c, a*c')), []);
});

test('Pilot with Percent = 100 (or no Percent, whose default is 100) is a warning on Pilot; other Percents and an empty Pilot are fine', () => {
  for (const text of [rollout('Pilot = desk-01', 'Percent = 100'), rollout('Pilot = desk-01')]) {
    assert.deepEqual(summary(text), [['pilot-adds-nothing', 'warning', 5, 1, 6]]);
  }
  assert.deepEqual(diags(rollout('Pilot = desk-01', 'Percent = 99')), []);
  assert.deepEqual(diags(rollout('Pilot =', 'Percent = 100')), []);
  // A Percent that is wrong says so itself; no second warning
  assert.deepEqual(diags(rollout('Pilot = a', 'Percent = 101')).map((d) => d.code), ['number-out-of-range']);
});

// ---------------------------------------------------------------- numbers

test('Percent 0-100, MaxPerHour 1-100000, PauseAfterFailures 1-10000: bounds inclusive, outside is number-out-of-range, not a whole number is invalid-number', () => {
  const ranges: [string, number, number][] = [
    ['Percent', 0, 100],
    ['MaxPerHour', 1, 100000],
    ['PauseAfterFailures', 1, 10000],
  ];
  for (const [key, lo, hi] of ranges) {
    for (const ok of [lo, hi]) assert.deepEqual(diags(rollout(`${key} = ${ok}`)), [], `${key} = ${ok}`);
    for (const bad of [lo - 1, hi + 1]) {
      if (bad < 0) continue;
      const line = `${key} = ${bad}`;
      assert.deepEqual(summary(rollout(line)), [['number-out-of-range', 'error', 5, ...cols(line, String(bad))]], line);
    }
    const line = `${key} = 25%`;
    assert.deepEqual(summary(rollout(line)), [['invalid-number', 'error', 5, ...cols(line, '25%')]], line);
  }
});

// ------------------------------------------------------------------ windows

/** The windows of a valid ForcedHours value, as minute intervals of the week (start <= t < end). */
function intervals(value: string): [number, number][][] {
  const a = analyze(rollout(`ForcedHours = ${value}`));
  assert.deepEqual(a.diagnostics, [], value);
  return (a.config.rollout?.forcedHours ?? []).map((w) => w.intervals.map(([s, e]) => [s, e]));
}

const D = 1440;
const H = 60;

test('window forms: DAYS, HH:MM-HH:MM, DAYS HH:MM-HH:MM, as minutes of the week from Monday 00:00', () => {
  assert.deepEqual(intervals('Mon'), [[[0, D]]]);
  assert.deepEqual(intervals('sun'), [[[6 * D, 7 * D]]]);
  assert.deepEqual(intervals('Mon-Fri'), [[[0, 5 * D]]]);
  assert.deepEqual(intervals('Mon-Mon'), [[[0, D]]], 'a range of one day is that day');
  // Fri-Mon wraps: Friday to Monday
  assert.deepEqual(intervals('Fri-Mon'), [[[0, D], [4 * D, 7 * D]]]);
  assert.deepEqual(intervals('9:00-17:30'), [[0, 1, 2, 3, 4, 5, 6].map((d) => [d * D + 9 * H, d * D + 17 * H + 30])]);
  assert.deepEqual(intervals('Sat 00:00-24:00'), [[[5 * D, 6 * D]]]);
  assert.deepEqual(intervals('Wed 22:00-24:00'), [[[2 * D + 22 * H, 3 * D]]]);
});

test('an end before the start crosses midnight: Mon-Fri 18:00-07:00 runs from 18:00 to 07:00 the next morning; Sunday into Monday wraps the week', () => {
  assert.deepEqual(intervals('Mon-Fri 18:00-07:00'), [[0, 1, 2, 3, 4].map((d) => [d * D + 18 * H, (d + 1) * D + 7 * H])]);
  assert.deepEqual(intervals('Sun 23:00-01:00'), [[[0, 1 * H], [6 * D + 23 * H, 7 * D]]]);
  assert.deepEqual(intervals('Sat-Sun 20:00-06:00'), [[[0, 6 * H], [5 * D + 20 * H, 6 * D + 6 * H], [6 * D + 20 * H, 7 * D]]]);
});

test('ForcedHours: a malformed item is invalid-window covering that item only, the others are read', () => {
  const line = 'ForcedHours = Mon-Fri 18:00-07:00, Mon Tue, 18:00-07:00 Mon, Sat-Sun';
  const text = rollout(line);
  assert.deepEqual(summary(text), [['invalid-window', 'error', 5, ...cols(line, 'Mon Tue')], ['invalid-window', 'error', 5, ...cols(line, '18:00-07:00 Mon')]]);
  assert.deepEqual(analyze(text).config.rollout?.forcedHours?.map((w) => w.text), ['Mon-Fri 18:00-07:00', 'Sat-Sun']);
  for (const bad of ['Mon-', '-Fri', '18:00-', '@', 'Mon-Fri 18:00-07:00-08:00', 'Mon 18:00 07:00']) {
    const l = `ForcedHours = ${bad}`;
    assert.deepEqual(summary(rollout(l)), [['invalid-window', 'error', 5, ...cols(l, bad)]], bad);
  }
});

test('a start without an end: invalid-window whose fix runs it to 24:00', () => {
  const text = rollout('ForcedHours = Mon-Fri 18:00');
  assert.equal(fixOf(text, 'invalid-window'), rollout('ForcedHours = Mon-Fri 18:00-24:00'));
  assert.deepEqual(diags(rollout('ForcedHours = Mon-Fri 18:00-24:00')), []);
});

test('an unknown day: unknown-day on the word only, with the day meant as a fix', () => {
  const line = 'ForcedHours = Mon-Fre 18:00-07:00, Thurs, Sat';
  const text = rollout(line);
  assert.deepEqual(summary(text), [['unknown-day', 'error', 5, ...cols(line, 'Fre')], ['unknown-day', 'error', 5, ...cols(line, 'Thurs')]]);
  assert.equal(fixOf(text, 'unknown-day'), rollout('ForcedHours = Mon-Fri 18:00-07:00, Thurs, Sat'));
  assert.equal(fixOf(rollout('ForcedHours = Monday'), 'unknown-day'), rollout('ForcedHours = Mon'));
  assert.equal(fixOf(rollout('ForcedHours = weekdays 18:00-07:00'), 'unknown-day'), rollout('ForcedHours = Mon-Fri 18:00-07:00'));
  assert.equal(fixOf(rollout('ForcedHours = weekend'), 'unknown-day'), rollout('ForcedHours = Sat-Sun'));
});

test('times: an hour over 24, a minute over 59, past 24:00 and 24:00 as a start are invalid-time on that time only', () => {
  for (const [value, time] of [
    ['25:00-07:00', '25:00'],
    ['18:00-07:60', '07:60'],
    ['Mon 18:00-24:30', '24:30'],
    ['24:00-07:00', '24:00'],
    ['Mon 8-17:00', '8'],
    ['Mon 08.00-17:00', '08.00'],
    ['Mon 123:00-17:00', '123:00'],
  ] as const) {
    const line = `ForcedHours = ${value}`;
    assert.deepEqual(summary(rollout(line)), [['invalid-time', 'error', 5, ...cols(line, time)]], value);
  }
  assert.equal(fixOf(rollout('ForcedHours = 24:00-07:00'), 'invalid-time'), rollout('ForcedHours = 00:00-07:00'));
  assert.equal(fixOf(rollout('ForcedHours = Mon 8:00-17'), 'invalid-time'), rollout('ForcedHours = Mon 8:00-17:00'));
});

test('start = end is empty-window (no time at all), on the item', () => {
  for (const value of ['Mon 09:00-09:00', '00:00-00:00', '7:30-07:30']) {
    const line = `ForcedHours = Sat, ${value}`;
    assert.deepEqual(summary(rollout(line)), [['empty-window', 'error', 5, ...cols(line, value)]], value);
  }
});

test('ForcedHours: an empty item and a trailing comma are errors', () => {
  const line = 'ForcedHours = Sat,, Sun,';
  assert.deepEqual(summary(rollout(line)), [
    ['empty-list-item', 'error', 5, ...cols(line, ',', 1)],
    ['trailing-comma', 'error', 5, ...cols(line, ',', 2)],
  ]);
});

test('a window wholly inside another is redundant (warning on the inner one), the same minutes written twice too; partial overlaps are fine', () => {
  const line = 'ForcedHours = Tue 19:00-20:00, Mon-Fri 18:00-07:00, Sat-Sun, Sun 10:00-12:00, Sat 00:00-24:00';
  const text = rollout(line);
  assert.deepEqual(summary(text), [
    ['redundant-window', 'warning', 5, ...cols(line, 'Tue 19:00-20:00')],
    ['redundant-window', 'warning', 5, ...cols(line, 'Sun 10:00-12:00')],
    ['redundant-window', 'warning', 5, ...cols(line, 'Sat 00:00-24:00')],
  ]);
  // the same minutes: the later one is redundant
  const same = 'ForcedHours = Mon-Fri, Mon-Fri 00:00-24:00';
  assert.deepEqual(summary(rollout(same)), [['redundant-window', 'warning', 5, ...cols(same, 'Mon-Fri 00:00-24:00')]]);
  // across midnight and the week's end: Sun 23:30-00:30 is inside Sat-Sun 22:00-06:00
  const wrap = 'ForcedHours = Sat-Sun 22:00-06:00, Sun 23:30-00:30';
  assert.deepEqual(summary(rollout(wrap)), [['redundant-window', 'warning', 5, ...cols(wrap, 'Sun 23:30-00:30')]]);
  // partial overlap
  assert.deepEqual(diags(rollout('ForcedHours = Mon-Fri 18:00-07:00, Fri-Sun 06:00-08:00')), []);
  // a fix drops the redundant window
  assert.equal(fixOf(rollout('ForcedHours = Mon-Fri, Wed 10:00-11:00'), 'redundant-window'), rollout('ForcedHours = Mon-Fri'));
});

test('ForcedHours with Mode = Optional is a warning on ForcedHours (it changes nothing); with Mode = Forced it is fine', () => {
  const text = `${UPGRADE}Mode = Optional\n[Rollout]\nForcedHours = Mon-Fri 18:00-07:00\n`;
  assert.deepEqual(summary(text), [['forced-hours-unused', 'warning', 6, 1, 12]]);
  assert.deepEqual(diags(`${UPGRADE}Mode = Forced\n[Rollout]\nForcedHours = Mon-Fri 18:00-07:00\n`), []);
});

test('ForcedHours with no value is empty-value', () => {
  assert.deepEqual(summary(rollout('ForcedHours =')), [['empty-value', 'error', 5, 1, 12]]);
});

// ----------------------------------------------------------------- TimeZone

test('TimeZone: IANA zones, an alias the runtime accepts and UTC are valid', () => {
  for (const zone of ['Europe/Berlin', 'America/New_York', 'Asia/Calcutta', 'UTC', 'europe/berlin']) {
    assert.deepEqual(diags(rollout(`TimeZone = ${zone}`)), [], zone);
    assert.equal(analyze(rollout(`TimeZone = ${zone}`)).config.rollout?.timeZone, zone);
  }
});

test('TimeZone: a zone Intl.DateTimeFormat does not accept is unknown-time-zone on the value, with the zone meant as a fix', () => {
  const line = 'TimeZone = Europe/Berlim';
  const text = rollout(line);
  assert.deepEqual(summary(text), [['unknown-time-zone', 'error', 5, ...cols(line, 'Europe/Berlim')]]);
  assert.equal(fixOf(text, 'unknown-time-zone'), rollout('TimeZone = Europe/Berlin'));
  assert.equal(fixOf(rollout('TimeZone = New York'), 'unknown-time-zone'), rollout('TimeZone = America/New_York'));
  assert.deepEqual(summary(rollout('TimeZone = Mars/Olympus')).map((d) => d[0]), ['unknown-time-zone']);
});

test('diagnostics of [Rollout] are silenced like the others (warnings only)', () => {
  const text = `${UPGRADE}[Rollout]\n; nsupgrade-disable-next-line duplicate-name\nPilot = a, a\nPercent = 0\n`;
  assert.deepEqual(diags(text), []);
  const err = `${UPGRADE}[Rollout]\n; nsupgrade-disable-next-line trailing-comma\nPilot = a,\nPercent = 0\n`;
  assert.deepEqual(diags(err).map((d) => d.code), ['trailing-comma']);
});

test('a quoted name list keeps exact spans inside the quotes', () => {
  const line = 'Exclude = "desk-*, desk-07"';
  const [d] = only(rollout(line), 'redundant-name');
  assert.deepEqual([d.col, d.endCol], cols(line, 'desk-07'));
  assert.equal(where(rollout(line), analyze(rollout(line)).diagnostics[0]).marked, 'desk-07');
});

test('a window in words (for hover): days, times, the next morning, the zone', () => {
  const words = (value: string, zone?: string | null): string[] =>
    (analyze(rollout(`ForcedHours = ${value}`)).config.rollout?.forcedHours ?? []).map((w) => describeWindow(w, zone));
  assert.deepEqual(words('Mon-Fri 18:00-07:00', 'Europe/Berlin'), ['weekdays from 18:00 to 07:00 the next morning, Europe/Berlin']);
  assert.deepEqual(words('Sat-Sun, Wed, 09:00-17:00, Fri-Mon 22:00-24:00'), ['weekends, all day', 'Wednesday, all day', 'every day from 09:00 to 17:00', 'Friday to Monday from 22:00 to midnight']);
  assert.deepEqual(words('Sun 20:00-13:00', null), ["Sunday from 20:00 to 13:00 the next day, the server's time zone"]);
});
