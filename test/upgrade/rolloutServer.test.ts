// The rollout state through the real server, over sockets on 127.0.0.1 with an
// injected clock: client names (sent, or the address), the inventory of each
// login and its outcome, failed results counted, the views' requests (resume,
// inventory) through the workbench.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workbench } from '../../server/src/workbench/workbench';
import type { WorkbenchMessage, WorkbenchResult } from '../../server/src/views/messages';
import type { ServerEvent } from '../../server/src/upgrade/events';
import { download, hello, login, makeFixture, start } from './helpers';

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
