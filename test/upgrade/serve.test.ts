// `nsupgrade serve`: in process through the CLI's main() for exit codes and
// messages, and as a real process for Ctrl+C / SIGTERM and the JSON-lines log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../server/src/cli';
import { configText, login, makeFixture } from './helpers';

// Fixture folders (some hold 24 MB files) are removed when the file's tests end.

const ROOT = resolve(__dirname, '../..');

function sink(): { stream: Writable; text: () => string } {
  const parts: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      parts.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => parts.join('') };
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = sink();
  const err = sink();
  const code = await main(argv, { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}

async function waitUntil(pred: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('bad arguments exit 2 with the reason', async () => {
  const fx = makeFixture();
  for (const [argv, reason] of [
    [['serve'], /missing required argument 'FILE'/],
    [['serve', fx.ini, fx.ini], /too many arguments for 'serve'/],
    [['serve', fx.ini, '--port', 'http'], /--port must be a whole number from 0 to 65535, not "http"/],
    [['serve', fx.ini, '--port', '70000'], /--port must be a whole number/],
    [['serve', fx.ini, '--port'], /option '--port <N>' argument missing/],
    [['serve', fx.ini, '--verbose'], /unknown option '--verbose'/],
    [['serve', fx.ini, '--host', ''], /--host must be an IP address .*: to serve every interface, say 0\.0\.0\.0 or ::/],
  ] as const) {
    const r = await run([...argv]);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.stderr, reason, argv.join(' '));
  }
});

test('a missing file exits 2; a config with errors exits 1 and lists them like check', async () => {
  const fx = makeFixture(configText({ patchable: '>=5.0' }));
  const missing = await run(['serve', join(fx.dir, 'nope.ini'), '--port', '0']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read .*nope\.ini: no such file/);

  const broken = await run(['serve', fx.ini, '--port', '0']);
  assert.equal(broken.code, 1);
  // The same text `nsupgrade check` prints for that error, then the verdict.
  const check = await run(['check', fx.ini]);
  const errorLine = check.stdout.split('\n').find((l) => l.includes('patchable-reaches-current'));
  assert.ok(errorLine, check.stdout);
  assert.ok(broken.stderr.includes(errorLine), broken.stderr);
  assert.match(broken.stderr, /has 1 error: the upgrade server does not run a config with errors/);
  assert.equal(broken.stdout, '');
});

test('a port in use exits 2 with a clear message', async () => {
  const fx = makeFixture();
  const blocker: Server = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  try {
    const port = (blocker.address() as { port: number }).port;
    const r = await run(['serve', fx.ini, '--port', String(port)]);
    assert.equal(r.code, 2);
    // The message names the port: the one in the file, or --port, is not always the one the admin thinks of.
    assert.equal(r.stderr, `nsupgrade: the port ${port} on 127.0.0.1 is already in use: stop the other server or pass --port N\n`);
  } finally {
    await new Promise<void>((r) => blocker.close(() => r()));
  }
});

test('serving: prints its address, logs readable lines and JSON lines, stops when asked', async () => {
  const fx = makeFixture();
  const out = sink();
  const err = sink();
  const log = join(fx.dir, 'events.jsonl');
  let stop!: () => void;
  const stopSignal = new Promise<void>((r) => (stop = r));
  const exit = main(['serve', fx.ini, '--port', '0', '--host', '127.0.0.1', '--log-json', log], { stdout: out.stream, stderr: err.stream, stopSignal });
  await waitUntil(() => /listening on 127\.0\.0\.1:\d+/.test(out.text()), 'the address line');
  const port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(out.text())![1]);
  const { c, decision } = await login(port, '5.10.3');
  assert.equal(decision.type === 'decision' && decision.action, 'patch');
  c.close();
  await waitUntil(() => out.text().includes('closed'), 'the close line');
  stop();
  assert.equal(await exit, 0);
  assert.equal(err.text(), '');
  const lines = out.text().split('\n');
  assert.ok(lines.some((l) => /^\S+Z #1 login: version 5\.10\.3$/.test(l)), out.text());
  assert.ok(lines.some((l) => /^\S+Z #1 5\.10\.3: patch \(patchable\), forced, NP_Update\.exe$/.test(l)), out.text());
  // runServe may return before the log stream has flushed its last line
  // (reported; regressions.test.ts in the proposed patch covers it).
  await waitUntil(() => readFileSync(log, 'utf8').includes('"stopped"'), 'the last log line');
  const events = readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; time: string });
  assert.deepEqual(
    events.map((e) => e.type),
    ['connection', 'login', 'decision', 'inventory', 'closed', 'stopped'],
  );
  assert.ok(!lines.some((l) => l.includes('inventory:')), 'the readable log leaves out the inventory lines (the decision line says it)');
  for (const e of events) assert.ok(!Number.isNaN(Date.parse(e.time)));
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`a real nsupgrade serve process stops cleanly on ${signal}`, async () => {
    const fx = makeFixture();
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/src/cli.ts'), 'serve', fx.ini, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await waitUntil(() => /listening on 127\.0\.0\.1:\d+/.test(stdout), `the address line (stderr: ${stderr})`, 20_000);
      const port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(stdout)![1]);
      const { c, decision } = await login(port, '5.20.12');
      assert.deepEqual(decision, { type: 'decision', action: 'allow', reason: 'current' });
      child.kill(signal);
      // The client is told, then the process ends by itself with 0.
      const seen = [];
      for (let i = 0; i < 5; i++) {
        const item = await c.next();
        if (item.kind === 'closed') break;
        if (item.kind === 'message') seen.push(item.message.type);
      }
      assert.deepEqual(seen, ['admitted', 'error']);
      assert.equal(await exited, 0);
      assert.match(stdout, /stopped\n$/);
      assert.equal(stderr, '');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
}
