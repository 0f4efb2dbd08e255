// Framing of the upgrade protocol (docs/protocol.md): u32 big-endian length of
// what follows, u8 frame type, payload. The decoder is an explicit state
// machine (HEADER -> BODY -> HEADER ...) with named limits; any violation is a
// typed error that closes that one connection.
import {
  FRAME_CONTROL,
  FRAME_DATA,
  type AcceptMessage,
  type ClientMessage,
  type DecisionMessage,
  type ErrorCode,
  type LoginMessage,
  type Mode,
  type Outcome,
  type ResultMessage,
  type ServerMessage,
} from './messages';
import { clipText } from '../config';

export interface CodecLimits {
  /** Largest frame of any type (type byte + payload). */
  maxFrameBytes: number;
  /** Largest CONTROL frame: JSON messages are small. */
  maxControlBytes: number;
  /** Largest CONTROL frame the server reads from a client in a state that
   *  expects a message (hello, login, accept or decline, result): the biggest,
   *  a login with a 64-character version and a 128-character name, is under
   *  1.3 KiB even with every character escaped; the rest is room for fields a
   *  newer client may add. */
  maxClientMessageBytes: number;
  /** ... in a state where only `bye` is expected (queued, sending, let in). */
  maxClientByeBytes: number;
}

export const DEFAULT_LIMITS: CodecLimits = {
  maxFrameBytes: 1024 * 1024,
  maxControlBytes: 64 * 1024,
  maxClientMessageBytes: 4 * 1024,
  maxClientByeBytes: 256,
};

export const HEADER_BYTES = 5;

export type Frame = { kind: 'control'; json: unknown } | { kind: 'data'; bytes: Buffer };

export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** One CONTROL frame: the JSON is written straight into the frame's buffer (no intermediate buffer and copy). */
export function encodeControl(message: ClientMessage | ServerMessage): Buffer {
  const json = JSON.stringify(message);
  const out = Buffer.allocUnsafe(HEADER_BYTES + Buffer.byteLength(json, 'utf8'));
  writeFrame(out, 0, json);
  return out;
}

/** Several CONTROL frames in one buffer, so that a reply of several messages leaves in one write. */
export function encodeControls(messages: readonly (ClientMessage | ServerMessage)[]): Buffer {
  if (messages.length === 1) return encodeControl(messages[0]);
  const texts = messages.map((m) => JSON.stringify(m));
  let size = 0;
  for (const t of texts) size += HEADER_BYTES + Buffer.byteLength(t, 'utf8');
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const t of texts) at = writeFrame(out, at, t);
  return out;
}

/** Writes one CONTROL frame holding `json` at `at` (the room is there); returns where it ends. */
function writeFrame(out: Buffer, at: number, json: string): number {
  const length = out.write(json, at + HEADER_BYTES, 'utf8');
  out.writeUInt32BE(length + 1, at);
  out[at + 4] = FRAME_CONTROL;
  return at + HEADER_BYTES + length;
}

/** The header of a DATA frame; the payload is written after it as it is, without a copy. */
export function encodeDataHeader(length: number): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES);
  out.writeUInt32BE(length + 1, 0);
  out[4] = FRAME_DATA;
  return out;
}

type DecoderState = 'header' | 'body' | 'failed';

/**
 * Judges a frame by its header, before a byte of its payload is buffered: a
 * reader that knows what it may receive now (the server: a small CONTROL
 * message, never DATA) throws a ProtocolError here, so a peer can never make
 * it hold more than that. `bodyBytes` is the payload without the type byte.
 */
export type HeaderCheck = (type: number, bodyBytes: number) => void;

/**
 * Incremental frame reader. Bytes go in with feed() (any split); next() hands
 * out one whole frame at a time, so the reader can answer each message, and
 * change what it accepts, before the next header is judged. After an error it
 * stays failed, since the stream can no longer be trusted.
 */
export class FrameDecoder {
  private state: DecoderState = 'header';
  private readonly chunks: Buffer[] = [];
  /** Bytes of chunks[0] already read: frames are read in place, not cut off the chunk. */
  private head = 0;
  private buffered = 0;
  private bodyLength = 0;
  private frameType = FRAME_CONTROL;

  private readonly limits: CodecLimits;

  constructor(limits?: Partial<CodecLimits>) {
    this.limits = limits ? { ...DEFAULT_LIMITS, ...limits } : DEFAULT_LIMITS;
  }

