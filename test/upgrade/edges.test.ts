// Edges of the upgrade server's state machine over real sockets on 127.0.0.1,
// beyond the main paths of server.test.ts: the queue when someone in line
// leaves, shutdown with clients in every state, protocol negotiation,
// pipelined messages, a resume at the very end, IdleTimeout from the config,
// and that no error a client can provoke carries a server path.
import { test } from 'node:test';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { encodeControl } from '../../server/src/upgrade/codec';
import { ProtocolClient } from '../../server/src/upgrade/client';
import { ConfigErrorsError } from '../../server/src/upgrade/server';
import { configText, download, hello, login, makeFixture, sha256, start, untilClosed, waitFor } from './helpers';

// Fixture folders (some hold 24 MB files) are removed when the file's tests end.

test('someone in line leaves: those behind move up and are told their new place', async () => {
  // Bigger than loopback socket buffers: a client that does not read holds its slot.
  const fx = makeFixture(configText({ maxTransfers: 1 }), 24_000_000);
  const { server, port } = await start(fx);
  try {
    const running = await login(port, '4.0');
    running.c.send({ type: 'accept' });
    assert.equal((await running.c.message()).type, 'start');
    running.c.socket.pause();
    const line = [];
    for (let i = 0; i < 3; i++) {
      const w = await login(port, '4.0');
      w.c.send({ type: 'accept' });
      assert.deepEqual(await w.c.message(), { type: 'queued', position: i + 1 });
      line.push(w);
    }
    line[0].c.send({ type: 'bye' });
    assert.equal((await line[0].c.next()).kind, 'closed');
    assert.deepEqual(await line[1].c.message(), { type: 'queued', position: 1 });
    assert.deepEqual(await line[2].c.message(), { type: 'queued', position: 2 });
    assert.deepEqual(server.transfers, { running: 1, queued: 2 });
    // The running one finishes: the new first starts, the last is told it is next.
    running.c.socket.resume();
    assert.ok((await download(running.c)).data.equals(fx.full));
    running.c.close();
    assert.equal((await line[1].c.message()).type, 'start');
    // Places are re-sent at most once a second: the last may be told it is
    // next, or (when the slot frees sooner) simply start.
    for (;;) {
      const m = await line[2].c.message();
      if (m.type === 'start') break;
      assert.deepEqual(m, { type: 'queued', position: 1 });
    }
    for (const w of line.slice(1)) w.c.close();
  } finally {
    await server.close();
  }
});

test('close() tells a client in every state shutting-down, and each connection ends', async () => {
  const fx = makeFixture(configText({ maxTransfers: 1 }), 24_000_000);
  const { server, port, events } = await start(fx);
  const fresh = await ProtocolClient.connect('127.0.0.1', port);
  const greeted = await hello(port);
  const choosing = await login(port, '4.0');
  const sending = await login(port, '4.0');
  sending.c.send({ type: 'accept' });
  assert.equal((await sending.c.message()).type, 'start');
  sending.c.socket.pause();
  const queued = await login(port, '4.0');
  queued.c.send({ type: 'accept' });
  assert.deepEqual(await queued.c.message(), { type: 'queued', position: 1 });
  const admitted = await login(port, '5.20.12');
  assert.equal((await admitted.c.message()).type, 'admitted');
  // Fresh connections are counted once their 'connection' event is out.
  await waitFor(events, (e) => e.type === 'connection' && e.id === 6);

  const closing = server.close();
  sending.c.socket.resume();
  await closing;
  for (const [name, c] of Object.entries({ fresh, greeted, choosing: choosing.c, queued: queued.c, admitted: admitted.c })) {
    const seen = await untilClosed(c);
    assert.deepEqual(seen.at(-1), { type: 'error', code: 'shutting-down', message: 'the upgrade server is stopping' }, name);
  }
  // The downloading client never gets a `done` for a file cut short (it may
  // read the shutting-down error, or only the close if it read too slowly).
  const rest = await download(sending.c);
  assert.ok(!rest.messages.some((m) => m.type === 'done'));
  assert.ok(rest.data.length < fx.full.length);
  for (const m of rest.messages) if (m.type === 'error') assert.equal(m.code, 'shutting-down');
  assert.equal(events.at(-1)?.type, 'stopped');
  await assert.rejects(ProtocolClient.connect('127.0.0.1', port, 2000));
});

