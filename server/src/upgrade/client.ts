// The client end of the upgrade protocol: a socket, the frame decoder and a
// queue of what the server sent, read one at a time with a deadline. The
// simulated Net Phone clients and the tests speak through this.
import { connect, type Socket } from 'node:net';
import { encodeControls, FrameDecoder, ProtocolError, validateServerMessage } from './codec';
import type { ClientMessage, ServerMessage } from './messages';

export type Incoming = { kind: 'message'; message: ServerMessage } | { kind: 'data'; bytes: Buffer } | { kind: 'closed'; error?: string };

export class ConnectionClosedError extends Error {}

function messageOf(item: Incoming): ServerMessage {
  if (item.kind === 'message') return item.message;
  if (item.kind === 'closed') throw new ConnectionClosedError(item.error ?? 'the server closed the connection');
  throw new ProtocolError('unexpected-message', 'expected a message, got file data');
}

/** A TCP connection with Nagle off, or an error within `timeoutMs`. */
export function connectSocket(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`could not connect to ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export class ProtocolClient {
  private readonly decoder = new FrameDecoder();
  private readonly inbox: Incoming[] = [];
  private waiting: ((item: Incoming) => void) | null = null;
  private ended = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      let frames;
      try {
        frames = this.decoder.push(chunk);
      } catch (err) {
        this.finish(`the server sent a bad frame: ${(err as Error).message}`);
        socket.destroy();
        return;
      }
      for (const f of frames) {
        if (f.kind === 'data') this.deliver({ kind: 'data', bytes: f.bytes });
        else {
          try {
            this.deliver({ kind: 'message', message: validateServerMessage(f.json) });
          } catch (err) {
            this.finish(`the server sent a bad message: ${(err as ProtocolError).message}`);
            socket.destroy();
            return;
          }
        }
      }
    });
    socket.on('error', (err) => this.finish(err.message));
    socket.on('close', () => this.finish());
  }

  static async connect(host: string, port: number, timeoutMs = 10000): Promise<ProtocolClient> {
    return new ProtocolClient(await connectSocket(host, port, timeoutMs));
  }

  /** Several messages (hello and login, pipelined) leave in one write. */
  send(...messages: ClientMessage[]): void {
    if (!this.socket.destroyed) this.socket.write(encodeControls(messages));
  }

  /** Raw bytes, for tests that send what no client should. */
  sendRaw(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  private deliver(item: Incoming): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w(item);
    } else this.inbox.push(item);
  }

  private finish(error?: string): void {
    if (this.ended) return;
    this.ended = true;
    this.deliver({ kind: 'closed', error });
  }

  /** The next thing from the server (a message, data, or the close), within `timeoutMs`. */
  next(timeoutMs = 10000): Promise<Incoming> {
    const queued = this.inbox.shift();
    if (queued) {
      if (queued.kind === 'closed') this.inbox.unshift(queued);
      return Promise.resolve(queued);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new Error(`no answer from the server within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting = (item) => {
        clearTimeout(timer);
        if (item.kind === 'closed') this.inbox.unshift(item);
        resolve(item);
      };
    });
  }

  /** The next control message; data or a close here is a protocol surprise. */
  message(timeoutMs?: number): Promise<ServerMessage> {
    // One promise for a message already here (a login's replies come in one
    // read), not an async function's and an await's on top of next()'s.
    const head = this.inbox[0];
    if (head?.kind === 'message') {
      this.inbox.shift();
      return Promise.resolve(head.message);
    }
    return this.next(timeoutMs).then(messageOf);
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }

  get closed(): boolean {
    return this.ended;
  }
}