  feed(chunk: Buffer): void {
    if (this.state === 'failed') throw new ProtocolError('bad-frame', 'the connection already sent a bad frame');
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** The next whole frame, or null until more bytes arrive. */
  next(check?: HeaderCheck): Frame | null {
    if (this.state === 'failed') throw new ProtocolError('bad-frame', 'the connection already sent a bad frame');
    if (this.state === 'header') {
      if (this.buffered < HEADER_BYTES) return null;
      // Read in place; copied only when the header spans chunks.
      const first = this.chunks[0];
      const inFirst = first.length - this.head >= HEADER_BYTES;
      const header = inFirst ? first : this.copy(HEADER_BYTES);
      const at = inFirst ? this.head : 0;
      const length = header.readUInt32BE(at);
      const type = header[at + 4];
      if (inFirst) this.skip(HEADER_BYTES);
      if (length < 1) return this.fail('bad-frame', 'a frame length must count at least its type byte');
      if (length > this.limits.maxFrameBytes) return this.fail('frame-too-large', `a frame of ${length} bytes is over the limit of ${this.limits.maxFrameBytes}`);
      if (type !== FRAME_CONTROL && type !== FRAME_DATA) return this.fail('bad-frame', `unknown frame type ${type}`);
      if (type === FRAME_CONTROL && length - 1 > this.limits.maxControlBytes) {
        return this.fail('frame-too-large', `a control message of ${length - 1} bytes is over the limit of ${this.limits.maxControlBytes}`);
      }
      if (check) {
        try {
          check(type, length - 1);
        } catch (err) {
          const e = err instanceof ProtocolError ? err : new ProtocolError('bad-frame', 'refused frame');
          return this.fail(e.code, e.message);
        }
      }
      this.bodyLength = length - 1;
      this.frameType = type;
      this.state = 'body';
    }
    if (this.buffered < this.bodyLength) return null;
    this.state = 'header';
    if (this.frameType === FRAME_DATA) return { kind: 'data', bytes: this.take(this.bodyLength) };
    let json: unknown;
    try {
      json = JSON.parse(this.take(this.bodyLength).toString('utf8'));
    } catch {
      return this.fail('bad-message', 'a control frame does not hold valid JSON');
    }
    return { kind: 'control', json };
  }

  /** feed() and every whole frame; a bad frame throws (frames before it in the same chunk are lost: readers that must answer them use next()). */
  push(chunk: Buffer): Frame[] {
    this.feed(chunk);
    const frames: Frame[] = [];
    for (let f = this.next(); f; f = this.next()) frames.push(f);
    return frames;
  }

  private fail(code: ErrorCode, message: string): never {
    this.state = 'failed';
    this.chunks.length = 0;
    this.head = 0;
    this.buffered = 0;
    throw new ProtocolError(code, message);
  }

  /** Removes the next n buffered bytes and returns them, copying only when they span chunks. */
  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const first = this.chunks[0];
    if (first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      this.skip(n);
      return out;
    }
    return this.copy(n);
  }

  /** Drops n bytes that lie in the first chunk. */
  private skip(n: number): void {
    this.head += n;
    this.buffered -= n;
    if (this.head === this.chunks[0].length) {
      this.chunks.shift();
      this.head = 0;
    }
  }

  /** Removes the next n bytes, copied out of the chunks they span. */
  private copy(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    let i = 0;
    let head = this.head;
    while (filled < n) {
      const c = this.chunks[i];
      const got = Math.min(c.length - head, n - filled);
      c.copy(out, filled, head, head + got);
      filled += got;
      head += got;
      if (head === c.length) {
        i++;
        head = 0;
      }
    }
    this.chunks.splice(0, i);
    this.head = head;
    this.buffered -= n;
    return out;
  }
}

// ------------------------------------------------------------ validation

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const str = (v: unknown, max = 256): v is string => typeof v === 'string' && v.length <= max;
const nat = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const opt = <T>(v: unknown, check: (x: unknown) => x is T): boolean => v === undefined || check(v);

/**
 * Sets an optional field only when it is present, so a validated message
 * equals what was meant (no `name: undefined`). Fields are added, never
 * deleted: a deleted property turns an object into a slow dictionary.
 */
function withField<T extends object, K extends keyof T>(o: T, key: K, value: T[K] | undefined): T {
  if (value !== undefined) o[key] = value;
  return o;
}

/** A message `m` with a wrong field: says which message and what is wrong. */
function badField(m: Json, what: string): never {
  throw new ProtocolError('bad-message', `${m.type as string}: ${what}`);
}

// Built once, not per message.
const OUTCOMES: ReadonlySet<unknown> = new Set<Outcome>(['upgraded', 'restart-required', 'failed', 'declined']);
const ACTIONS: ReadonlySet<unknown> = new Set<DecisionMessage['action']>(['allow', 'reject', 'patch', 'full']);

