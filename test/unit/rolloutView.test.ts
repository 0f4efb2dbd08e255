// The extension's rollout rows (issue 12), as pure functions of what the host
// gets: the language server's summary of a real [Rollout] (summarize() of an
// analysed text), and a workbench snapshot's ServerView with an inventory.
// The tree, the status bar, Show Inventory's document and the names sent to
// the language server are checked row by row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/config';
import { summarize } from '../../server/src/views/summary';
import type { InventoryClientView, RolloutView, ServerView } from '../../server/src/views/messages';
import type { RolloutStatus } from '../../server/src/upgrade/events';
import type { Node } from '../../client/src/views/tree/node';
import { CLIENTS_PER_VERSION, ago, clock, configRolloutNode, pausedStatus, serverRolloutNode, withChild } from '../../client/src/views/tree/rolloutNode';
import { inventoryText } from '../../client/src/views/inventoryText';
import { knownNames } from '../../client/src/inventory';

const CONFIG = [
  '[Upgrade]',
  'CurrentVersion = 5.20.12',
  'Mode = Forced',
  'FullSetup = Netphone_520.exe',
  '[Rollout]',
  'Pilot = pilot-pc, boss-*',
  'Percent = 25',
  'Exclude = reception*',
  'MaxPerHour = 40',
  'PauseAfterFailures = 3',
  'ForcedHours = Mon-Fri 18:00-07:00, Sat',
  'TimeZone = Europe/Berlin',
  '',
].join('\n');

function rolloutOf(text: string): RolloutView | null {
  return summarize({ uri: 'file:///o/upgrade.ini', version: 1, path: '/o/upgrade.ini', text, analysis: analyze(text), diagnostics: analyze(text).diagnostics, encoding: null, checked: null }, new Date('2026-11-28T10:00:00Z')).rollout;
}

/** label -> description of a node's children. */
function rows(n: Node): Record<string, string | undefined> {
  return Object.fromEntries((n.children?.() ?? []).map((c) => [c.label, c.description]));
}

test('Config: the file\'s [Rollout] in words, ForcedHours with its time zone', () => {
  const r = rolloutOf(CONFIG);
  assert.ok(r);
  assert.deepEqual(r.forcedHoursInWords, ['weekdays from 18:00 to 07:00 the next morning', 'Saturday, all day']);
  const node = configRolloutNode(r);
  assert.equal(node.label, 'Rollout');
  assert.equal(node.description, 'pilot 2, 25%, 1 excluded, 40/h');
  assert.deepEqual(rows(node), {
    Pilot: 'pilot-pc, boss-*: always first',
    Share: '25%: 25% of the desks besides the pilot',
    Excluded: 'reception*: never offered',
    'Max per hour': '40 desks offered in any 60 minutes',
    'Pause after': '3 failed upgrades',
    'Forced hours': 'weekdays from 18:00 to 07:00 the next morning; Saturday, all day (Europe/Berlin)',
  });
});

test('Config: the defaults say what they mean; a long list is cut with a count', () => {
  const names = Array.from({ length: 12 }, (_, i) => `desk-${i + 1}`);
  const r = rolloutOf(['[Upgrade]', 'CurrentVersion = 5.20.12', 'FullSetup = a.exe', '[Rollout]', `Pilot = ${names.join(', ')}`, 'Percent = 0', ''].join('\n'));
  assert.ok(r);
  assert.equal(r.forcedHoursInWords, null);
  const got = rows(configRolloutNode(r));
  assert.equal(got.Pilot, `${names.slice(0, 8).join(', ')} +4 more: always first`);
  assert.equal(got.Share, '0%: only the pilot desks');
  assert.equal(got.Excluded, 'none');
  assert.equal(got['Max per hour'], 'no limit');
  assert.equal(got['Pause after'], 'never (no PauseAfterFailures)');
  assert.equal(got['Forced hours'], 'always (whenever Mode = Forced)');
  const allDesks = rolloutOf(['[Upgrade]', 'CurrentVersion = 5.20.12', 'FullSetup = a.exe', '[Rollout]', 'ForcedHours = 22:00-06:00', ''].join('\n'));
  assert.ok(allDesks);
  assert.equal(rows(configRolloutNode(allDesks)).Share, '100%: every desk');
  assert.equal(rows(configRolloutNode(allDesks))['Forced hours'], "every day from 22:00 to 06:00 the next morning (the server's time zone)");
  assert.equal(rolloutOf(['[Upgrade]', 'CurrentVersion = 5.20.12', 'FullSetup = a.exe', ''].join('\n')), null, 'no [Rollout]: no rows');
});

