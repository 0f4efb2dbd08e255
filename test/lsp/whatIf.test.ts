// The what-if table and Decide... from the bundled language server over
// stdio (issue 11): every version that matters for examples/upgrade.ini and
// what it gets, with the versions of examples/fleet.csv; with [Rollout], what
// the fleet's desks get by name; and Decide... worded exactly as the built
// `nsupgrade decide` prints it. The expected decisions are worked out from
// spec sections 2, 3, 5 and 7 by hand (and the bucket by the spec's own
// SHA-256 recipe), not read back from the code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DECIDE_REQUEST, WHAT_IF_REQUEST, type DecideResult, type WhatIfTable } from '../../server/src/views/messages';
import { LspClient } from './harness';
import { nsupgrade } from '../cli/run';
import { tempDir } from '../tempDir';

const ROOT = join(__dirname, '..', '..');
const EXAMPLES = join(ROOT, 'examples');
const FULL = { file: 'Netphone_520.exe', size: statSync(join(EXAMPLES, 'files', 'Netphone_520.exe')).size };
const PATCH = { file: 'NP_Update.exe', size: statSync(join(EXAMPLES, 'files', 'NP_Update.exe')).size };
let client: LspClient;

before(async () => {
  client = await LspClient.start();
});

after(async () => {
  assert.equal(await client.stop(), 0);
});

function uriOf(path: string): string {
  return pathToFileURL(path).toString();
}

/** [version, action, reason, file?] of each row. */
function rowsOf(t: WhatIfTable): (string | undefined)[][] {
  assert.ok(!('unavailable' in t), JSON.stringify(t));
  return t.rows.map((r) => [r.version, r.decision.action, r.decision.reason, 'file' in r.decision ? r.decision.file : undefined]);
}

test('examples/upgrade.ini: every version that matters, each with what spec section 5 gives it', async () => {
  const t = await client.request<WhatIfTable>(WHAT_IF_REQUEST, { uri: uriOf(join(EXAMPLES, 'upgrade.ini')) });
  const patch = PATCH.file;
  const full = FULL.file;
  // CurrentVersion = 5.20.12; Patchable = 5.10.*, 5.11.1 - 5.11.99, >=5.12 <5.20, 5.20.3 (spec 3: a
  // wildcard is 5.10.0.0 to 5.10.65535.65535, <5.20 ends at 5.19.65535.65535); examples/fleet.csv
  // has 4.90, 5.10.3, 5.11.40, 5.20.12 and "unknown". Spec 2: a version has at most 4 components.
  assert.deepEqual(rowsOf(t), [
    ['4.90', 'full', 'not-patchable', full], // fleet: older, no item
    ['5.9.65535.65535', 'full', 'not-patchable', full], // just below 5.10.*
    ['5.10', 'patch', 'patchable', patch], // lowest of 5.10.*
    ['5.10.3', 'patch', 'patchable', patch], // fleet
    ['5.10.65535.65535', 'patch', 'patchable', patch], // highest of 5.10.*
    ['5.11', 'full', 'not-patchable', full], // just above 5.10.*, below 5.11.1
    ['5.11.0.65535', 'full', 'not-patchable', full], // just below 5.11.1
    ['5.11.1', 'patch', 'patchable', patch],
    ['5.11.40', 'patch', 'patchable', patch], // fleet (the reception desks)
    ['5.11.99', 'patch', 'patchable', patch],
    ['5.11.99.1', 'full', 'not-patchable', full], // just above the range
    ['5.11.65535.65535', 'full', 'not-patchable', full], // just below >=5.12
    ['5.12', 'patch', 'patchable', patch],
    ['5.19.65535.65535', 'patch', 'patchable', patch], // highest below <5.20
    ['5.20', 'full', 'not-patchable', full], // <5.20 excludes it; 5.20.3 is exact
    ['5.20.2.65535', 'full', 'not-patchable', full],
    ['5.20.3', 'patch', 'patchable', patch],
    ['5.20.3.1', 'full', 'not-patchable', full],
    ['5.20.11.65535', 'full', 'not-patchable', full], // just below CurrentVersion
    ['5.20.12', 'allow', 'current', undefined], // rule 3
    ['5.20.12.1', 'allow', 'newer', undefined], // rule 4: never downgrade
    ['unknown', 'reject', 'bad-version', undefined], // rule 1 (fleet: lab-pc)
  ]);
  assert.ok(!('unavailable' in t));
  // Mode = Optional: every offer is optional; the size is the file's on disk.
  for (const r of t.rows) {
    const d = r.decision;
    if (d.action !== 'patch' && d.action !== 'full') continue;
    assert.equal(d.mode, 'optional', r.version);
    assert.equal(d.size, (d.action === 'patch' ? PATCH : FULL).size, r.version);
  }
  const row = (v: string) => t.rows.find((r) => r.version === v)!;
  assert.deepEqual(row('5.10').why, ['lowest of Patchable 5.10.*']);
  assert.deepEqual(row('5.11').why, ['just above Patchable 5.10.*']);
  assert.deepEqual(row('5.20.3').why, ['Patchable 5.20.3']);
  assert.deepEqual(row('5.20.12').why, ['CurrentVersion', '10 desks in fleet.csv']);
  // Without [Rollout] every desk of a version gets the same: one line per fleet version.
  assert.deepEqual(row('5.10.3').fleet, { desks: 20, sources: ['fleet.csv'], decisions: [{ action: 'patch', reason: 'patchable', mode: 'optional', count: 20 }] });
  assert.deepEqual(row('unknown').fleet?.decisions, [{ action: 'reject', reason: 'bad-version', count: 1 }]);
  assert.equal(t.rollout, false);
  assert.deepEqual(t.fleetFiles, ['fleet.csv']);
  assert.equal(t.left, 0);
});

