// What a simulated desk does when the server misbehaves: cuts the connection
// it did not plan, swaps the file between two connections, sends too many or
// too few bytes, resumes at the wrong offset, or goes silent. Only a scripted
// peer (fakePeer.ts) can do these; the real server is tested elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulateFleet, type ClientReport } from '../../server/src/simulator';
import type { ClientMessage } from '../../server/src/upgrade/messages';
import { bytes, sha256 } from '../upgrade/helpers';
import { fakePeer, letIn, sendOffer, type FakePeer, type PeerConnection, type Script } from './fakePeer';

const SETUP = { conflictingApps: ['Chat'], restartIfBusy: true };

function offerOf(file: Buffer, name = 'Netphone_900.exe'): { kind: 'full'; mode: 'forced'; file: string; size: number; sha256: string; version: string; setup: typeof SETUP } {
  return { kind: 'full', mode: 'forced', file: name, size: file.length, sha256: sha256(file), version: '9.0', setup: SETUP };
}

/** Sends `file` from `from` to `to` in 10,000-byte DATA frames. */
function sendRange(conn: PeerConnection, file: Buffer, from: number, to: number): void {
  for (let at = from; at < to; at += 10_000) conn.data(file.subarray(at, Math.min(to, at + 10_000)));
}

/**
 * The script of a server that offers a file and sends it from the offset
 * asked, except where the test says otherwise: on connection `n` it may offer
 * another file, cut the connection after some bytes (not the desk's plan),
 * or start somewhere else than asked.
 */
function serveFile(plan: { file: (n: number) => Buffer; name?: (n: number) => string; cutAt?: (n: number) => number | undefined; startAt?: (n: number, asked: number) => number }): Script {
  return (m, conn) => {
    if (letIn(m, conn, '9.0')) return;
    const file = plan.file(conn.n);
    if (m.type === 'login') sendOffer(conn, offerOf(file, plan.name?.(conn.n)));
    if (m.type === 'accept') {
      const asked = m.offset ?? 0;
      const offset = plan.startAt ? plan.startAt(conn.n, asked) : asked;
      conn.send({ type: 'start', offset, size: file.length, sha256: sha256(file) });
      const cut = plan.cutAt?.(conn.n);
      if (cut !== undefined) {
        sendRange(conn, file, offset, cut);
        conn.socket.end();
        return;
      }
      sendRange(conn, file, offset, file.length);
      conn.send({ type: 'done', bytes: file.length - offset });
    }
  };
}

function accepts(peer: FakePeer): { n: number; offset: number | undefined }[] {
  return peer.received.filter((r) => r.message.type === 'accept').map((r) => ({ n: r.n, offset: (r.message as { offset?: number }).offset }));
}

/** The result messages the peer got; the desk sends its result and hangs up
 *  without waiting, so the peer may read it a moment after the run ends. */
