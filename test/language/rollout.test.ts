// [Rollout] in the editor (issue 12), each feature as a pure function with the
// cursor marked `|`: completion of days, ranges, hours, zones, known client
// names and shares; hover that says a window in words and what Percent takes
// in; quick fixes from the diagnostics' own fixes. Buckets are computed here
// from spec section 7's definition, not by the code under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompletionItem, Hover, TextEdit } from 'vscode-languageserver-types';
import { analyze } from '../../server/src/config';
import { completion } from '../../server/src/language/completion';
import { hover } from '../../server/src/language/hover';
import { codeActions } from '../../server/src/language/codeActions';
import { clientsOfFleet, inventoryNames } from '../../server/src/language/knownClients';
import type { KnownClient } from '../../server/src/language/rolloutShare';
import { applyLspEdits, at } from './cursor';

const HEAD = '[Upgrade]\nCurrentVersion = 5.20.0012.0\nFullSetup = a.exe\n[Rollout]\n';
const CLIENTS: KnownClient[] = ['desk-001', 'desk-002', 'desk-003', 'Reception-01', 'reception-02', 'lab-pc', 'boss-pc', 'ops-7'].map((name) => ({ name, source: 'fleet.csv' }));

/** Spec section 7: floor(u * 100 / 2^32), u the first four bytes of SHA-256(CANON + "/" + lowercase(name)); CANON of 5.20.0012.0 is 5.20.12. */
function specBucket(name: string): number {
  const digest = createHash('sha256').update(`5.20.12/${name.toLowerCase()}`, 'utf8').digest();
  return Math.floor((digest.readUInt32BE(0) * 100) / 2 ** 32);
}

const edit = (i: CompletionItem): TextEdit => {
  assert.ok(i.textEdit && 'range' in i.textEdit);
  return i.textEdit;
};

function complete(textWithCursor: string, clients: KnownClient[] = CLIENTS): { items: CompletionItem[]; accept(label: string): string } {
  const { state, offset } = at(textWithCursor);
  const items = completion(state, offset, { files: [], clients }).items;
  return {
    items,
    accept: (label) => {
      const item = items.find((i) => i.label === label);
      assert.ok(item, `${label} offered among ${items.map((i) => i.label).join(' ')}`);
      return applyLspEdits(state.text, [edit(item)]);
    },
  };
}

const hoverText = (textWithCursor: string, clients: KnownClient[] = CLIENTS, now = new Date('2026-01-05T09:30:00Z')): string => {
  const { state, offset } = at(textWithCursor);
  const h: Hover | null = hover(state, offset, { clients, now });
  return h ? (h.contents as { value: string }).value : '';
};

const codes = (text: string): string[] => analyze(text).diagnostics.map((d) => d.code);

test('ForcedHours: a new item offers day ranges, days and hours; what is accepted reads as a window', () => {
  const c = complete(`${HEAD}ForcedHours = |\n`);
  const labels = c.items.map((i) => i.label);
  for (const l of ['Mon-Fri', 'Sat-Sun', 'Mon', 'Sun', '00:00', '18:00', '23:00']) assert.ok(labels.includes(l), `${l} in ${labels.join(' ')}`);
  assert.equal(c.items.find((i) => i.label === 'Mon-Fri')?.detail, 'weekdays');
  assert.ok(c.accept('Mon-Fri').endsWith('ForcedHours = Mon-Fri\n'));
  // After the days and a blank: hours; after a start and "-": ends, with the next morning said.
  const hours = complete(`${HEAD}ForcedHours = Mon-Fri |`);
  assert.deepEqual(hours.items.map((i) => i.label).slice(0, 3), ['00:00', '01:00', '02:00']);
  const ends = complete(`${HEAD.replace('[Rollout]', 'Mode = Forced\n[Rollout]')}ForcedHours = Mon-Fri 18:00-|\n`);
  assert.equal(ends.items.find((i) => i.label === '07:00')?.detail, 'the next morning');
  assert.equal(ends.items.find((i) => i.label === '24:00')?.detail, 'the same day');
  assert.ok(!ends.items.some((i) => i.label === '18:00'), 'never the start itself: an empty window');
  const done = ends.accept('07:00');
  assert.deepEqual(codes(done).filter((c) => c !== 'missing-key'), []);
  // After a day and "-": the end of the day range.
  const range = complete(`${HEAD}ForcedHours = Fri-|`);
  assert.equal(range.items.find((i) => i.label === 'Mon')?.detail, 'Friday to Monday');
  assert.ok(!range.items.some((i) => i.label === 'Fri'));
  // Right after "=" (a trigger character) the value starts after a blank; typing filters.
  assert.ok(complete(`${HEAD}ForcedHours =|\n`).accept('Sat-Sun').endsWith('ForcedHours = Sat-Sun\n'));
  assert.deepEqual(complete(`${HEAD}ForcedHours = Mon-Fri 18:00-07:00, Sa|`).items.map((i) => i.label), ['Sat-Sun', 'Sat']);
});