const NOW = Date.parse('2026-11-28T12:00:00Z');
const iso = (minutesAgo: number): string => new Date(NOW - minutesAgo * 60_000).toISOString();

function client(name: string, version: string, outcome: InventoryClientView['outcome'], minutesAgo: number, bucket?: number): InventoryClientView {
  const c: InventoryClientView = { name, version, lastLogin: iso(minutesAgo), address: '127.0.0.1', decision: { action: outcome === 'let-in' ? 'allow' : 'full', reason: outcome === 'let-in' ? 'current' : 'not-patchable', ...(outcome === 'let-in' ? {} : { mode: 'forced' as const }) }, outcome };
  if (bucket !== undefined) c.bucket = bucket;
  return c;
}

function serverView(rollout: Partial<RolloutStatus>, byVersion: Record<string, number>, pausedAt?: string): ServerView {
  const view: ServerView = {
    config: '/o/upgrade.ini',
    host: '127.0.0.1',
    port: 40123,
    pid: 1,
    startedAt: iso(60),
    currentVersion: '5.20.12',
    clients: [],
    clientCount: 0,
    transfers: { running: 0, queued: 0 },
    counts: { connections: 0, logins: 0, decisions: { allow: 0, reject: 0, patch: 0, full: 0 }, transfersDone: 0, bytesSent: 0, results: {}, errors: 0 },
    rollout: { currentVersion: '5.20.12', offeredLastHour: 0, maxPerHour: null, failures: 0, pauseAfterFailures: null, paused: false, ...rollout },
    rolloutConfigured: true,
    inventoryByVersion: byVersion,
    inventoryChanges: 3,
    inForce: { loadedAt: iso(60), currentVersion: '5.20.12', hash: '0123abcd', files: [] },
    recent: [],
  };
  if (pausedAt) view.rolloutPausedAt = pausedAt;
  return view;
}

test('Server: paused, why and since when; the offers against MaxPerHour; the failures; a Resume action on the row', () => {
  const pausedAt = iso(5);
  const view = serverView({ paused: true, failures: 3, pauseAfterFailures: 3, offeredLastHour: 12, maxPerHour: 40 }, { '4.0': 1 }, pausedAt);
  const node = serverRolloutNode(view, null, NOW);
  assert.equal(node.contextValue, 'rolloutPaused', 'the inline Resume Rollout shows on this row only when paused');
  assert.equal(node.description, `paused: 3 failures since ${clock(pausedAt)}`);
  const got = rows(node);
  assert.equal(got.Paused, `since ${clock(pausedAt)}, after 3 failed upgrades (PauseAfterFailures = 3): out-of-date desks are let in without an offer`);
  assert.equal(got['Offers in the last hour'], '12 of 40');
  assert.equal(got.Failures, '3 of 3 before a pause');
  assert.equal(got.Inventory, '1 client, 1 version');

  const running = serverRolloutNode(serverView({ offeredLastHour: 40, maxPerHour: 40, failures: 1, pauseAfterFailures: 3 }, {}), null, NOW);
  assert.equal(running.contextValue, 'rollout');
  assert.equal(running.description, '40/40 offered in the last hour, 1 failure');
  assert.equal(rows(running).Offering, '5.20.12 to the desks in the rollout');
  assert.equal(rows(running)['Offers in the last hour'], '40 of 40: full, new desks are let in without an offer');
  assert.equal(rows(running).Failures, '1 of 3 before a pause');
  const inv = running.children?.().find((n) => n.label === 'Inventory');
  assert.equal(inv?.description, 'no client seen yet');
  assert.equal(inv?.children, undefined, 'a leaf until a client logs in');

  const none = rows(serverRolloutNode(serverView({ offeredLastHour: 2 }, {}), null, NOW));
  assert.equal(none['Offers in the last hour'], '2 (no MaxPerHour)');
  assert.equal(none.Failures, '0 (no PauseAfterFailures)');
  assert.equal(serverRolloutNode(undefined, null, NOW).description, 'waiting for the server...');
  // A config without [Rollout]: every out-of-date desk is offered; failures and the inventory still count.
  const plain = serverRolloutNode({ ...serverView({ offeredLastHour: 3, failures: 1 }, {}), rolloutConfigured: false }, null, NOW);
  assert.equal(plain.description, 'no [Rollout]: 3 offered in the last hour, 1 failure');
  assert.equal(rows(plain).Offering, '5.20.12 to every out-of-date desk (no [Rollout])');
});