/** Spec 7: bucket = floor(u * 100 / 2^32), u the first 4 bytes (big-endian) of SHA-256("5.20.12/" + lowercase name). */
function bucket(name: string): number {
  return Math.floor((createHash('sha256').update(`5.20.12/${name.toLowerCase()}`, 'utf8').digest().readUInt32BE(0) * 100) / 2 ** 32);
}

test('examples/rollout.ini: the fleet\'s desks of one version by what each gets (Pilot, Exclude, the bucket), forced only inside ForcedHours', async () => {
  const uri = uriOf(join(EXAMPLES, 'rollout.ini'));
  // Tuesday 07:00 in Berlin: inside Mon-Fri 06:00-08:30.
  const inside = await client.request<WhatIfTable>(WHAT_IF_REQUEST, { uri, at: '2026-03-03T07:00+01:00' });
  assert.ok(!('unavailable' in inside), JSON.stringify(inside));
  assert.equal(inside.rollout, true);
  const row = (t: WhatIfTable, v: string) => t.rows.find((r) => r.version === v)!;
  // The 5.11.40 desks are reception-001..005: Exclude = reception* lets them in (rule 5).
  assert.deepEqual(row(inside, '5.11.40').fleet?.decisions, [{ action: 'allow', reason: 'excluded', count: 5 }]);
  // The 5.10.3 desks are desk-011..desk-030 (desk-NNN by place; the ten 5.20.12 desks come first).
  // Percent = 90: in when the bucket is below 90 (none of them is a Pilot).
  const names = Array.from({ length: 20 }, (_, i) => `desk-${String(11 + i).padStart(3, '0')}`);
  const taken = names.filter((n) => bucket(n) < 90).length;
  const expected = [
    { action: 'patch', reason: 'patchable', mode: 'forced', count: taken },
    { action: 'allow', reason: 'held-back', count: 20 - taken },
  ].filter((d) => d.count > 0).sort((a, b) => b.count - a.count);
  assert.deepEqual(row(inside, '5.10.3').fleet?.decisions, expected);
  // The unnamed desk of the table: bucket of "" decides whether it is in.
  const unnamed = row(inside, '5.10').decision;
  assert.equal(unnamed.action, bucket('') < 90 ? 'patch' : 'allow');
  assert.equal(unnamed.bucket, bucket(''));

  // Saturday: outside ForcedHours, the same offers are optional (spec 7).
  const outside = await client.request<WhatIfTable>(WHAT_IF_REQUEST, { uri, at: '2026-03-07T07:00+01:00' });
  const offered = row(outside, '5.10.3').fleet!.decisions.find((d) => d.action === 'patch');
  if (taken > 0) assert.deepEqual(offered, { action: 'patch', reason: 'patchable', mode: 'optional', count: taken });
});