test('TimeZone: the runtime\'s IANA zones and UTC; what is accepted is a zone the checks know', () => {
  const c = complete(`${HEAD}TimeZone = Eu|\n`);
  const labels = c.items.map((i) => i.label);
  assert.ok(labels.includes('Europe/Berlin') && labels.includes('UTC') && labels.includes('America/New_York'));
  assert.deepEqual(labels.filter((l) => !(Intl.supportedValuesOf('timeZone') as string[]).includes(l)), ['UTC'].filter((z) => !(Intl.supportedValuesOf('timeZone') as string[]).includes(z)));
  const out = c.accept('Europe/Berlin');
  assert.ok(out.includes('TimeZone = Europe/Berlin\n'));
  assert.ok(!codes(out).includes('unknown-time-zone'));
});

test('Pilot and Exclude: known names, none a list matches already, none the other list keeps out; accepting adds no warning', () => {
  const text = `${HEAD}Percent = 10\nExclude = reception*, lab-pc\nPilot = desk-001, |\n`;
  const c = complete(text);
  assert.deepEqual(c.items.map((i) => i.label).sort(), ['boss-pc', 'desk-002', 'desk-003', 'ops-7']);
  assert.equal(c.items.find((i) => i.label === 'ops-7')?.detail, `fleet.csv, bucket ${specBucket('ops-7')}`);
  for (const i of c.items) {
    const out = c.accept(i.label as string);
    assert.deepEqual(codes(out).filter((x) => x !== 'pilot-adds-nothing'), [], `${i.label}: ${out}`);
  }
  // In Exclude, a name Pilot lists is left out (in both lists it is an error); typing filters.
  const ex = complete(`${HEAD}Pilot = boss-pc\nExclude = Re|\n`);
  assert.deepEqual(ex.items.map((i) => i.label), ['Reception-01', 'reception-02']);
  assert.ok(!complete(`${HEAD}Pilot = boss-pc\nExclude = |\n`).items.some((i) => i.label === 'boss-pc'));
  // A wildcard item of the list matches them already.
  assert.deepEqual(complete(`${HEAD}Pilot = desk-*, |\n`).items.map((i) => i.label).filter((l) => l.startsWith('desk')), []);
});

test('Percent: shares, each saying how many known clients it takes in', () => {
  const c = complete(`${HEAD}Exclude = lab-pc\nPilot = boss-pc\nPercent = |\n`);
  const expected = (p: number): number => CLIENTS.filter((x) => x.name !== 'lab-pc' && (x.name === 'boss-pc' || specBucket(x.name) < p)).length;
  for (const p of [0, 25, 50, 100]) assert.equal(c.items.find((i) => i.label === String(p))?.detail, `takes in ${expected(p)} of ${CLIENTS.length} known clients`);
  assert.equal(complete(`${HEAD}Percent = |\n`, []).items.find((i) => i.label === '0')?.detail, 'the pilot desks only');
});

