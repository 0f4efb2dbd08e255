// One client connection: an explicit state machine (docs/protocol.md).
//
//   AWAIT_HELLO --hello--> AWAIT_LOGIN --login--> decide()
//     allow  --------------------------------------------> ADMITTED
//     reject --------------------------------------------> CLOSED (error bad-version)
//     patch/full --> AWAIT_CHOICE --accept--> QUEUED --> SENDING --> AWAIT_RESULT --result--> CLOSED
//                                 --decline (optional)--> ADMITTED
//                                 --decline (forced)----> CLOSED (error upgrade-required)
//
// Any message that is not expected in the current state closes the
// connection with `unexpected-message`; a bad frame with its own code, judged
// by its header (type and the state's size limit) before its payload is read.
// Messages are read one at a time in order: those before a bad frame are
// answered, then the error.
//
// Time: a state that waits for a message gives the client IdleTimeout for the
// whole message (a byte now and then does not count); a transfer must move at
// least MIN_PROGRESS bytes into the client per IdleTimeout; a client waiting
// in line is never timed out.
import type { Socket } from 'node:net';
import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { clipText, decide, formatVersion, NO_ROLLOUT_COUNTS, type UpgradeConfig, type ConfigFiles, type Version } from '../config';
import { encodeControl, encodeControls, encodeDataHeader, FrameDecoder, ProtocolError, validateClientMessage, type CodecLimits, type HeaderCheck } from './codec';
import { FRAME_DATA, PROTOCOL_VERSION, type ClientMessage, type ErrorCode, type OfferMessage, type ServerMessage } from './messages';
import type { ServerEvent } from './events';
import type { Snapshot } from './snapshots';
import type { TransferQueue, Waiter } from './transferQueue';
import { clientName, type RolloutState } from './rolloutState';
import { chunkBytesFor, Throttle, type TokenBucket } from './rateLimit';

export type SessionState =
  | 'await-hello'
  | 'await-login'
  | 'await-choice'
  | 'queued'
  | 'sending'
  | 'await-result'
  | 'admitted'
  | 'closed';

/** An offer made: the message sent and the snapshot it pins until the transfer ends or the client declines. */
interface Offer {
  message: OfferMessage;
  snapshot: Snapshot;
}

/**
 * The state with what only that state holds: the offer (and so a pinned
 * snapshot) exists from await-choice through sending, the queue's waiter only
 * while queued, the transfer slot and its stream only while sending. Leaving
 * a state releases what it held (see `cleanup`), so no flag can disagree with
 * the state.
 */
type Phase =
  | BarePhase
  | { name: 'await-choice'; offer: Offer }
  | { name: 'queued'; offer: Offer; offset: number; waiter: Waiter }
  | { name: 'sending'; offer: Offer; offset: number; stream: Readable | null };

/** A state that holds nothing. */
interface BarePhase {
  readonly name: 'await-hello' | 'await-login' | 'await-result' | 'admitted' | 'closed';
}

/** One shared object for each state that holds nothing, rather than a new one
 *  at every change of state (a login passes through three of them). */
const BARE = {
  awaitHello: { name: 'await-hello' },
  awaitLogin: { name: 'await-login' },
  awaitResult: { name: 'await-result' },
  admitted: { name: 'admitted' },
  closed: { name: 'closed' },
} as const satisfies Record<string, BarePhase>;

/** What a session needs from its server: the config in force at login, and the shared queue. */
export interface SessionContext {
  config(): ActiveConfig;
  queue: TransferQueue;
  limits: CodecLimits;
  /** Bytes per DATA frame. */
  chunkBytes: number;
  idleTimeoutMs(): number;
  serverName: string;
  emit(event: ServerEvent): void;
  acquire(s: Snapshot): void;
  release(s: Snapshot): void;
  /** The server's clock: the real one, or a test's. */
  now(): Date;
  /** The rollout counts and the inventory (spec section 8), shared by all sessions. */
  rollout: RolloutState;
  /** [Server] MaxRate's bucket, shared by all transfers; null: no cap. */
  rate(): TokenBucket | null;
  /** The connection is gone (its socket closed): the server lets the session go. */
  gone(session: Session): void;
}