async function results(peer: FakePeer): Promise<ClientMessage[]> {
  const got = (): ClientMessage[] => peer.received.filter((r) => r.message.type === 'result').map((r) => r.message);
  for (let i = 0; i < 100 && got().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  return got();
}

async function oneDesk(peer: FakePeer, timeoutMs?: number): Promise<ClientReport> {
  const r = await simulateFleet({ target: { host: '127.0.0.1', port: peer.port }, clients: '1.0', timeoutMs });
  assert.equal(r.clients.length, 1);
  return r.clients[0];
}

const installed = (c: ClientReport): boolean => c.story.some((s) => s.startsWith('Setup installed'));

test('a connection the server cuts mid-download is resumed at the bytes held, and the whole file verified', async () => {
  const file = bytes(100_000, 21);
  const peer = await fakePeer(serveFile({ file: () => file, cutAt: (n) => (n === 1 ? 30_000 : undefined) }));
  try {
    const c = await oneDesk(peer);
    assert.equal(c.outcome, 'upgraded', c.story.join('\n'));
    assert.equal(c.resumes, 1);
    assert.equal(c.bytes, file.length, 'nothing was downloaded twice');
    assert.deepEqual(accepts(peer), [
      { n: 1, offset: 0 },
      { n: 2, offset: 30_000 },
    ]);
    assert.deepEqual((await results(peer)).map((r) => r.type === 'result' && [r.outcome, r.newVersion]), [['upgraded', '9.0']]);
    assert.equal(c.finalVersion, '9.0');
  } finally {
    await peer.close();
  }
});

test('after a resume the hash covers both parts: a tampered second part is caught', async () => {
  const file = bytes(100_000, 22);
  const tampered = Buffer.from(file);
  tampered[80_000] ^= 1;
  // The offer names the real file; the second connection sends the tampered bytes.
  const peer = await fakePeer((m, conn) => serveFile({ file: (n) => (n === 1 || m.type === 'login' ? file : tampered), cutAt: (n) => (n === 1 ? 50_000 : undefined) })(m, conn));
  try {
    const c = await oneDesk(peer);
    assert.equal(c.outcome, 'hash-mismatch');
    assert.equal(c.resumes, 1);
    assert.ok(!installed(c), 'a file whose hash failed is never installed');
    assert.equal(c.finalVersion, '1.0');
    assert.ok(!peer.received.some((r) => r.message.type === 'login' && r.message.version === '9.0'), 'the desk did not act as upgraded');
    assert.deepEqual((await results(peer)).map((r) => r.type === 'result' && [r.outcome, r.errorCode, r.newVersion]), [['failed', 'hash-mismatch', undefined]]);
  } finally {
    await peer.close();
  }
});

test('a file swapped between two connections is downloaded again from the start, never spliced', async () => {
  const first = bytes(60_000, 23);
  const second = bytes(70_000, 24);
  const peer = await fakePeer(serveFile({ file: (n) => (n === 1 ? first : second), name: (n) => (n === 1 ? 'a.exe' : 'b.exe'), cutAt: (n) => (n === 1 ? 20_000 : undefined) }));
  try {
    const c = await oneDesk(peer);
    assert.equal(c.outcome, 'upgraded', c.story.join('\n'));
    // Connection 2 saw the new offer and was left; connection 3 took b.exe from byte 0.
    assert.deepEqual(accepts(peer), [
      { n: 1, offset: 0 },
      { n: 3, offset: 0 },
    ]);
    assert.ok(c.story.some((s) => /different file/.test(s)), c.story.join('\n'));
    assert.equal(c.file, 'b.exe');
  } finally {
    await peer.close();
  }
});

test('more bytes than the offer announced: the desk stops reading and installs nothing', async () => {
  const file = bytes(20_000, 25);
  const peer = await fakePeer((m, conn) => {
    if (letIn(m, conn, '9.0')) return;
    if (m.type === 'login') sendOffer(conn, offerOf(file));
    if (m.type === 'accept') {
      conn.send({ type: 'start', offset: 0, size: file.length, sha256: sha256(file) });
      sendRange(conn, Buffer.concat([file, bytes(15_000, 26)]), 0, file.length + 15_000);
      conn.send({ type: 'done', bytes: file.length + 15_000 });
    }
  });
  try {
    const c = await oneDesk(peer);
    assert.equal(c.outcome, 'size-mismatch');
    assert.ok(c.bytes <= file.length, `held ${c.bytes} bytes, at most ${file.length} were announced`);
    assert.ok(!installed(c));
    assert.equal(c.finalVersion, '1.0');
  } finally {
    await peer.close();
  }
});

test('fewer bytes than announced before done: a failed upgrade, reported, not installed', async () => {
  const file = bytes(20_000, 27);
  const peer = await fakePeer((m, conn) => {
    if (letIn(m, conn, '9.0')) return;
    if (m.type === 'login') sendOffer(conn, offerOf(file));
    if (m.type === 'accept') {
      conn.send({ type: 'start', offset: 0, size: file.length, sha256: sha256(file) });
      sendRange(conn, file, 0, 19_000);
      conn.send({ type: 'done', bytes: 19_000 });
    }
  });
  try {
    const c = await oneDesk(peer);
    assert.equal(c.outcome, 'size-mismatch');
    assert.ok(!installed(c));
    assert.deepEqual((await results(peer)).map((r) => r.type === 'result' && [r.outcome, r.errorCode]), [['failed', 'size-mismatch']]);
  } finally {
    await peer.close();
  }
});

test('a server that resumes at another offset than asked is an error, not a spliced file', async () => {
  const file = bytes(60_000, 28);
  // The second connection ignores the offset it was asked for and starts at 0.
  const peer = await fakePeer(serveFile({ file: () => file, cutAt: (n) => (n === 1 ? 30_000 : undefined), startAt: () => 0 }));
  try {
    const c = await oneDesk(peer);
    assert.equal(c.outcome, 'error');
    assert.match(c.error ?? '', /resume at 30000/);
    assert.ok(!installed(c));
  } finally {
    await peer.close();
  }
});

test('a server that goes silent is an error after the timeout, not a hang', async () => {
  const peer = await fakePeer(() => undefined); // welcomes, then never answers the login
  try {
    const c = await oneDesk(peer, 300);
    assert.equal(c.outcome, 'error');
    assert.match(c.error ?? '', /no answer from the server/);
    assert.equal(c.action, 'none');
  } finally {
    await peer.close();
  }
});

test('cancelling a run mid-download stops the desk where it is: no reconnect, no second login', async () => {
  const file = bytes(100_000, 29);
  // The server sends a third of the file, then nothing: the desk waits mid-download.
  const peer = await fakePeer((m, conn) => {
    if (m.type === 'login') sendOffer(conn, offerOf(file));
    if (m.type === 'accept') {
      conn.send({ type: 'start', offset: 0, size: file.length, sha256: sha256(file) });
      sendRange(conn, file, 0, 30_000);
    }
  });
  try {
    const abort = new AbortController();
    const run = simulateFleet({ target: { host: '127.0.0.1', port: peer.port }, clients: '1.0', signal: abort.signal, timeoutMs: 20_000 });
    for (let i = 0; i < 500 && !peer.received.some((r) => r.message.type === 'accept'); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(peer.received.some((r) => r.message.type === 'accept'), 'the desk started downloading');
    abort.abort();
    await assert.rejects(run, /cancelled/);
    // Give a (wrong) reconnect the time to show: the desk's next login would arrive within this.
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(
      peer.received.filter((r) => r.message.type === 'hello' || r.message.type === 'login').map((r) => [r.n, r.message.type]),
      [
        [1, 'hello'],
        [1, 'login'],
      ],
    );
  } finally {
    await peer.close();
  }
});
