// A scripted upgrade server on 127.0.0.1 that speaks the real codec. It is a
// fake on purpose: only a server that lies (wrong bytes, too many bytes, a cut
// it chose, a file swapped between two connections) can provoke the client's
// checks, and the real server never does those things.
import { createServer, type Server, type Socket } from 'node:net';
import { encodeControl, encodeDataHeader, FrameDecoder } from '../../server/src/upgrade/codec';
import type { ClientMessage, OfferMessage, ServerMessage } from '../../server/src/upgrade/messages';

export interface PeerConnection {
  /** 1 for the first connection that said hello, 2 for the next, ...
   *  (simulateFleet's probe connection gets no number). */
  n: number;
  socket: Socket;
  send(m: ServerMessage): void;
  data(bytes: Buffer): void;
}

export type Script = (m: ClientMessage, conn: PeerConnection) => void;

export interface FakePeer {
  port: number;
  /** Every message every client sent, with the connection number. */
  received: { n: number; message: ClientMessage }[];
  close(): Promise<void>;
}

export async function fakePeer(script: Script): Promise<FakePeer> {
  const received: FakePeer['received'] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const conn: PeerConnection = {
      n: 0,
      socket,
      send: (m) => {
        if (!socket.destroyed) socket.write(encodeControl(m));
      },
      data: (b) => {
        if (!socket.destroyed) socket.write(Buffer.concat([encodeDataHeader(b.length), b]));
      },
    };
    const decoder = new FrameDecoder();
    let probing = false;
    socket.on('data', (chunk: Buffer) => {
      for (const f of decoder.push(chunk)) {
        if (f.kind !== 'control') continue;
        const m = f.json as ClientMessage;
        // simulateFleet first checks that an upgrade server answers (hello,
        // welcome, bye): that probe is not one of the desks.
        if (m.type === 'hello' && m.client.includes('probe')) {
          conn.send({ type: 'welcome', protocol: 1, server: 'fake' });
          probing = true;
          continue;
        }
        if (probing) continue;
        if (m.type === 'hello' && conn.n === 0) conn.n = ++connections;
        received.push({ n: conn.n, message: m });
        if (m.type === 'hello') conn.send({ type: 'welcome', protocol: 1, server: 'fake' });
        else script(m, conn);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The decision and offer a real server sends for an upgrade. */
export function sendOffer(conn: PeerConnection, offer: Omit<OfferMessage, 'type'>): void {
  conn.send({ type: 'decision', action: offer.kind, reason: offer.kind === 'patch' ? 'patchable' : 'not-patchable', mode: offer.mode });
  conn.send({ type: 'offer', ...offer });
}

/** Lets in a desk that logs in with `version`; returns whether it did. */
export function letIn(m: ClientMessage, conn: PeerConnection, version: string): boolean {
  if (m.type !== 'login' || m.version !== version) return false;
  conn.send({ type: 'decision', action: 'allow', reason: 'current' });
  conn.send({ type: 'admitted', reason: 'current' });
  return true;
}
