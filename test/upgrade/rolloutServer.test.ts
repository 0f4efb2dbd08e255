// The rollout state through the real server, over sockets on 127.0.0.1 with an
// injected clock: client names (sent, or the address), the inventory of each
// login and its outcome, failed results counted, the views' requests (resume,
// inventory) through the workbench.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Workbench } from '../../server/src/workbench/workbench';
import type { WorkbenchMessage, WorkbenchResult } from '../../server/src/views/messages';
import type { ServerEvent } from '../../server/src/upgrade/events';
import { configText, download, failedUpgrade, hello, login, makeFixture, start } from './helpers';

const AT = new Date('2026-03-02T09:30:00Z');

async function loginNamed(port: number, version: string, name?: string) {
  const c = await hello(port);
  c.send(name === undefined ? { type: 'login', version } : { type: 'login', version, name });
  const decision = await c.message();
  const next = await c.message();
  return { c, decision, next };
}

async function until(pred: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('the inventory keeps each client by the name it sent, else by its address; with the time of the server clock', async () => {
  const fx = makeFixture();
  const { server, port, events } = await start(fx, { now: () => AT });
  try {
    const a = await loginNamed(port, '5.20.12', 'Reception-PC');
    assert.deepEqual(a.next, { type: 'admitted', reason: 'current' });
    a.c.close();
    const b = await loginNamed(port, '5.10.3');
    assert.equal(b.next.type, 'offer');
    b.c.send({ type: 'decline' });
    const e = await b.c.message();
    assert.equal(e.type === 'error' && e.code, 'upgrade-required', 'forced: a decline is refused');
    b.c.close();
    await until(() => server.inventory().some((c) => c.outcome === 'declined'), 'the decline in the inventory');
    assert.deepEqual(server.inventory(), [
      { name: 'Reception-PC', lastLogin: AT.toISOString(), address: '127.0.0.1', version: '5.20.12', decision: { action: 'allow', reason: 'current' }, outcome: 'let-in' },
      { name: '127.0.0.1', lastLogin: AT.toISOString(), address: '127.0.0.1', version: '5.10.3', decision: { action: 'patch', reason: 'patchable', mode: 'forced' }, outcome: 'declined' },
    ]);
    assert.deepEqual(server.inventoryByVersion(), { '5.20.12': 1, '5.10.3': 1 });
    const inventoryEvents = events.filter((x): x is Extract<ServerEvent, { type: 'inventory' }> => x.type === 'inventory');
    assert.deepEqual(inventoryEvents.map((x) => `${x.client.name}:${x.client.outcome}`), ['Reception-PC:let-in', '127.0.0.1:offered', '127.0.0.1:declined']);
  } finally {
    await server.close();
  }
});

test('a download and a failed result: the inventory follows it, the failure is counted for CurrentVersion (no [Rollout]: never paused)', async () => {
  const fx = makeFixture();
  const { server, port } = await start(fx, { now: () => AT });
  try {
    const { c, offer } = await login(port, '4.0');
    assert.equal(offer?.kind, 'full');
    c.send({ type: 'accept' });
    await download(c);
    await until(() => server.inventory()[0]?.outcome === 'downloaded', 'downloaded');
    c.send({ type: 'result', previousVersion: '4.0', outcome: 'failed', errorCode: 'setup-failed' });
    await until(() => server.rolloutStatus().failures === 1, 'the failure counted');
    assert.deepEqual(server.rolloutStatus(), { currentVersion: '5.20.12', offeredLastHour: 1, maxPerHour: null, failures: 1, pauseAfterFailures: null, paused: false });
    assert.equal(server.inventory()[0].outcome, 'failed');
    // Without [Rollout] the decision is as in v1 whatever the counts.
    const again = await login(port, '4.0');
    assert.deepEqual(again.decision, { type: 'decision', action: 'full', reason: 'not-patchable', mode: 'forced' });
    again.c.close();
  } finally {
    await server.close();
  }
});

test('the workbench answers resume-rollout and inventory for the config it serves, and not-serving for another', async () => {
  const fx = makeFixture();
  const sent: WorkbenchMessage[] = [];
  const bench = new Workbench((m) => sent.push(m), { pid: process.pid, snapshotMs: 10 });
  const reply = async (request: Parameters<Workbench['handle']>[0]): Promise<WorkbenchResult> => {
    await bench.handle(request);
    const r = sent.find((m) => m.type === 'reply' && m.id === request.id);
    assert.ok(r && r.type === 'reply');
    return r.result;
  };
  try {
    const started = await reply({ type: 'start-server', id: 1, options: { config: fx.ini, port: 0, host: '127.0.0.1' } });
    assert.equal(started.type, 'server-started');
    const port = started.type === 'server-started' ? started.server.port : 0;
    const a = await loginNamed(port, '5.20.12', 'desk-7');
    a.c.close();
    await until(() => sent.some((m) => m.type === 'snapshot' && m.state.servers[0]?.inventoryByVersion['5.20.12'] === 1), 'a snapshot with the inventory');
    const inv = await reply({ type: 'inventory', id: 2, config: fx.ini });
    assert.equal(inv.type, 'inventory');
    assert.deepEqual(inv.type === 'inventory' && inv.clients.map((c) => [c.name, c.version, c.outcome]), [['desk-7', '5.20.12', 'let-in']]);
    assert.equal(inv.type === 'inventory' && inv.total, 1);
    const resumed = await reply({ type: 'resume-rollout', id: 3, config: fx.ini });
    assert.deepEqual(resumed.type === 'rollout-resumed' && [resumed.wasPaused, resumed.rollout.failures], [false, 0]);
    assert.deepEqual(await reply({ type: 'inventory', id: 4, config: '/nowhere/upgrade.ini' }), { type: 'not-serving', config: '/nowhere/upgrade.ini' });
    const snap = [...sent].reverse().find((m) => m.type === 'snapshot');
    assert.ok(snap && snap.type === 'snapshot');
    assert.deepEqual(snap.state.servers[0].rollout, { currentVersion: '5.20.12', offeredLastHour: 0, maxPerHour: null, failures: 0, pauseAfterFailures: null, paused: false });
  } finally {
    await bench.close();
  }
});

// ------------------------------------------------ the gates of section 5, steps 5-8

/** The fixture's config with a [Rollout] section (and StateFile = None: these tests keep state in memory). */
function rolloutConfig(rollout: string, opts: { mode?: string; current?: string } = {}): string {
  return configText({ mode: opts.mode })
    .replace('[Server]\n', '[Server]\nStateFile = None\n')
    .replace('CurrentVersion = 5.20.12', `CurrentVersion = ${opts.current ?? '5.20.12'}`)
    .concat(`[Rollout]\n${rollout}\n`);
}

/** The bucket of spec section 7, computed here from its definition. */
function bucket(canon: string, name: string): number {
  return Math.floor((createHash('sha256').update(`${canon}/${name.toLowerCase()}`, 'utf8').digest().readUInt32BE(0) * 100) / 2 ** 32);
}

/** A clock the test moves. */
function clock(start: string): { now: () => Date; set(iso: string): void; add(minutes: number): void } {
  let t = Date.parse(start);
  return { now: () => new Date(t), set: (iso) => (t = Date.parse(iso)), add: (m) => (t += m * 60_000) };
}

async function decisionOf(port: number, version: string, name?: string) {
  const r = await loginNamed(port, version, name);
  r.c.close();
  assert.equal(r.decision.type, 'decision');
  return { decision: r.decision, next: r.next };
}

test('MaxPerHour over sockets: the third distinct desk in an hour is throttled, a desk that reconnects is offered again, an hour later there is room', async () => {
  const fx = makeFixture(rolloutConfig('MaxPerHour = 2'));
  const t = clock('2026-03-03T09:00:00Z');
  const { server, port, events } = await start(fx, { now: t.now });
  try {
    assert.equal((await decisionOf(port, '5.10.3', 'desk-1')).next.type, 'offer');
    t.add(10);
    assert.equal((await decisionOf(port, '4.0', 'desk-2')).next.type, 'offer');
    t.add(10);
    const third = await decisionOf(port, '5.10.3', 'desk-3');
    assert.deepEqual(third.decision, { type: 'decision', action: 'allow', reason: 'throttled' });
    assert.deepEqual(third.next, { type: 'admitted', reason: 'throttled' });
    // desk-1's download broke off: it comes back and resumes, not throttled.
    assert.equal((await decisionOf(port, '5.10.3', 'DESK-1')).next.type, 'offer');
    assert.equal(server.rolloutStatus().offeredLastHour, 2);
    await until(() => events.some((e) => e.type === 'rollout-throttled'), 'the throttled event');
    assert.deepEqual(
      events.filter((e) => e.type === 'rollout-throttled'),
      [{ type: 'rollout-throttled', currentVersion: '5.20.12', maxPerHour: 2, until: '2026-03-03T10:00:00.000Z' }],
    );
    // desk-2 was offered at 09:10: at 10:10 it leaves the window.
    t.set('2026-03-03T10:09:59Z');
    assert.deepEqual((await decisionOf(port, '5.10.3', 'desk-3')).next, { type: 'admitted', reason: 'throttled' });
    t.set('2026-03-03T10:10:00Z');
    assert.equal((await decisionOf(port, '5.10.3', 'desk-3')).next.type, 'offer');
  } finally {
    await server.close();
  }
});

test('PauseAfterFailures over sockets: two failed results pause (event), an old desk is let in as paused, Resume offers again', async () => {
  const fx = makeFixture(rolloutConfig('PauseAfterFailures = 2'));
  const { server, port, events } = await start(fx, { now: () => AT });
  try {
    for (const name of ['desk-1', 'desk-2']) await failedUpgrade(port, '5.10.3', name);
    await until(() => events.some((e) => e.type === 'rollout-paused'), 'the pause');
    assert.deepEqual(events.filter((e) => e.type === 'rollout-paused'), [{ type: 'rollout-paused', currentVersion: '5.20.12', failures: 2, pauseAfterFailures: 2, since: AT.toISOString() }], 'at the server\'s clock');
    const paused = await decisionOf(port, '5.10.3', 'desk-3');
    assert.deepEqual([paused.decision, paused.next], [{ type: 'decision', action: 'allow', reason: 'paused' }, { type: 'admitted', reason: 'paused' }]);
    assert.deepEqual((await decisionOf(port, '5.20.12', 'desk-4')).decision, { type: 'decision', action: 'allow', reason: 'current' });
    assert.equal(server.rolloutStatus().paused, true);
    assert.equal(server.resumeRollout(), true);
    assert.deepEqual(events.filter((e) => e.type === 'rollout-resumed'), [{ type: 'rollout-resumed', currentVersion: '5.20.12', reason: 'command' }]);
    assert.equal((await decisionOf(port, '5.10.3', 'desk-3')).next.type, 'offer');
  } finally {
    await server.close();
  }
});

test('a reload with a new CurrentVersion starts a new count: a paused rollout goes on', async () => {
  const fx = makeFixture(rolloutConfig('PauseAfterFailures = 1'));
  const { server, port, events } = await start(fx, { now: () => AT });
  try {
    await failedUpgrade(port, '4.0', 'desk-1');
    await until(() => server.rolloutStatus().paused, 'the pause');
    fx.write(rolloutConfig('PauseAfterFailures = 1', { current: '5.20.13' }));
    assert.equal(await server.reload(), true);
    assert.deepEqual(events.filter((e) => e.type === 'rollout-resumed'), [{ type: 'rollout-resumed', currentVersion: '5.20.13', reason: 'new-version' }]);
    assert.deepEqual(server.rolloutStatus(), { currentVersion: '5.20.13', offeredLastHour: 0, maxPerHour: null, failures: 0, pauseAfterFailures: 1, paused: false });
    assert.equal((await decisionOf(port, '4.0', 'desk-1')).next.type, 'offer');
  } finally {
    await server.close();
  }
});

test('ForcedHours over sockets: outside the window a forced upgrade is offered as optional with modeReason, and may be declined; inside it is forced', async () => {
  const fx = makeFixture(rolloutConfig('ForcedHours = Mon-Fri 18:00-07:00\nTimeZone = Europe/Berlin'));
  const t = clock('2026-03-03T09:00:00Z'); // Tuesday 10:00 in Berlin (UTC+1 in March before the change)
  const { server, port } = await start(fx, { now: t.now });
  try {
    const day = await loginNamed(port, '5.10.3', 'desk-1');
    assert.deepEqual(day.decision, { type: 'decision', action: 'patch', reason: 'patchable', mode: 'optional', modeReason: 'outside-forced-hours' });
    assert.equal(day.next.type === 'offer' && day.next.mode, 'optional');
    day.c.send({ type: 'decline' });
    assert.deepEqual(await day.c.message(), { type: 'admitted', reason: 'declined' });
    day.c.close();
    t.set('2026-03-03T19:00:00Z'); // Tuesday 20:00 in Berlin
    const night = await decisionOf(port, '5.10.3', 'desk-1');
    assert.deepEqual(night.decision, { type: 'decision', action: 'patch', reason: 'patchable', mode: 'forced' });
    t.set('2026-03-07T05:59:00Z'); // Saturday 06:59: still Friday night's window
    assert.deepEqual((await decisionOf(port, '5.10.3', 'desk-1')).decision, { type: 'decision', action: 'patch', reason: 'patchable', mode: 'forced' });
    t.set('2026-03-07T19:00:00Z'); // Saturday 20:00: no window starts on Saturday
    assert.deepEqual((await decisionOf(port, '5.10.3', 'desk-1')).decision, { type: 'decision', action: 'patch', reason: 'patchable', mode: 'optional', modeReason: 'outside-forced-hours' });
  } finally {
    await server.close();
  }
});

test('Pilot, Percent and Exclude over sockets: buckets computed here from the spec; Exclude wins over Pilot', async () => {
  const names = Array.from({ length: 40 }, (_, i) => `pc-${i}`);
  const inShare = names.filter((n) => bucket('5.20.12', n) < 30);
  const outShare = names.filter((n) => bucket('5.20.12', n) >= 30);
  assert.ok(inShare.length >= 2 && outShare.length >= 3, 'the sample has desks on both sides');
  const [pilot] = outShare;
  const fx = makeFixture(rolloutConfig(`Percent = 30\nPilot = ${pilot}, boss-*\nExclude = boss-pc`));
  const { server, port } = await start(fx, { now: () => AT });
  try {
    for (const n of inShare.slice(0, 3)) assert.equal((await decisionOf(port, '5.10.3', n)).next.type, 'offer', `${n} (bucket ${bucket('5.20.12', n)}) is in the 30 %`);
    for (const n of outShare.slice(2, 5)) assert.deepEqual((await decisionOf(port, '5.10.3', n)).decision, { type: 'decision', action: 'allow', reason: 'held-back' }, n);
    assert.equal((await decisionOf(port, '5.10.3', pilot.toUpperCase())).next.type, 'offer', 'a pilot whatever its bucket');
    assert.equal((await decisionOf(port, '5.10.3', 'boss-laptop')).next.type, 'offer');
    assert.deepEqual((await decisionOf(port, '5.10.3', 'Boss-PC')).decision, { type: 'decision', action: 'allow', reason: 'excluded' });
    assert.deepEqual((await decisionOf(port, '5.20.12', 'Boss-PC')).decision, { type: 'decision', action: 'allow', reason: 'current' }, 'steps 3-4 come first');
    // Without a name the address is the name: 127.0.0.1's bucket decides.
    const anonymous = await decisionOf(port, '5.10.3');
    assert.equal(anonymous.decision.type === 'decision' && anonymous.decision.reason, bucket('5.20.12', '127.0.0.1') < 30 ? 'patchable' : 'held-back');
  } finally {
    await server.close();
  }
});

test('the workbench: while offers are counted in the last hour, snapshots keep coming with no event (offers leave the hour silently); rolloutConfigured says whether the config has [Rollout]', async () => {
  const fx = makeFixture(rolloutConfig('MaxPerHour = 10'));
  const sent: WorkbenchMessage[] = [];
  const bench = new Workbench((m) => sent.push(m), { pid: process.pid, snapshotMs: 10, offersRefreshMs: 30 });
  const snapshots = () => sent.filter((m): m is Extract<WorkbenchMessage, { type: 'snapshot' }> => m.type === 'snapshot');
  try {
    await bench.handle({ type: 'start-server', id: 1, options: { config: fx.ini, port: 0, host: '127.0.0.1' } });
    const r = sent.find((m) => m.type === 'reply' && m.id === 1);
    assert.ok(r?.type === 'reply' && r.result.type === 'server-started');
    const port = r.result.server.port;
    const offered = await loginNamed(port, '4.0', 'desk-1');
    assert.equal(offered.next.type, 'offer');
    offered.c.close();
    await until(() => snapshots().some((s) => s.state.servers[0]?.rollout.offeredLastHour === 1), 'a snapshot with the offer');
    const view = snapshots().at(-1)!.state.servers[0];
    assert.equal(view.rolloutConfigured, true);
    // Nothing happens on the server now; the snapshots still come.
    const quiet = snapshots().length;
    await until(() => snapshots().length >= quiet + 3, 'snapshots while offers are counted');
    assert.ok(snapshots().slice(quiet).every((s) => s.state.activity.length === 0), 'no event behind them');
  } finally {
    await bench.close();
  }
  const plain = makeFixture();
  const bench2 = new Workbench((m) => sent.push(m), { pid: process.pid, snapshotMs: 10 });
  try {
    sent.length = 0;
    await bench2.handle({ type: 'start-server', id: 2, options: { config: plain.ini, port: 0, host: '127.0.0.1' } });
    await until(() => snapshots().length > 0, 'a snapshot');
    assert.equal(snapshots().at(-1)!.state.servers[0].rolloutConfigured, false);
  } finally {
    await bench2.close();
  }
});