test('stopping the server never starts a queued transfer', async () => {
  const fx = makeFixture(configText({ maxTransfers: 1 }), 24_000_000);
  const { server, port } = await start(fx);
  const running = await login(port, '4.0');
  running.c.send({ type: 'accept' });
  assert.equal((await running.c.message()).type, 'start');
  running.c.socket.pause();
  const queued = await login(port, '5.10.3');
  queued.c.send({ type: 'accept' });
  assert.deepEqual(await queued.c.message(), { type: 'queued', position: 1 });
  await server.close();
  const rest = await download(queued.c);
  assert.deepEqual(rest.messages, [{ type: 'error', code: 'shutting-down', message: 'the upgrade server is stopping' }]);
  assert.equal(rest.data.length, 0);
  running.c.close();
});

test('protocol negotiation: an older protocol is refused, a newer one is answered with version 1', async () => {
  const fx = makeFixture();
  const { server, port } = await start(fx);
  try {
    const old = await ProtocolClient.connect('127.0.0.1', port);
    old.send({ type: 'hello', protocol: 0, client: 'ancient' });
    const err = await old.message();
    assert.equal(err.type === 'error' && err.code, 'unsupported-protocol');
    assert.equal((await old.next()).kind, 'closed');

    const newer = await ProtocolClient.connect('127.0.0.1', port);
    newer.send({ type: 'hello', protocol: 7, client: 'future' });
    assert.deepEqual(await newer.message(), { type: 'welcome', protocol: 1, server: 'nsupgrade/0.1' });
    newer.close();
  } finally {
    await server.close();
  }
});

test('a client may pipeline hello, login and decline in one write', async () => {
  const fx = makeFixture(configText({ mode: 'Optional' }));
  const { server, port } = await start(fx);
  try {
    const c = await ProtocolClient.connect('127.0.0.1', port);
    c.sendRaw(
      Buffer.concat([
        encodeControl({ type: 'hello', protocol: 1, client: 'fast' }),
        encodeControl({ type: 'login', version: '5.10.3', name: 'desk-1' }),
        encodeControl({ type: 'decline' }),
      ]),
    );
    const types = [];
    for (let i = 0; i < 4; i++) types.push((await c.message()).type);
    assert.deepEqual(types, ['welcome', 'decision', 'offer', 'admitted']);
    c.close();
  } finally {
    await server.close();
  }
});

test('messages out of order for their state: accept twice, result before done, decline when let in', async () => {
  const fx = makeFixture(configText({ maxTransfers: 1 }), 24_000_000);
  const { server, port } = await start(fx);
  try {
    const sending = await login(port, '4.0');
    sending.c.send({ type: 'accept' });
    assert.equal((await sending.c.message()).type, 'start');
    sending.c.socket.pause();

    const twice = await login(port, '4.0');
    twice.c.send({ type: 'accept' });
    assert.deepEqual(await twice.c.message(), { type: 'queued', position: 1 });
    twice.c.send({ type: 'accept' });
    const e1 = await twice.c.message();
    assert.equal(e1.type === 'error' && e1.code, 'unexpected-message');

    const early = await login(port, '5.10.3');
    early.c.send({ type: 'result', previousVersion: '5.10.3', outcome: 'upgraded' });
    const e2 = await early.c.message();
    assert.equal(e2.type === 'error' && e2.code, 'unexpected-message');

    const admitted = await login(port, '5.20.12');
    assert.equal((await admitted.c.message()).type, 'admitted');
    admitted.c.send({ type: 'decline' });
    const e3 = await admitted.c.message();
    assert.equal(e3.type === 'error' && e3.code, 'unexpected-message');

    // The running transfer was never disturbed.
    sending.c.socket.resume();
    const { data } = await download(sending.c);
    assert.ok(data.equals(fx.full));
    sending.c.close();
  } finally {
    await server.close();
  }
});