/** A config with its files copied and hashed: swapped whole on reload. */
export interface ActiveConfig {
  config: UpgradeConfig;
  files: ConfigFiles;
  snapshots: { patch?: Snapshot; full?: Snapshot };
}

const PROGRESS_EVERY_BYTES = 4 * 1024 * 1024;

/** What a transfer must move into the client per IdleTimeout (one chunk at the
 *  default size: 2 KiB/s at the default 30 s), or the rest of the file. */
export const MIN_PROGRESS_BYTES = 64 * 1024;

/** The states in which the server waits for the client's next message. */
const AWAITING: ReadonlySet<SessionState> = new Set(['await-hello', 'await-login', 'await-choice', 'await-result', 'admitted']);
/** The states in which a client message has fields (all but `bye`). */
const MESSAGE_STATES: ReadonlySet<SessionState> = new Set(['await-hello', 'await-login', 'await-choice', 'await-result']);

export class Session {
  private phase: Phase = BARE.awaitHello;
  version = '';
  /** The client's name for the rollout: the one it sent, else its address. */
  name = '';
  /** The CurrentVersion this client was offered: a failed result counts against it. */
  private offeredFor: Version | null = null;
  private readonly decoder: FrameDecoder;
  /** File bytes handed to the socket in the running transfer (from offset 0). */
  private sent = 0;
  /** The deadline of the current state (see the top of this file). */
  private timer: NodeJS.Timeout | null = null;
  private timerMs = 0;
  /** Replies held back while an incoming chunk is handled (see onData); null: send at once. */
  private replies: ServerMessage[] | null = null;
  /** Bytes the client had taken at the last progress check of a transfer. */
  private takenAtCheck = 0;
  /** The transfer waits for the client to read (the socket's buffers are full). */
  private waitingForDrain = false;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly ctx: SessionContext,
  ) {
    this.decoder = new FrameDecoder(ctx.limits);
    socket.setNoDelay(true);
    this.arm();
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.cleanup('connection error'));
    // The server's own bookkeeping rides on this one listener (a second
    // 'close' listener per connection showed in a login's cost).
    socket.on('close', () => {
      this.cleanup('client closed the connection');
      ctx.gone(this);
    });
  }

  get state(): SessionState {
    return this.phase.name;
  }

  /** Cuts the connection at once (the end of a shutdown, for clients that did not leave). */
  destroy(): void {
    this.socket.destroy();
  }

  /** Ends the session from the server side (shutdown). */
  shutdown(): void {
    this.fail('shutting-down', 'the upgrade server is stopping');
  }

  private send(message: ServerMessage): void {
    if (this.replies) this.replies.push(message);
    else if (!this.socket.destroyed) this.socket.write(encodeControl(message));
  }

  /** Writes the replies held back while a chunk is handled, in one buffer and one write. */
  private flush(): void {
    const replies = this.replies;
    if (!replies || replies.length === 0) return;
    this.replies = [];
    if (!this.socket.destroyed) this.socket.write(encodeControls(replies));
  }

  private fail(code: ErrorCode, message: string): void {
    if (this.state === 'closed') return;
    this.ctx.emit({ type: 'error', id: this.id, code, message });
    this.send({ type: 'error', code, message });
    this.close(code);
  }

  private close(reason: string): void {
    if (this.state === 'closed') return;
    // What was said before (the error, say) goes out before the end.
    this.flush();
    this.cleanup(reason);
    this.socket.end();
    // A peer that never reads must not hold the socket open.
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  private cleanup(reason: string): void {
    const left = this.phase;
    if (left.name === 'closed') return;
    this.phase = BARE.closed;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // What the state held goes with it.
    if (left.name === 'queued') this.ctx.queue.leave(left.waiter);
    if (left.name === 'sending') {
      left.stream?.destroy();
      this.ctx.queue.release();
    }
    if (left.name === 'await-choice' || left.name === 'queued' || left.name === 'sending') this.ctx.release(left.offer.snapshot);
    this.ctx.emit({ type: 'closed', id: this.id, reason });
  }

  /** Starts the current state's deadline afresh: IdleTimeout from now. */
  private arm(): void {
    const ms = this.ctx.idleTimeoutMs();
    if (this.timer && this.timerMs === ms) this.timer.refresh();
    else {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.onDeadline(), ms);
      this.timerMs = ms;
    }
  }

  /** Bytes the kernel took from this socket (sent or in its buffers): written less still queued in Node. */
  private taken(): number {
    return this.socket.bytesWritten - this.socket.writableLength;
  }

  private onDeadline(): void {
    const seconds = Math.round(this.timerMs / 1000);
    // Silence is expected while the client waits in line; the transfer arms anew.
    if (this.state === 'queued' || this.state === 'closed') return;
    if (this.phase.name === 'sending') {
      const taken = this.taken();
      const moved = taken - this.takenAtCheck;
      this.takenAtCheck = taken;
      // A transfer must move: at least one chunk (or the rest of the file) per
      // IdleTimeout while the server waits on the client. A client that never
      // reads, or reads a byte now and then, must not hold a slot forever; a
      // wait on MaxRate's bucket or on the disk is the server's own.
      const needed = Math.min(MIN_PROGRESS_BYTES, this.phase.offer.snapshot.size - this.sent + this.socket.writableLength);
      if (!this.waitingForDrain || moved >= needed) {
        this.arm();
        return;
      }
      this.fail('idle-timeout', moved === 0 ? `the client read nothing for ${seconds} s` : `the client took only ${moved} bytes in ${seconds} s (at least ${needed} are needed)`);
      return;
    }
    this.fail('idle-timeout', `no message for ${seconds} s`);
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closed') return;
    // Every reply to one incoming chunk (welcome + decision + admitted, say)
    // leaves in one buffer and one write: cheaper than corking the socket
    // around a write per message, which Node then sends as a writev.
    this.replies = [];
    try {
      this.onChunk(chunk);
    } finally {
      this.flush();
      this.replies = null;
    }
  }

  /** Refuses a frame by its header: clients never send DATA, and a message is no bigger than the state allows. */
  private readonly checkHeader: HeaderCheck = (type, bodyBytes) => {
    if (type === FRAME_DATA) throw new ProtocolError('unexpected-message', 'clients do not send DATA frames');
    const limit = MESSAGE_STATES.has(this.state) ? this.ctx.limits.maxClientMessageBytes : this.ctx.limits.maxClientByeBytes;
    if (bodyBytes > limit) throw new ProtocolError('frame-too-large', `a message of ${bodyBytes} bytes is over the limit of ${limit} ${MESSAGE_STATES.has(this.state) ? 'for a client message' : `while ${this.state.replace('-', ' ')} (only "bye" is expected)`}`);
  };

  private onChunk(chunk: Buffer): void {
    try {
      this.decoder.feed(chunk);
    } catch (err) {
      this.failWith(err);
      return;
    }
    // One frame at a time: each message is answered (and may change the
    // state, and so the limits) before the next header is judged.
    for (;;) {
      if (this.isClosed()) return;
      let frame;
      try {
        frame = this.decoder.next(this.checkHeader);
      } catch (err) {
        this.failWith(err);
        return;
      }
      if (!frame) return;
      if (frame.kind === 'data') {
        // checkHeader refuses DATA; kept so that the types say so too.
        this.fail('unexpected-message', 'clients do not send DATA frames');
        return;
      }
      let message: ClientMessage;
      try {
        message = validateClientMessage(frame.json);
      } catch (err) {
        this.failWith(err);
        return;
      }
      this.onMessage(message);
      // A whole message: the next one has IdleTimeout from now.
      if (AWAITING.has(this.state)) this.arm();
    }
  }

  private failWith(err: unknown): void {
    const e = err instanceof ProtocolError ? err : new ProtocolError('bad-frame', 'unreadable frame');
    this.fail(e.code, e.message);
  }

  /** Read through a method: the state changes under callbacks TypeScript cannot see. */
  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private unexpected(message: ClientMessage): void {
    this.fail('unexpected-message', `"${message.type}" is not expected while ${this.state.replace('-', ' ')}`);
  }

  private onMessage(message: ClientMessage): void {
    if (message.type === 'bye') {
      this.close('client said bye');
      return;
    }
    switch (this.state) {
      case 'await-hello':
        if (message.type !== 'hello') return this.unexpected(message);
        if (message.protocol < PROTOCOL_VERSION) {
          return this.fail('unsupported-protocol', `protocol ${message.protocol} is not supported; this server speaks ${PROTOCOL_VERSION}`);
        }
        this.send({ type: 'welcome', protocol: PROTOCOL_VERSION, server: this.ctx.serverName });
        this.phase = BARE.awaitLogin;
        return;
      case 'await-login':
        if (message.type !== 'login') return this.unexpected(message);
        return this.login(message.version, message.name);
      case 'await-choice':
        if (message.type === 'accept') return this.accept(message.offset ?? 0);
        if (message.type === 'decline') return this.decline();
        return this.unexpected(message);
      case 'await-result':
        if (message.type !== 'result') return this.unexpected(message);
        this.ctx.emit({ type: 'result', id: this.id, previousVersion: message.previousVersion, newVersion: message.newVersion, outcome: message.outcome, errorCode: message.errorCode, downloadMs: message.downloadMs });
        this.ctx.rollout.outcome(this.name, message.outcome, this.ctx.now(), this.offeredFor);
        // Forced or not, an upgraded client comes back with a new login.
        this.close('upgrade reported');
        return;
      default:
        return this.unexpected(message);
    }
  }

  private login(version: string, sentName?: string): void {
    this.version = version;
    this.ctx.emit({ type: 'login', id: this.id, version, name: sentName });
    const active = this.ctx.config();
    const at = this.ctx.now();
    const address = clientName(undefined, this.socket.remoteAddress);
    this.name = clientName(sentName, address);
    // Without [Rollout] the counts change nothing: skip the lookup.
    const rollout = active.config.rollout ? this.ctx.rollout.counts(this.name, at) : NO_ROLLOUT_COUNTS;
    const d = decide(active.config, active.files, { version, name: this.name, at, rollout });
    if (d.action === 'reject' || d.action === 'allow') {
      this.ctx.emit({ type: 'decision', id: this.id, version, action: d.action, reason: d.reason });
      this.ctx.rollout.decided(this.name, address, version, d, at);
      this.send({ type: 'decision', action: d.action, reason: d.reason });
      if (d.action === 'reject') {
        this.fail('bad-version', `"${clipText(version, 64)}" is not a version`);
        return;
      }
      this.admit(d.reason);
      return;
    }
    const snapshot = d.action === 'patch' ? active.snapshots.patch : active.snapshots.full;
    if (!snapshot) {
      this.fail('file-unavailable', 'the upgrade file is not available');
      return;
    }
    // Counted as an offer (MaxPerHour) from here: it is sent.
    // modeReason only when there is one: the decision of a config without [Rollout] is as in v1.
    const why = d.modeReason ? { modeReason: d.modeReason } : {};
    this.ctx.emit({ type: 'decision', id: this.id, version, action: d.action, reason: d.reason, mode: d.mode, ...why, file: snapshot.name });
    this.ctx.rollout.decided(this.name, address, version, d, at);
    this.send({ type: 'decision', action: d.action, reason: d.reason, mode: d.mode, ...why });
    const current = active.config.upgrade.currentVersion;
    this.offeredFor = current;
    const message: OfferMessage = {
      type: 'offer',
      kind: d.action,
      mode: d.mode,
      file: snapshot.name,
      size: snapshot.size,
      sha256: snapshot.sha256,
      version: current ? formatVersion(current) : '',
      setup: { conflictingApps: active.config.setup.conflictingApps, restartIfBusy: active.config.setup.restartIfBusy },
    };
    // The offer pins its snapshot: a reload may replace the file for new
    // logins, never under this client.
    this.ctx.acquire(snapshot);
    this.phase = { name: 'await-choice', offer: { message, snapshot } };
    this.send(message);
  }

  private admit(reason: string): void {
    this.send({ type: 'admitted', reason });
    this.ctx.emit({ type: 'admitted', id: this.id, reason });
    this.phase = BARE.admitted;
  }

  private decline(): void {
    if (this.phase.name !== 'await-choice') return;
    const { offer } = this.phase;
    this.ctx.emit({ type: 'declined', id: this.id });
    this.ctx.rollout.outcome(this.name, 'declined', this.ctx.now());
    if (offer.message.mode === 'forced') {
      this.fail('upgrade-required', 'this upgrade is forced: the client is let in only after upgrading');
      return;
    }
    this.ctx.release(offer.snapshot);
    this.admit('declined');
  }

  private accept(offset: number): void {
    if (this.phase.name !== 'await-choice') return;
    const { offer } = this.phase;
    if (offset > offer.snapshot.size) {
      this.fail('bad-offset', `offset ${offset} is past the end of the file (${offer.snapshot.size} bytes)`);
      return;
    }
    const waiter: Waiter = {
      start: () => this.transfer(),
      position: (place) => {
        this.send({ type: 'queued', position: place });
        this.ctx.emit({ type: 'queued', id: this.id, position: place });
      },
    };
    this.phase = { name: 'queued', offer, offset, waiter };
    this.ctx.queue.enter(waiter);
  }

  /** The queue gave this client a slot. */
  private transfer(): void {
    const queued = this.phase;
    if (queued.name !== 'queued') {
      // Left the line as the slot came: the slot goes back.
      this.ctx.queue.release();
      return;
    }
    const { offer, offset } = queued;
    const { snapshot } = offer;
    const sending: Phase & { name: 'sending' } = { name: 'sending', offer, offset, stream: null };
    this.phase = sending;
    const started = Date.now();
    this.send({ type: 'start', offset, size: snapshot.size, sha256: snapshot.sha256 });
    this.ctx.emit({ type: 'transfer-start', id: this.id, file: snapshot.name, offset, size: snapshot.size });
    this.sent = offset;
    let nextProgress = this.sent + PROGRESS_EVERY_BYTES;
    this.takenAtCheck = this.taken();
    this.waitingForDrain = false;
    this.arm();
    const finish = (): void => {
      if (this.phase !== sending) return;
      this.phase = BARE.awaitResult;
      this.ctx.queue.release();
      this.send({ type: 'done', bytes: this.sent - offset });
      this.ctx.emit({ type: 'transfer-done', id: this.id, file: snapshot.name, bytes: this.sent - offset, ms: Date.now() - started });
      this.ctx.rollout.outcome(this.name, 'downloaded', this.ctx.now());
      this.ctx.release(snapshot);
      this.arm();
    };
    if (offset === snapshot.size) {
      finish();
      return;
    }
    const bucket = this.ctx.rate();
    const file = createReadStream(snapshot.path, { start: offset, highWaterMark: bucket ? chunkBytesFor(bucket.bytesPerSecond, this.ctx.chunkBytes) : this.ctx.chunkBytes });
    let stream: Readable = file;
    if (bucket) {
      // Through MaxRate's bucket; destroying either end (a cut, a shutdown) ends both.
      stream = pipeline(file, new Throttle(() => this.ctx.rate()), () => undefined);
    }
    sending.stream = stream;
    stream.on('data', (data: string | Buffer) => {
      const chunk = data as Buffer;
      // Header and payload go out in one write (cork) without copying the payload.
      this.socket.cork();
      this.socket.write(encodeDataHeader(chunk.length));
      const ok = this.socket.write(chunk);
      this.socket.uncork();
      this.sent += chunk.length;
      if (this.sent >= nextProgress) {
        nextProgress = this.sent + PROGRESS_EVERY_BYTES;
        this.ctx.emit({ type: 'transfer-progress', id: this.id, file: snapshot.name, sent: this.sent, size: snapshot.size });
      }
      if (!ok) {
        stream.pause();
        this.waitingForDrain = true;
        this.socket.once('drain', () => {
          this.waitingForDrain = false;
          stream.resume();
        });
      }
    });
    stream.on('end', finish);
    stream.on('error', () => this.fail('file-unavailable', 'the upgrade file could not be read'));
  }
}