/** Checks a message from a client field by field; unknown fields are ignored (forward compatibility). */
export function validateClientMessage(json: unknown): ClientMessage {
  if (!isObject(json) || typeof json.type !== 'string') throw new ProtocolError('bad-message', 'a message must be a JSON object with a "type"');
  const m = json;
  switch (m.type) {
    case 'hello':
      if (!nat(m.protocol)) badField(m, '"protocol" must be a whole number');
      if (!str(m.client, 64)) badField(m, '"client" must be a short string');
      return { type: 'hello', protocol: m.protocol as number, client: m.client as string };
    case 'login':
      if (!str(m.version, 64)) badField(m, '"version" must be a string of at most 64 characters');
      if (!opt(m.name, (x): x is string => str(x, 128))) badField(m, '"name" must be a short string');
      return withField<LoginMessage, 'name'>({ type: 'login', version: m.version as string }, 'name', m.name as string | undefined);
    case 'accept':
      if (!opt(m.offset, nat)) badField(m, '"offset" must be a whole number of bytes');
      return withField<AcceptMessage, 'offset'>({ type: 'accept' }, 'offset', m.offset as number | undefined);
    case 'decline':
      return { type: 'decline' };
    case 'result': {
      if (!str(m.previousVersion, 64)) badField(m, '"previousVersion" must be a string');
      if (!opt(m.newVersion, (x): x is string => str(x, 64))) badField(m, '"newVersion" must be a string');
      if (!OUTCOMES.has(m.outcome)) badField(m, `"outcome" must be one of ${[...OUTCOMES].join(', ')}`);
      if (!opt(m.errorCode, (x): x is string => str(x, 64))) badField(m, '"errorCode" must be a short string');
      if (!opt(m.downloadMs, nat)) badField(m, '"downloadMs" must be a whole number');
      const result: ResultMessage = { type: 'result', previousVersion: m.previousVersion as string, outcome: m.outcome as Outcome };
      withField(result, 'newVersion', m.newVersion as string | undefined);
      withField(result, 'errorCode', m.errorCode as string | undefined);
      return withField(result, 'downloadMs', m.downloadMs as number | undefined);
    }
    case 'bye':
      return { type: 'bye' };
    default:
      throw new ProtocolError('bad-message', `unknown message type "${clipText(String(m.type), 32)}"`);
  }
}

/** Checks a message from a server (the simulated clients read with this). */
export function validateServerMessage(json: unknown): ServerMessage {
  if (!isObject(json) || typeof json.type !== 'string') throw new ProtocolError('bad-message', 'a message must be a JSON object with a "type"');
  const m = json;
  switch (m.type) {
    case 'welcome':
      if (!nat(m.protocol) || !str(m.server)) badField(m, 'needs "protocol" and "server"');
      return { type: 'welcome', protocol: m.protocol as number, server: m.server as string };
    case 'decision': {
      if (!ACTIONS.has(m.action) || !str(m.reason)) badField(m, 'needs "action" and "reason"');
      if (!opt(m.mode, (x): x is string => x === 'forced' || x === 'optional')) badField(m, '"mode" must be forced or optional');
      // A reason or modeReason this client does not know is still read: a newer server may add some.
      if (!opt(m.modeReason, (x): x is string => str(x, 64))) badField(m, '"modeReason" must be a short string');
      const decision: DecisionMessage = { type: 'decision', action: m.action as DecisionMessage['action'], reason: m.reason as string };
      withField(decision, 'mode', m.mode as Mode | undefined);
      return withField(decision, 'modeReason', m.modeReason as string | undefined);
    }
    case 'offer': {
      const setup = m.setup;
      if (m.kind !== 'patch' && m.kind !== 'full') badField(m, '"kind" must be patch or full');
      if (m.mode !== 'forced' && m.mode !== 'optional') badField(m, '"mode" must be forced or optional');
      if (!str(m.file) || !nat(m.size) || !str(m.sha256) || !/^[0-9a-f]{64}$/.test(m.sha256 as string) || !str(m.version)) badField(m, 'needs "file", "size", "sha256" and "version"');
      if (!isObject(setup) || !Array.isArray(setup.conflictingApps) || !setup.conflictingApps.every((a) => str(a)) || typeof setup.restartIfBusy !== 'boolean') badField(m, '"setup" must hold conflictingApps and restartIfBusy');
      const s = setup as Json;
      return {
        type: 'offer',
        kind: m.kind as 'patch' | 'full',
        mode: m.mode as 'forced' | 'optional',
        file: m.file as string,
        size: m.size as number,
        sha256: m.sha256 as string,
        version: m.version as string,
        setup: { conflictingApps: s.conflictingApps as string[], restartIfBusy: s.restartIfBusy as boolean },
      };
    }
    case 'queued':
      if (!nat(m.position)) badField(m, '"position" must be a whole number');
      return { type: 'queued', position: m.position as number };
    case 'start':
      if (!nat(m.offset) || !nat(m.size) || !str(m.sha256)) badField(m, 'needs "offset", "size" and "sha256"');
      return { type: 'start', offset: m.offset as number, size: m.size as number, sha256: m.sha256 as string };
    case 'done':
      if (!nat(m.bytes)) badField(m, '"bytes" must be a whole number');
      return { type: 'done', bytes: m.bytes as number };
    case 'admitted':
      if (!str(m.reason)) badField(m, '"reason" must be a string');
      return { type: 'admitted', reason: m.reason as string };
    case 'error':
      if (!str(m.code) || !str(m.message, 1024)) badField(m, 'needs "code" and "message"');
      return { type: 'error', code: m.code as ErrorCode, message: m.message as string };
    default:
      throw new ProtocolError('bad-message', `unknown message type "${clipText(String(m.type), 32)}"`);
  }
}
