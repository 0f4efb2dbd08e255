// Faults found in review of the upgrade server, each with the fix it needed:
// a client that stops reading mid-transfer, a renamed setup file offered
// under its old name, a --log-json path that cannot be written (and, in
// test/e2e/workbenchHost.test.ts, a child that must end when its parent goes away).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../server/src/cli';
import type { ServerEvent } from '../../server/src/upgrade/events';
import { configText, download, login, makeFixture, start, stalledSlot, STALL_BYTES } from './helpers';


test('a client that stops reading mid-transfer is closed after IdleTimeout and frees its slot', async () => {
  const fx = makeFixture(configText({ maxTransfers: 1 }), STALL_BYTES);
  const { server, port, events } = await start(fx, { idleTimeoutMs: 500 });
  try {
    const { stalled, next } = await stalledSlot(port);
    assert.equal((await next.c.message()).type, 'start');
    const { data } = await download(next.c);
    assert.ok(data.equals(fx.patch));
    const err = events.find((e): e is Extract<ServerEvent, { type: 'error' }> => e.type === 'error');
    assert.deepEqual(err, { type: 'error', id: 1, code: 'idle-timeout', message: 'the client read nothing for 1 s' });
    next.c.close();
    stalled.c.close();
  } finally {
    await server.close();
  }
});

test('a setup file renamed with the same bytes is offered under its new name', async () => {
  const fx = makeFixture();
  const { server, port } = await start(fx);
  try {
    copyFileSync(join(fx.dir, 'files', 'Netphone_520.exe'), join(fx.dir, 'files', 'Netphone_521.exe'));
    fx.write(configText().replace('FullSetup = Netphone_520.exe', 'FullSetup = Netphone_521.exe'));
    assert.equal(await server.reload(), true);
    const a = await login(port, '4.0');
    assert.equal(a.offer?.file, 'Netphone_521.exe');
    a.c.send({ type: 'accept' });
    assert.ok((await download(a.c)).data.equals(fx.full));
    a.c.close();
  } finally {
    await server.close();
  }
});

test('serve returns only once the JSON-lines log holds its last line', async () => {
  const fx = makeFixture();
  const log = join(fx.dir, 'events.jsonl');
  const quiet = (): Writable => new Writable({ write: (_c, _e, done) => done() });
  // Stop as soon as it listens: 'stopped' is then the last event written.
  const code = await main(['serve', fx.ini, '--port', '0', '--log-json', log], { stdout: quiet(), stderr: quiet(), stopSignal: Promise.resolve() });
  assert.equal(code, 0);
  const last = readFileSync(log, 'utf8').trim().split('\n').at(-1) ?? '';
  assert.equal((JSON.parse(last) as { type: string }).type, 'stopped');
});

test('serve --log-json to a path that cannot be written exits 2 with the reason, not a crash', async () => {
  const fx = makeFixture();
  let stderr = '';
  const err = new Writable({
    write(chunk: Buffer, _enc, done) {
      stderr += chunk.toString();
      done();
    },
  });
  const out = new Writable({ write: (_c, _e, done) => done() });
  const log = join(fx.dir, 'no-such-folder', 'events.jsonl');
  const code = await main(['serve', fx.ini, '--port', '0', '--log-json', log], { stdout: out, stderr: err, stopSignal: Promise.resolve() });
  assert.equal(code, 2);
  assert.equal(stderr, `nsupgrade: cannot write the log ${log}: ENOENT\n`);
});