test('a config with errors, an open edit, a file that is not there: the table says why there is none, or follows the edit', async () => {
  const broken = await client.request<WhatIfTable>(WHAT_IF_REQUEST, { uri: uriOf(join(EXAMPLES, 'broken.ini')) });
  assert.ok('unavailable' in broken && /errors/.test(broken.unavailable), JSON.stringify(broken));
  const gone = await client.request<WhatIfTable>(WHAT_IF_REQUEST, { uri: uriOf(join(EXAMPLES, 'no-such.ini')) });
  assert.ok('unavailable' in gone && /no-such\.ini/.test(gone.unavailable), JSON.stringify(gone));

  // An open document: its text, not the disk's (here CurrentVersion moved to 5.30 and Patchable lost 5.20.3).
  const dir = tempDir('nsu-whatif-');
  const path = join(dir, 'upgrade.ini');
  const text = readFileSync(join(EXAMPLES, 'upgrade.ini'), 'utf8').replace('FileRoot = files', `FileRoot = ${join(EXAMPLES, 'files')}`);
  writeFileSync(path, text);
  const uri = client.open(path, text.replace('CurrentVersion = 5.20.12', 'CurrentVersion = 5.30').replace(', 5.20.3', ''));
  const t = await client.request<WhatIfTable>(WHAT_IF_REQUEST, { uri });
  const rows = rowsOf(t);
  assert.deepEqual(rows.find((r) => r[0] === '5.30'), ['5.30', 'allow', 'current', undefined]);
  assert.deepEqual(rows.find((r) => r[0] === '5.20.3'), undefined, 'no longer an item');
  assert.deepEqual(rows.find((r) => r[0] === '5.29.65535.65535'), ['5.29.65535.65535', 'full', 'not-patchable', FULL.file]);
  assert.ok(!('unavailable' in t));
  assert.deepEqual(t.fleetFiles, [], 'no fleet file near it');
});

test('Decide...: the answer is what the built nsupgrade decide prints, text and JSON, with a name and a time', async () => {
  const cases: { file: string; version: string; name?: string; at: string }[] = [
    { file: 'upgrade.ini', version: '5.10.3', at: '2026-03-03T10:00Z' },
    { file: 'upgrade.ini', version: '4.0', at: '2026-03-03T10:00Z' },
    { file: 'upgrade.ini', version: '5.20.12', at: '2026-03-03T10:00Z' },
    { file: 'upgrade.ini', version: 'garbage', at: '2026-03-03T10:00Z' },
    { file: 'rollout.ini', version: '5.10.3', name: 'desk-001', at: '2026-03-03T07:00+01:00' },
    { file: 'rollout.ini', version: '5.10.3', name: 'desk-001', at: '2026-03-07T07:00+01:00' },
    { file: 'rollout.ini', version: '5.10.3', name: 'reception-002', at: '2026-03-03T07:00+01:00' },
  ];
  for (const c of cases) {
    const path = join(EXAMPLES, c.file);
    const r = await client.request<DecideResult>(DECIDE_REQUEST, { uri: uriOf(path), version: c.version, name: c.name, at: c.at });
    assert.ok(r.ok, JSON.stringify(r));
    const flags = ['--client-version', c.version, ...(c.name ? ['--client-name', c.name] : []), '--at', c.at];
    const text = nsupgrade('decide', path, ...flags);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(r.text, text.stdout, JSON.stringify(c));
    const json = nsupgrade('decide', path, ...flags, '--format', 'json');
    assert.deepEqual(r.json, JSON.parse(json.stdout), JSON.stringify(c));
  }
  // By the spec, not by the CLI: 5.10.3 matches 5.10.*; desk-001 is a Pilot, forced inside the window, optional on Saturday.
  const one = await client.request<DecideResult>(DECIDE_REQUEST, { uri: uriOf(join(EXAMPLES, 'upgrade.ini')), version: '5.10.3' });
  assert.ok(one.ok);
  assert.equal(one.text.split('\n')[0], 'patch (patchable): 5.10.3 matches Patchable item "5.10.*"');
  const pilot = await client.request<DecideResult>(DECIDE_REQUEST, { uri: uriOf(join(EXAMPLES, 'rollout.ini')), version: '5.10.3', name: 'desk-001', at: '2026-03-07T07:00+01:00' });
  assert.ok(pilot.ok);
  assert.deepEqual([pilot.json.action, pilot.json.mode, pilot.json.modeReason, pilot.json.bucket], ['patch', 'optional', 'outside-forced-hours', bucket('desk-001')]);
});

test('Decide... refuses what nsupgrade decide refuses, saying what is wrong', async () => {
  const uri = uriOf(join(EXAMPLES, 'upgrade.ini'));
  const bad = (r: DecideResult): string => (r.ok ? assert.fail(JSON.stringify(r)) : r.message);
  assert.match(bad(await client.request<DecideResult>(DECIDE_REQUEST, { uri, version: '5.10.3', at: 'tomorrow' })), /ISO 8601.*not "tomorrow"/);
  assert.match(bad(await client.request<DecideResult>(DECIDE_REQUEST, { uri, version: '5.10.3', name: 'x'.repeat(129) })), /at most 128 characters, not 129/);
  assert.match(bad(await client.request<DecideResult>(DECIDE_REQUEST, { uri, version: '5.10.3', name: 'a\u0007b' })), /control characters \(U\+0007 at character 2\)/);
  assert.match(bad(await client.request<DecideResult>(DECIDE_REQUEST, { uri: uriOf(join(EXAMPLES, 'broken.ini')), version: '5.10.3' })), /broken\.ini has \d+ errors?: no decision is made on a config with errors/);
});