test('Server: the inventory by version, newest first; each version\'s clients most recent first, at most CLIENTS_PER_VERSION, "N more"', () => {
  const clients: InventoryClientView[] = [];
  // Least recently seen first, as the child sends them.
  for (let i = 0; i < CLIENTS_PER_VERSION + 50; i++) clients.push(client(`desk-${i}`, '5.10.3', 'offered', 1000 - i));
  clients.push(client('pilot-pc', '4.0', 'failed', 3, 17));
  clients.push(client('boss-1', '5.20.12', 'let-in', 1));
  const byVersion = { '5.10.3': CLIENTS_PER_VERSION + 50 + 7, '4.0': 1, '5.20.12': 1, '5.9': 2 };
  const view = serverView({}, byVersion);
  const inv = serverRolloutNode(view, { config: view.config, clients, total: clients.length + 9 }, NOW).children?.().find((n) => n.label === 'Inventory');
  assert.ok(inv?.children);
  assert.equal(inv.contextValue, 'inventory', 'Show Inventory is the row\'s inline action');
  assert.equal(inv.description, `${(CLIENTS_PER_VERSION + 61).toLocaleString('en-US')} clients, 4 versions`);
  const versions = inv.children();
  assert.deepEqual(versions.map((v) => [v.label, v.description]), [
    ['5.20.12', '1 client (current)'],
    ['5.10.3', `${CLIENTS_PER_VERSION + 57} clients`],
    ['5.9', '2 clients'],
    ['4.0', '1 client'],
  ]);
  const old = versions[3].children?.() ?? [];
  assert.deepEqual(old.map((c) => [c.label, c.description, c.icon]), [['pilot-pc', 'failed, 3 min ago', 'error']]);
  assert.match(old[0].tooltip ?? '', /bucket 17/);
  const many = versions[1].children?.() ?? [];
  assert.equal(many.length, CLIENTS_PER_VERSION + 1);
  assert.equal(many[0].label, `desk-${CLIENTS_PER_VERSION + 49}`, 'the most recent first');
  assert.deepEqual([many[CLIENTS_PER_VERSION].label, many[CLIENTS_PER_VERSION].command?.command], ['57 more', 'nsupgrade.showInventory']);
  // Clients the last answer did not hold (5.9's) are counted, never invented.
  assert.deepEqual((versions[2].children?.() ?? []).map((c) => c.label), ['2 more']);
});

test('the status bar says paused with a warning and how to resume; nothing when not paused', () => {
  const pausedAt = iso(2);
  const p = pausedStatus({ currentVersion: '5.20.12', offeredLastHour: 1, maxPerHour: null, failures: 3, pauseAfterFailures: 3, paused: true }, pausedAt);
  assert.ok(p);
  assert.equal(p.text, '$(debug-pause) Upgrade server paused: 3 failures');
  assert.match(p.tooltip, /rollout of 5\.20\.12 is paused since \d\d:\d\d: 3 failed upgrades \(PauseAfterFailures = 3\)/);
  assert.match(p.tooltip, /Resume Rollout/);
  assert.equal(pausedStatus({ currentVersion: '5.20.12', offeredLastHour: 1, maxPerHour: null, failures: 2, pauseAfterFailures: 3, paused: false }, undefined), null);
  assert.equal(pausedStatus({ currentVersion: '5.20.12', offeredLastHour: 0, maxPerHour: null, failures: 1, pauseAfterFailures: 1, paused: true }, undefined)?.text, '$(debug-pause) Upgrade server paused: 1 failure');
});

