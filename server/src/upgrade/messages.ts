// The upgrade protocol's messages (version 1), shared by the upgrade server and
// the simulated clients. docs/protocol.md is the prose of this file; keep them
// in step. Framing lives in codec.ts.
//
// Frame: u32 big-endian length L (of what follows), u8 frame type, L-1 bytes.
//   type 0x01 CONTROL: one UTF-8 JSON object, one of the messages below;
//   type 0x02 DATA:    raw bytes of the file being transferred.

export const PROTOCOL_VERSION = 1;
export const FRAME_CONTROL = 0x01;
export const FRAME_DATA = 0x02;

export type UpgradeKind = 'patch' | 'full';
export type Mode = 'forced' | 'optional';

// ------------------------------------------------------- client -> server

export interface HelloMessage {
  type: 'hello';
  /** Highest protocol version the client speaks. */
  protocol: number;
  /** e.g. "NetPhone". */
  client: string;
}

export interface LoginMessage {
  type: 'login';
  /** The client's version as it reports it (may be malformed: the server rejects it). */
  version: string;
  /** The desk's computer or user name (at most 128 characters): [Rollout]
   *  Pilot/Exclude, the bucket and the inventory go by it; without it the
   *  server names the client by its address. */
  name?: string;
}

export interface AcceptMessage {
  type: 'accept';
  /** Bytes of this very file (same sha256) the client already holds: resume from here. */
  offset?: number;
}

export interface DeclineMessage {
  type: 'decline';
}

export type Outcome = 'upgraded' | 'restart-required' | 'failed' | 'declined';

/** Sent after Setup ran (or failed), like Omaha's event ping. */
export interface ResultMessage {
  type: 'result';
  previousVersion: string;
  newVersion?: string;
  outcome: Outcome;
  /** Why it failed, e.g. 'hash-mismatch', 'size-mismatch', 'setup-failed'. */
  errorCode?: string;
  downloadMs?: number;
}

export interface ByeMessage {
  type: 'bye';
}

export type ClientMessage =
  | HelloMessage
  | LoginMessage
  | AcceptMessage
  | DeclineMessage
  | ResultMessage
  | ByeMessage;

// ------------------------------------------------------- server -> client

export interface WelcomeMessage {
  type: 'welcome';
  protocol: number;
  server: string;
}

/** The decision of spec section 5. allow: the client is let in (state IN).
 *  reject: an error follows and the connection closes. */
export interface DecisionMessage {
  type: 'decision';
  action: 'allow' | 'reject' | 'patch' | 'full';
  /** allow: `upgrades-disabled`, `current`, `newer`, `excluded`, `paused`,
   *  `held-back`, `throttled`; reject: `bad-version`; patch: `patchable`;
   *  full: `not-patchable`. A string on the wire: a client reads a reason it
   *  does not know by its action (a newer server may add reasons). */
  reason: string;
  mode?: Mode;
  /** Why `mode` is optional although the config says Forced: `outside-forced-hours`. */
  modeReason?: string;
}

/** After a patch/full decision: what would be sent. Forced: the client must
 *  accept or go. Optional: the client may decline and is then admitted. */
export interface OfferMessage {
  type: 'offer';
  kind: UpgradeKind;
  mode: Mode;
  /** Base name only: never a server path. */
  file: string;
  size: number;
  sha256: string;
  /** The version the client will have after installing. */
  version: string;
  setup: { conflictingApps: string[]; restartIfBusy: boolean };
}

/** The client waits for a transfer slot (MaxTransfers); position 1 is next. */
export interface QueuedMessage {
  type: 'queued';
  position: number;
}

/** DATA frames follow, from `offset` to `size`. */
export interface StartMessage {
  type: 'start';
  offset: number;
  size: number;
  sha256: string;
}

/** All bytes were sent; the client should now verify, install and report. */
export interface DoneMessage {
  type: 'done';
  bytes: number;
}

/** The client is let in (after allow, or after declining an optional upgrade). */
export interface AdmittedMessage {
  type: 'admitted';
  reason: string;
}

export type ErrorCode =
  | 'bad-frame'
  | 'frame-too-large'
  | 'bad-message'
  | 'unexpected-message'
  | 'unsupported-protocol'
  | 'bad-version'
  | 'upgrade-required'
  | 'bad-offset'
  | 'file-changed'
  | 'file-unavailable'
  | 'idle-timeout'
  | 'server-busy'
  | 'shutting-down'
  | 'internal';

export interface ErrorMessage {
  type: 'error';
  code: ErrorCode;
  /** For people; never carries a server path. */
  message: string;
}

export type ServerMessage =
  | WelcomeMessage
  | DecisionMessage
  | OfferMessage
  | QueuedMessage
  | StartMessage
  | DoneMessage
  | AdmittedMessage
  | ErrorMessage;