test('hover: a window in words, with its zone and what Mode makes of it', () => {
  const h = hoverText(`${HEAD.replace('[Rollout]', 'Mode = Forced\n[Rollout]')}ForcedHours = Mon-Fri 18:00-07:|00, Sat-Sun\nTimeZone = Europe/Berlin\n`);
  assert.match(h, /\*\*weekdays from 18:00 to 07:00 the next morning, Europe\/Berlin\*\*/);
  assert.match(h, /forced .*optional/);
  assert.match(hoverText(`${HEAD}ForcedHours = Mon-Fri 18:00-07:00, Sa|t-Sun\n`), /weekends, all day, the server's time zone/);
  assert.match(hoverText(`[Upgrade]\nCurrentVersion = 5.2\nMode = Optional\n[Rollout]\nForcedHours = Mo|n\n`), /changes nothing/);
});

test('hover: the zone\'s clock now', () => {
  // 2026-01-05 is a Monday; 09:30 UTC is 10:30 in Berlin (winter, UTC+1).
  assert.match(hoverText(`${HEAD}TimeZone = Europe/Ber|lin\n`), /now Mon 10:30 \(GMT\+1\)/);
});

test('hover: Percent and each name item say whom of the known clients they take in', () => {
  const text = `${HEAD}Exclude = lab-pc\nPilot = boss-pc, desk-00*\nPercent = 4|0\n`;
  const inByBucket = CLIENTS.filter((x) => !['lab-pc', 'boss-pc'].includes(x.name) && !x.name.startsWith('desk-00') && specBucket(x.name) < 40).length;
  const h = hoverText(text);
  assert.match(h, new RegExp(`Of the \\*\\*8 known clients\\*\\* it takes in \\*\\*${4 + inByBucket}\\*\\* \\(4 pilots, ${inByBucket} by bucket\\); 1 excluded, ${3 - inByBucket} held back`));
  assert.match(hoverText(text.replace('desk-00*', 'desk-0|0*')), /`desk-00\*` matches \*\*3 of the 8 known clients\*\*: desk-001, desk-002, desk-003/);
  assert.match(hoverText(text, []), /No fleet file or server inventory is known/);
  assert.match(hoverText('[Upgrade]\nCurrentVersion = x\n[Rollout]\nPercent = 5|0\n'), /Without a valid CurrentVersion/);
});

test('quick fixes come from the diagnostics: a duplicate name, an unknown zone, a day misspelt', () => {
  const fix = (textWithCursor: string, title: RegExp): string => {
    const { state, offset } = at(textWithCursor);
    const p = state.map.positionAt(offset);
    const action = codeActions(state, { start: p, end: p }).find((a) => title.test(a.title));
    assert.ok(action, `${title} among ${codeActions(state, { start: p, end: p }).map((a) => a.title).join(' | ')}`);
    return applyLspEdits(state.text, action.edit?.changes?.[state.uri] ?? []);
  };
  assert.ok(fix(`${HEAD}Percent = 0\nPilot = desk-001, desk-0|01\n`, /^Remove "desk-001"/).includes('Pilot = desk-001\n'));
  assert.ok(fix(`${HEAD}TimeZone = Europe/Berl|im\n`, /Europe\/Berlin/).includes('TimeZone = Europe/Berlin\n'));
  assert.ok(fix(`${HEAD}ForcedHours = Mo|nday 18:00-07:00\n`, /Mon/).includes('ForcedHours = Mon 18:00-07:00\n'));
});

test('known clients: the desks of a fleet file as the simulator names them; an inventory of names only', () => {
  const fleet = readFileSync(join(__dirname, '..', '..', 'examples', 'fleet.csv'), 'utf8');
  const names = clientsOfFleet(fleet, 'fleet.csv').map((c) => c.name);
  assert.equal(names.length, 10 + 20 + 5 + 8 + 1);
  assert.deepEqual(names.slice(0, 2), ['desk-001', 'desk-002']);
  assert.ok(names.includes('reception-001') && names.includes('reception-005') && names.includes('lab-pc'));
  assert.deepEqual(clientsOfFleet('not,a,fleet\n1,2,3\n', 'x.csv'), [], 'a CSV that is not a fleet file offers nothing');
  assert.deepEqual(inventoryNames({ names: ['pc-1', 'pc-1', '', 7, 'x'.repeat(129), 'pc-2'] }), ['pc-1', 'pc-2']);
  assert.deepEqual(inventoryNames({ names: 'pc-1' }), []);
});