test('resume at the very end: start at size, no data, done with 0 bytes', async () => {
  const fx = makeFixture();
  const { server, port } = await start(fx);
  try {
    const a = await login(port, '5.10.3');
    a.c.send({ type: 'accept', offset: fx.patch.length });
    const { data, messages } = await download(a.c);
    assert.equal(data.length, 0);
    assert.deepEqual(messages, [
      { type: 'start', offset: fx.patch.length, size: fx.patch.length, sha256: sha256(fx.patch) },
      { type: 'done', bytes: 0 },
    ]);
    a.c.close();
  } finally {
    await server.close();
  }
});

test('IdleTimeout = 1 from the config closes a client silent after the offer', async () => {
  const fx = makeFixture(configText({ idle: 1 }));
  const { server, port, events } = await start(fx);
  try {
    const a = await login(port, '4.0');
    const err = await a.c.message(5000);
    assert.deepEqual(err, { type: 'error', code: 'idle-timeout', message: 'no message for 1 s' });
    assert.equal((await a.c.next()).kind, 'closed');
    await waitFor(events, (e) => e.type === 'closed' && e.reason === 'idle-timeout');
    // The pinned snapshot was released: no transfer or offer is left behind.
    assert.deepEqual(server.transfers, { running: 0, queued: 0 });
  } finally {
    await server.close();
  }
});

test('no error a client can provoke names a server path', async () => {
  const fx = makeFixture(configText({ maxTransfers: 1 }));
  const { server, port, events } = await start(fx, { idleTimeoutMs: 400, maxConnections: 20 });
  try {
    const provocations: ((c: ProtocolClient) => void)[] = [
      (c) => c.sendRaw(Buffer.from([0, 0, 0, 4, 1, 0x7b, 0x7b, 0x7b])),
      (c) => c.sendRaw(Buffer.from([0xff, 0xff, 0xff, 0xff, 2])),
      (c) => c.sendRaw(Buffer.from([0, 0, 0, 2, 3, 0])),
      (c) => c.send({ type: 'accept' }),
      (c) => {
        c.send({ type: 'hello', protocol: 1, client: 'x' });
        c.send({ type: 'login', version: '../../etc/passwd' });
      },
      (c) => {
        c.send({ type: 'hello', protocol: 1, client: 'x' });
        c.send({ type: 'login', version: '4.0' });
        c.send({ type: 'accept', offset: 10 ** 12 });
      },
      (c) => {
        c.send({ type: 'hello', protocol: 1, client: 'x' });
        c.send({ type: 'login', version: '5.10.3' });
        c.send({ type: 'decline' });
      },
      () => undefined, // silence: idle-timeout
    ];
    const codes: string[] = [];
    for (const provoke of provocations) {
      const c = await ProtocolClient.connect('127.0.0.1', port);
      provoke(c);
      const seen = await untilClosed(c);
      const err = seen.at(-1);
      assert.equal(err?.type, 'error');
      if (err?.type !== 'error') continue;
      codes.push(err.code);
      for (const m of seen) {
        const text = JSON.stringify(m);
        assert.ok(!text.includes(fx.dir) && !text.includes(tmpdir()), `${err.code} leaks a path: ${text}`);
      }
    }
    assert.deepEqual(codes, ['bad-message', 'frame-too-large', 'bad-frame', 'unexpected-message', 'bad-version', 'bad-offset', 'upgrade-required', 'idle-timeout']);
    assert.ok(events.some((e) => e.type === 'error' && e.code === 'bad-version'));
  } finally {
    await server.close();
  }
});

test('a setup file outside FileRoot (by .. or by a link) is never served: the server does not start', async () => {
  const fx = makeFixture();
  writeFileSync(join(fx.dir, 'outside.exe'), 'secret');
  symlinkSync(join(fx.dir, 'outside.exe'), join(fx.dir, 'files', 'linked.exe'));
  for (const path of ['../outside.exe', 'linked.exe']) {
    fx.write(configText().replace('FullSetup = Netphone_520.exe', `FullSetup = ${path}`));
    await assert.rejects(start(fx), (err: unknown) => {
      assert.ok(err instanceof ConfigErrorsError, path);
      assert.ok(err.problems.some((p) => p.code === 'path-outside-root'), `${path}: ${JSON.stringify(err.problems)}`);
      return true;
    });
  }
});
