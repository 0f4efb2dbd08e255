// The upgrade server over real sockets on 127.0.0.1: every decision path,
// forced and optional, resume, the queue, limits, reload and file changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decide, loginOf, loadConfig } from '../../server/src/config';
import { encodeControl, encodeDataHeader } from '../../server/src/upgrade/codec';
import { ConfigErrorsError } from '../../server/src/upgrade/server';
import { ProtocolClient } from '../../server/src/upgrade/client';
import type { ServerEvent } from '../../server/src/upgrade/events';
import { bytes, configText, download, hello, login, makeFixture, sha256, start } from './helpers';

async function waitFor(events: ServerEvent[], pred: (e: ServerEvent) => boolean, ms = 5000): Promise<ServerEvent> {
  const deadline = Date.now() + ms;
  for (;;) {
    const hit = events.find(pred);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error('event did not come');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('each decision path, agreeing with decide()', async () => {
  const fx = makeFixture();
  const { server, port } = await start(fx);
  try {
    const loaded = await loadConfig(fx.ini);
    for (const version of ['5.20.12', '6.0', '5.10.3', '5.11.50', '4.0', '5.19', 'not-a-version']) {
      const expected = decide(loaded.config, loaded.files, loginOf(version));
      const { c, decision, offer } = await login(port, version);
      assert.equal(decision.type, 'decision');
      if (decision.type !== 'decision') continue;
      assert.equal(decision.action, expected.action, version);
      assert.equal(decision.reason, expected.reason, version);
      if (expected.action === 'patch' || expected.action === 'full') {
        assert.equal(offer?.sha256, expected.sha256);
        assert.equal(offer?.size, expected.size);
        assert.equal(offer?.file, expected.file);
        assert.equal(offer?.version, '5.20.12');
        assert.deepEqual(offer?.setup, { conflictingApps: ['Chat', 'DSS'], restartIfBusy: true });
      } else if (expected.action === 'allow') {
        assert.deepEqual(await c.message(), { type: 'admitted', reason: expected.reason });
      } else {
        const err = await c.message();
        assert.equal(err.type === 'error' && err.code, 'bad-version');
        assert.equal((await c.next()).kind, 'closed');
      }
      c.close();
    }
  } finally {
    await server.close();
  }
});

test('Enabled = No lets an old client in', async () => {
  const fx = makeFixture(configText({ enabled: 'No' }));
  const { server, port } = await start(fx);
  try {
    const { c, decision } = await login(port, '1.0');
    assert.deepEqual(decision, { type: 'decision', action: 'allow', reason: 'upgrades-disabled' });
    c.close();
  } finally {
    await server.close();
  }
});

test('forced: the download is the file, byte for byte; decline closes with upgrade-required', async () => {
  const fx = makeFixture();
  const { server, port, events } = await start(fx);
  try {
    const a = await login(port, '4.0');
    assert.equal(a.offer?.mode, 'forced');
    a.c.send({ type: 'accept' });
    const { data, messages } = await download(a.c);
    assert.deepEqual(messages.map((m) => m.type), ['start', 'done']);
    assert.ok(data.equals(fx.full));
    a.c.send({ type: 'result', previousVersion: '4.0', newVersion: '5.20.12', outcome: 'upgraded', downloadMs: 5 });
    assert.equal((await a.c.next()).kind, 'closed', 'after the result the client logs in again');
    await waitFor(events, (e) => e.type === 'result' && e.outcome === 'upgraded');

    const b = await login(port, '5.10.3');
    b.c.send({ type: 'decline' });
    const err = await b.c.message();
    assert.equal(err.type === 'error' && err.code, 'upgrade-required');
  } finally {
    await server.close();
  }
});

test('optional: accept downloads the patch; decline is let in', async () => {
  const fx = makeFixture(configText({ mode: 'Optional' }));
  const { server, port } = await start(fx);
  try {
    const a = await login(port, '5.10.3');
    assert.equal(a.offer?.kind, 'patch');
    assert.equal(a.offer?.mode, 'optional');
    a.c.send({ type: 'accept' });
    const { data } = await download(a.c);
    assert.equal(sha256(data), a.offer?.sha256);
    a.c.close();
    const b = await login(port, '4.0');
    b.c.send({ type: 'decline' });
    assert.deepEqual(await b.c.message(), { type: 'admitted', reason: 'declined' });
    b.c.close();
  } finally {
    await server.close();
  }
});

test('resume after a cut at a random offset gives the whole file, SHA-256 checked', async () => {
  const fx = makeFixture(configText(), 1_500_000);
  const { server, port } = await start(fx, { chunkBytes: 16 * 1024 });
  try {
    const cut = 1 + Math.floor(Math.random() * (fx.full.length - 2));
    const first = await login(port, '4.0');
    first.c.send({ type: 'accept' });
    const part = await download(first.c, cut);
    first.c.socket.destroy();
    const have = part.data.subarray(0, cut);
    const again = await login(port, '4.0');
    assert.equal(again.offer?.sha256, first.offer?.sha256, 'the same file is offered again');
    again.c.send({ type: 'accept', offset: have.length });
    const rest = await download(again.c);
    assert.deepEqual(rest.messages[0], { type: 'start', offset: have.length, size: fx.full.length, sha256: sha256(fx.full) });
    const whole = Buffer.concat([have, rest.data]);
    assert.equal(sha256(whole), again.offer?.sha256);
    again.c.close();
    const bad = await login(port, '4.0');
    bad.c.send({ type: 'accept', offset: fx.full.length + 1 });
    const err = await bad.c.message();
    assert.equal(err.type === 'error' && err.code, 'bad-offset');
  } finally {
    await server.close();
  }
});

test('MaxTransfers: later clients wait in FIFO order and are told their place', async () => {
  const fx = makeFixture(configText({ maxTransfers: 1 }), 400_000);
  const { server, port, events } = await start(fx, { chunkBytes: 8 * 1024 });
  try {
    const first = await login(port, '4.0');
    first.c.send({ type: 'accept' });
    assert.equal((await first.c.message()).type, 'start');
    const waiting = [];
    for (let i = 0; i < 3; i++) {
      const w = await login(port, '4.0');
      w.c.send({ type: 'accept' });
      assert.deepEqual(await w.c.message(), { type: 'queued', position: i + 1 });
      waiting.push(w);
    }
    // The first finishes; the others move up in order and start one by one.
    await download(first.c);
    first.c.close();
    const starts: number[] = [];
    for (const [i, w] of waiting.entries()) {
      for (;;) {
        const m = await w.c.message();
        if (m.type === 'queued') continue;
        assert.equal(m.type, 'start');
        break;
      }
      starts.push(i);
      const { data } = await download(w.c);
      assert.equal(data.length, fx.full.length);
      w.c.close();
    }
    assert.deepEqual(starts, [0, 1, 2]);
    const order = events.filter((e) => e.type === 'transfer-start').map((e) => (e as { id: number }).id);
    assert.deepEqual(order, [...order].sort((a, b) => a - b), 'slots are granted in arrival order');
  } finally {
    await server.close();
  }
});

test('a silent client is closed after IdleTimeout', async () => {
  const fx = makeFixture();
  const { server, port } = await start(fx, { idleTimeoutMs: 300 });
  try {
    const c = await hello(port);
    const err = await c.message(5000);
    assert.equal(err.type === 'error' && err.code, 'idle-timeout');
    assert.equal((await c.next()).kind, 'closed');
  } finally {
    await server.close();
  }
});

test('malformed, oversized and out-of-order frames close that connection only', async () => {
  const fx = makeFixture();
  const { server, port } = await start(fx);
  try {
    const bystander = await hello(port);
    const cases: { name: string; send: Buffer; code: string }[] = [
      { name: 'not JSON', send: Buffer.concat([encodeDataHeader(3).fill(1, 4, 5), Buffer.from('{{{')]), code: 'bad-message' },
      { name: 'unknown frame type', send: Buffer.from([0, 0, 0, 2, 9, 0]), code: 'bad-frame' },
      { name: 'oversized', send: Buffer.from([0x7f, 0, 0, 0, 1]), code: 'frame-too-large' },
      { name: 'data from a client', send: Buffer.concat([encodeDataHeader(2), Buffer.from('hi')]), code: 'unexpected-message' },
      { name: 'login before hello', send: encodeControl({ type: 'login', version: '5.0' }), code: 'unexpected-message' },
      { name: 'unknown message', send: Buffer.concat([Buffer.from([0, 0, 0, 17, 1]), Buffer.from('{"type":"nope!"}')]), code: 'bad-message' },
    ];
    for (const k of cases) {
      const c = await ProtocolClient.connect('127.0.0.1', port);
      c.sendRaw(k.send);
      const m = await c.message();
      assert.equal(m.type === 'error' && m.code, k.code, k.name);
      assert.equal((await c.next()).kind, 'closed', k.name);
    }
    // The bystander still works.
    bystander.send({ type: 'login', version: '5.20.12' });
    assert.equal((await bystander.message()).type, 'decision');
    bystander.close();
  } finally {
    await server.close();
  }
});

test('a config with errors does not start; the message lists them', async () => {
  const fx = makeFixture(configText({ patchable: '>=5.0' }));
  await assert.rejects(start(fx), (err: unknown) => {
    assert.ok(err instanceof ConfigErrorsError);
    assert.deepEqual(err.problems.map((p) => p.code), ['patchable-reaches-current']);
    return true;
  });
});

test('live reload: a valid config replaces the old for new logins; an invalid one is refused', async () => {
  const fx = makeFixture();
  const { server, port, events } = await start(fx, { watch: true });
  try {
    assert.equal((await login(port, '5.12')).decision.type === 'decision' && 'full', 'full');
    fx.write(configText({ patchable: '5.10.*, 5.12' }));
    await waitFor(events, (e) => e.type === 'config-reloaded');
    const after = await login(port, '5.12');
    assert.equal(after.decision.type === 'decision' && after.decision.action, 'patch');
    after.c.close();
    fx.write(configText({ patchable: '>=1.0' }));
    const rejected = await waitFor(events, (e) => e.type === 'config-rejected');
    assert.ok(rejected.type === 'config-rejected' && rejected.problems.some((p) => p.code === 'patchable-reaches-current'));
    const still = await login(port, '5.12');
    assert.equal(still.decision.type === 'decision' && still.decision.action, 'patch', 'the previous config stays in force');
    still.c.close();
  } finally {
    await server.close();
  }
});

test('a file changed on disk during a transfer: the transfer finishes from its snapshot; new logins get the new file', async () => {
  const fx = makeFixture(configText(), 2_000_000);
  const { server, port, events } = await start(fx, { watch: true, chunkBytes: 16 * 1024 });
  try {
    const a = await login(port, '4.0');
    a.c.send({ type: 'accept' });
    const firstPart = await download(a.c, 100_000);
    const changed = bytes(2_000_000, 99);
    writeFileSync(join(fx.dir, 'files', 'Netphone_520.exe'), changed);
    const rest = await download(a.c);
    const whole = Buffer.concat([firstPart.data, rest.data]);
    assert.equal(sha256(whole), a.offer?.sha256, 'never a mix of old and new bytes');
    assert.ok(whole.equals(fx.full));
    a.c.close();
    await waitFor(events, (e) => e.type === 'config-reloaded');
    const b = await login(port, '4.0');
    assert.equal(b.offer?.sha256, sha256(changed));
    b.c.send({ type: 'accept' });
    assert.ok((await download(b.c)).data.equals(changed));
    b.c.close();
    assert.ok(readFileSync(fx.ini, 'utf8').includes('Netphone_520.exe'));
  } finally {
    await server.close();
  }
});

test('more connections than the cap: the extra one is told server-busy', async () => {
  const fx = makeFixture();
  const { server, port } = await start(fx, { maxConnections: 2 });
  try {
    const a = await hello(port);
    const b = await hello(port);
    const c = await ProtocolClient.connect('127.0.0.1', port);
    const m = await c.message();
    assert.equal(m.type === 'error' && m.code, 'server-busy');
    a.close();
    b.close();
  } finally {
    await server.close();
  }
});
