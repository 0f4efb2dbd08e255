// The child-process entry the VS Code extension forks (server/src/upgrade/
// serverProcess.ts, bundled as dist/upgradeServer.js), run for real with an
// IPC channel: what it reports, and that it ends on stop or when its parent
// goes away. The source is run through tsx so the test never reads a stale
// bundle.
import { test } from 'node:test';

import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { ChildMessage, ParentMessage } from '../../server/src/upgrade/ipc';
import { configText, login, makeFixture } from './helpers';

// Fixture folders (some hold 24 MB files) are removed when the file's tests end.

const ENTRY = resolve(__dirname, '../../server/src/upgrade/serverProcess.ts');

interface Child {
  proc: ChildProcess;
  messages: ChildMessage[];
  exited: Promise<number | null>;
  stderr: () => string;
  next(pred: (m: ChildMessage) => boolean, what: string): Promise<ChildMessage>;
}

function start(args: string[]): Child {
  const proc = fork(ENTRY, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const messages: ChildMessage[] = [];
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  proc.on('message', (m: ChildMessage) => messages.push(m));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return {
    proc,
    messages,
    exited,
    stderr: () => stderr,
    async next(pred, what) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const hit = messages.find(pred);
        if (hit) return hit;
        if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`no ${what} from the child (stderr: ${stderr})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

function send(c: Child, m: ParentMessage): void {
  c.proc.send(m);
}

test('listening, events for each client, and a clean exit on stop', async () => {
  const fx = makeFixture();
  const c = start([fx.ini, '--port', '0', '--host', '127.0.0.1']);
  try {
    const listening = await c.next((m) => m.type === 'listening', 'listening');
    assert.ok(listening.type === 'listening' && listening.host === '127.0.0.1' && listening.port > 0);
    const { c: client, decision } = await login(listening.port, '4.0');
    assert.equal(decision.type === 'decision' && decision.action, 'full');
    client.send({ type: 'decline' });
    const err = await client.message();
    assert.equal(err.type === 'error' && err.code, 'upgrade-required');
    await c.next((m) => m.type === 'event' && m.event.type === 'closed', 'closed event');
    const types = c.messages.flatMap((m) => (m.type === 'event' ? [m.event.type] : []));
    assert.deepEqual(types, ['connection', 'login', 'decision', 'declined', 'error', 'closed']);
    send(c, { type: 'stop' });
    assert.equal(await c.exited, 0);
    assert.equal(c.stderr(), '');
  } finally {
    c.proc.kill('SIGKILL');
  }
});

test('a config with errors: config-error with line, column and code, exit 1', async () => {
  const fx = makeFixture(configText({ patchable: '>=5.0' }));
  const c = start([fx.ini, '--port', '0']);
  try {
    const m = await c.next((x) => x.type === 'config-error', 'config-error');
    assert.ok(m.type === 'config-error');
    assert.equal(m.problems.length, 1);
    const p = m.problems[0];
    assert.equal(p.code, 'patchable-reaches-current');
    assert.equal(p.severity, 'error');
    // Where the Patchable value starts in the text written (1-based).
    const lines = configText({ patchable: '>=5.0' }).split('\n');
    const line = lines.findIndex((l) => l.startsWith('Patchable = ')) + 1;
    assert.deepEqual([p.line, p.column], [line, 'Patchable = '.length + 1]);
    assert.equal(await c.exited, 1);
  } finally {
    c.proc.kill('SIGKILL');
  }
});

test('a port in use: fatal with code EADDRINUSE, exit 2; bad arguments: fatal usage', async () => {
  const fx = makeFixture();
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  try {
    const port = (blocker.address() as { port: number }).port;
    const busy = start([fx.ini, '--port', String(port), '--host', '127.0.0.1']);
    const fatal = await busy.next((m) => m.type === 'fatal', 'fatal');
    assert.equal(fatal.type === 'fatal' && fatal.code, 'EADDRINUSE');
    assert.equal(await busy.exited, 2);

    const bad = start([fx.ini, '--port', 'x']);
    const usage = await bad.next((m) => m.type === 'fatal', 'fatal');
    assert.ok(usage.type === 'fatal' && usage.code === 'usage' && /--port must be a number/.test(usage.message));
    assert.equal(await bad.exited, 2);

    const missing = start([join(fx.dir, 'missing.ini'), '--port', '0']);
    const gone = await missing.next((m) => m.type === 'fatal', 'fatal');
    assert.equal(gone.type === 'fatal' && gone.code, 'ENOENT');
    assert.equal(await missing.exited, 2);
  } finally {
    await new Promise<void>((r) => blocker.close(() => r()));
  }
});

test('the child ends when its parent disconnects, telling its clients', async () => {
  const fx = makeFixture();
  const c = start([fx.ini, '--port', '0', '--host', '127.0.0.1']);
  try {
    const listening = await c.next((m) => m.type === 'listening', 'listening');
    assert.ok(listening.type === 'listening');
    const { c: client } = await login(listening.port, '5.20.12');
    assert.equal((await client.message()).type, 'admitted');
    c.proc.disconnect();
    const err = await client.message();
    assert.deepEqual(err, { type: 'error', code: 'shutting-down', message: 'the upgrade server is stopping' });
    assert.equal(await c.exited, 0, c.stderr());
  } finally {
    c.proc.kill('SIGKILL');
  }
});

test('a reload request applies a changed config and reports it', async () => {
  const fx = makeFixture();
  const c = start([fx.ini, '--port', '0', '--host', '127.0.0.1']);
  try {
    const listening = await c.next((m) => m.type === 'listening', 'listening');
    assert.ok(listening.type === 'listening');
    fx.write(configText({ patchable: '5.10.*, 5.12' }));
    send(c, { type: 'reload' });
    await c.next((m) => m.type === 'event' && m.event.type === 'config-reloaded', 'config-reloaded');
    const { c: client, decision } = await login(listening.port, '5.12');
    assert.equal(decision.type === 'decision' && decision.action, 'patch');
    client.close();
    send(c, { type: 'stop' });
    assert.equal(await c.exited, 0);
  } finally {
    c.proc.kill('SIGKILL');
  }
});