test('clock and ago', () => {
  const d = new Date(2026, 10, 28, 9, 5);
  assert.equal(clock(d.toISOString()), '09:05');
  assert.equal(ago(iso(0), NOW), '0 s ago');
  assert.equal(ago(new Date(NOW - 59_000).toISOString(), NOW), '59 s ago');
  assert.equal(ago(iso(61), NOW), '1 h ago');
  assert.equal(ago(iso(3 * 24 * 60), NOW), '3 days ago');
});

test('Show Inventory: every client by name, with version, last seen, last result, decision and bucket', () => {
  const clients = [client('desk-10', '5.10.3', 'upgraded', 4, 80), client('desk-9', '5.20.12', 'let-in', 3, 5), client('Pilot-PC', '4.0', 'failed', 1, 17)];
  const view = serverView({ paused: true, failures: 1, pauseAfterFailures: 1 }, { '5.10.3': 1, '5.20.12': 1, '4.0': 1 });
  const text = inventoryText({ config: view.config, clients, total: 3 }, view, NOW);
  const lines = text.split('\n');
  assert.equal(lines[0], `Inventory of /o/upgrade.ini, served on 127.0.0.1:40123, as of ${new Date(NOW).toISOString()}`);
  assert.equal(lines[1], '3 clients, by name.');
  assert.equal(lines[2], 'By version: 5.20.12: 1, 5.10.3: 1, 4.0: 1');
  assert.match(lines[3], /^Rollout of 5\.20\.12: PAUSED after 1 failure;/);
  const header = lines.findIndex((l) => l.startsWith('NAME'));
  assert.match(lines[header], /^NAME +VERSION +LAST SEEN +AGO +LAST RESULT +DECISION +BUCKET +ADDRESS$/);
  const table = lines.slice(header + 1).filter((l) => l);
  // By name, numbers as numbers: desk-9 before desk-10.
  assert.deepEqual(table.map((l) => l.split(/ +/)[0]), ['desk-9', 'desk-10', 'Pilot-PC']);
  const pilot = table[2].split(/ {2,}/);
  assert.deepEqual(pilot, ['Pilot-PC', '4.0', iso(1), '1 min ago', 'failed', 'full (not-patchable, forced)', '17', '127.0.0.1']);
  const some = inventoryText({ config: view.config, clients, total: 12_000 }, undefined, NOW);
  assert.match(some.split('\n')[1], /^12000 clients; the 3 seen most recently, by name/);
});

test('the names sent to the language server: most recent first, each once whatever its case, bounded', () => {
  const clients = [client('a', '1', 'let-in', 5), client('B', '1', 'let-in', 4), client('c', '1', 'let-in', 3), client('b', '1', 'let-in', 2)];
  assert.deepEqual(knownNames(clients), ['b', 'c', 'a']);
  assert.deepEqual(knownNames(clients, 2), ['b', 'c']);
  assert.deepEqual(knownNames([]), []);
});

test('withChild adds a row before the one named, or last, and leaves the section\'s own list alone', () => {
  const kids: Node[] = [{ id: 'a', label: 'a' }, { id: 'p', label: 'Problems' }];
  const parent: Node = { id: 'x', label: 'x', children: () => kids };
  const added = withChild(parent, { id: 'r', label: 'Rollout' }, 'p');
  assert.deepEqual(added.children?.().map((n) => n.id), ['a', 'r', 'p']);
  assert.deepEqual(added.children?.().map((n) => n.id), ['a', 'r', 'p'], 'the same rows at every call');
  assert.deepEqual(kids.map((n) => n.id), ['a', 'p']);
  assert.deepEqual(withChild(parent, { id: 'r', label: 'Rollout' }, 'nope').children?.().map((n) => n.id), ['a', 'p', 'r']);
  const leaf: Node = { id: 'l', label: 'l' };
  assert.equal(withChild(leaf, { id: 'r', label: 'r' }), leaf);
});
