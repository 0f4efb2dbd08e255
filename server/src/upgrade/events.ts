// Everything the upgrade server does, as structured events: the VS Code tree
// view, the JSON-lines log and the console log all read these.
import type { Decision, ModeReason, UpgradeMode } from '../config';
import type { Outcome } from './messages';
import { LineMap, type Diagnostic } from '../config';
import { escapeControl as esc } from './escape';

export interface ConfigProblem {
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
}

/** Diagnostics with 1-based lines and columns (UTF-16 units, as the CLI prints them). */
export function toConfigProblems(text: string, diagnostics: readonly Diagnostic[], map = new LineMap(text)): ConfigProblem[] {
  return diagnostics.map((d) => {
    const p = map.positionAt(d.span.start);
    return { line: p.line + 1, column: p.character + 1, severity: d.severity, code: d.code, message: d.message };
  });
}

/** What the inventory says a client's last login led to: `offered` until the
 *  client declines, finishes the download (`downloaded`) or reports a result. */
export type InventoryOutcome = 'let-in' | 'rejected' | 'offered' | 'declined' | 'downloaded' | Outcome;

/** One client of the office, by name (spec section 8): "who is still on 5.10?". */
export interface InventoryEntry {
  // Readonly: the server replaces an entry when it changes, so events and views share it safely.
  /** As the client sent it, or its address when it sent none. */
  readonly name: string;
  /** The last login, ISO 8601 by the server's clock. */
  readonly lastLogin: string;
  readonly address: string;
  /** The version it reported at that login. */
  readonly version: string;
  readonly decision: { action: DecisionAction; reason: DecisionReason; mode?: UpgradeMode; modeReason?: ModeReason };
  readonly outcome?: InventoryOutcome;
}

/** The rollout counts of spec section 8, for the CurrentVersion in force. */
export interface RolloutStatus {
  /** CurrentVersion the counts belong to, canonical ('' when the config has none). */
  currentVersion: string;
  /** Distinct clients offered an upgrade in the last 60 minutes. */
  offeredLastHour: number;
  maxPerHour: number | null;
  /** Failed upgrades reported since the count (re)started. */
  failures: number;
  pauseAfterFailures: number | null;
  paused: boolean;
  /** When it paused (ISO, the server's clock; kept across a restart): only while paused. */
  pausedAt?: string;
}

/** Why a paused rollout goes on: the host's command, a new CurrentVersion, or a
 *  config whose PauseAfterFailures no longer pauses at this count. */
export type ResumeReason = 'command' | 'new-version' | 'config';

export type DecisionAction = Decision['action'];

/** The reasons a decision gives (spec section 5). */
export type DecisionReason = Decision['reason'];

export type ServerEvent =
  | { type: 'listening'; host: string; port: number; config: string }
  | { type: 'connection'; id: number; remote: string }
  | { type: 'login'; id: number; version: string; name?: string }
  | { type: 'decision'; id: number; version: string; action: DecisionAction; reason: DecisionReason; mode?: UpgradeMode; modeReason?: ModeReason; file?: string }
  | { type: 'queued'; id: number; position: number }
  | { type: 'transfer-start'; id: number; file: string; offset: number; size: number }
  | { type: 'transfer-progress'; id: number; file: string; sent: number; size: number }
  | { type: 'transfer-done'; id: number; file: string; bytes: number; ms: number }
  | { type: 'declined'; id: number }
  | { type: 'admitted'; id: number; reason: string }
  | { type: 'result'; id: number; previousVersion: string; newVersion?: string; outcome: string; errorCode?: string; downloadMs?: number }
  | { type: 'error'; id?: number; code: string; message: string }
  | { type: 'closed'; id: number; reason: string }
  /** Connections refused with `server-busy` (`refused` since the last such event, at most one each 10 s): too many
   *  connections (`limit` is maxConnections), or too few file handles left (`limit` is the process's open-file limit). */
  | { type: 'server-busy'; why: 'connections' | 'file-handles'; connections: number; refused: number; limit: number }
  /** At start: the process's open-file limit allows fewer connections than maxConnections. */
  | { type: 'file-limit'; limit: number; open: number; connections: number; maxConnections: number }
  | { type: 'config-reloaded'; config: string; currentVersion: string }
  /** Live reload cannot watch `folder` (said once; it is tried again, and reloads when it can). */
  | { type: 'watch-error'; folder: string; message: string }
  | { type: 'config-rejected'; config: string; problems: ConfigProblem[] }
  | { type: 'stopped' }
  /** A client's inventory entry changed (a login, a decline, a download, a result). */
  | { type: 'inventory'; client: InventoryEntry }
  /** Failed upgrades reached PauseAfterFailures: every out-of-date client is let in (reason `paused`). */
  | { type: 'rollout-paused'; currentVersion: string; failures: number; pauseAfterFailures: number; since: string }
  | { type: 'rollout-resumed'; currentVersion: string; reason: ResumeReason }
  /** MaxPerHour clients were offered in the last 60 minutes: new ones are let in (reason `throttled`) until `until` at the earliest. */
  | { type: 'rollout-throttled'; currentVersion: string; maxPerHour: number; until: string }
  /** The state file could not be read: it was renamed to `setAside` (null: it could not be moved) and the server started with empty state. */
  | { type: 'state-file-corrupt'; path: string; setAside: string | null; message: string }
  /** The state file could not be written (the state is kept in memory; the next save tries again). */
  | { type: 'state-file-error'; path: string; message: string };

/** A readable console line for an event: one line (but for a refused config's
 *  list of problems), whatever a client sent: text a peer controls is escaped. */
export function formatEvent(e: ServerEvent): string {
  switch (e.type) {
    case 'listening':
      return `listening on ${e.host}:${e.port} (config ${e.config})`;
    case 'connection':
      return `#${e.id} connected from ${e.remote}`;
    case 'login':
      return `#${e.id} login: version ${esc(e.version)}${e.name ? ` (${esc(e.name)})` : ''}`;
    case 'decision':
      return `#${e.id} ${esc(e.version)}: ${e.action} (${e.reason})${e.mode ? `, ${e.mode}` : ''}${e.modeReason ? ` (${e.modeReason})` : ''}${e.file ? `, ${e.file}` : ''}`;
    case 'queued':
      return `#${e.id} waiting for a transfer slot, position ${e.position}`;
    case 'transfer-start':
      return `#${e.id} sending ${e.file} (${e.size} bytes${e.offset ? `, resuming at ${e.offset}` : ''})`;
    case 'transfer-progress':
      return `#${e.id} ${e.file}: ${e.sent}/${e.size} bytes`;
    case 'transfer-done':
      return `#${e.id} sent ${e.file}: ${e.bytes} bytes in ${e.ms} ms`;
    case 'declined':
      return `#${e.id} declined the optional upgrade`;
    case 'admitted':
      return `#${e.id} let in (${e.reason})`;
    case 'result':
      return `#${e.id} result: ${e.outcome} ${esc(e.previousVersion)} -> ${e.newVersion !== undefined ? esc(e.newVersion) : '?'}${e.errorCode ? ` (${esc(e.errorCode)})` : ''}`;
    case 'error':
      return `${e.id !== undefined ? `#${e.id} ` : ''}error ${e.code}: ${esc(e.message)}`;
    case 'closed':
      return `#${e.id} closed (${e.reason})`;
    case 'server-busy':
      return e.why === 'connections'
        ? `server busy: refused ${e.refused} connection${e.refused === 1 ? '' : 's'} (${e.connections} open, the cap is ${e.limit})`
        : `server busy: refused ${e.refused} connection${e.refused === 1 ? '' : 's'}: ${e.connections} open and the process may open only ${e.limit} files (ulimit -n); raise the limit (ulimit -n, or LimitNOFILE= in a systemd unit) to serve more`;
    case 'file-limit':
      return `the process may open ${e.limit} files (ulimit -n), ${e.open} open now: about ${e.connections} connections at once, not the ${e.maxConnections} allowed; raise the limit to serve more`;
    case 'watch-error':
      return `live reload cannot watch ${e.folder}: ${e.message}; changes there are not seen until it can (tried again, at least every 30 s)`;
    case 'config-reloaded':
      return `config reloaded: CurrentVersion ${e.currentVersion}`;
    case 'config-rejected':
      return `config change refused, the previous config stays in force:\n${e.problems.map((p) => `  ${e.config}:${p.line}:${p.column} ${p.severity} ${p.message} [${p.code}]`).join('\n')}`;
    case 'stopped':
      return 'stopped';
    case 'inventory': {
      // One line with a login's facts: who, from where, on what, what it was told, what came of it.
      const d = e.client.decision;
      return `client ${esc(e.client.name)} (${e.client.address}) on ${esc(e.client.version)}: ${d.action} (${d.reason}${d.mode ? `, ${d.mode}` : ''})${e.client.outcome ? ` -> ${e.client.outcome}` : ''}`;
    }
    case 'rollout-paused':
      return `rollout of ${e.currentVersion} PAUSED: ${e.failures} failed upgrade${e.failures === 1 ? '' : 's'} (PauseAfterFailures = ${e.pauseAfterFailures}); out-of-date clients are let in until it is resumed`;
    case 'rollout-resumed':
      return `rollout of ${e.currentVersion} resumed (${e.reason === 'command' ? 'by command' : e.reason === 'new-version' ? 'a new CurrentVersion starts a new count' : 'PauseAfterFailures no longer reached'})`;
    case 'rollout-throttled':
      return `rollout of ${e.currentVersion}: MaxPerHour ${e.maxPerHour} reached; new clients are let in without an offer until ${e.until} at the earliest`;
    case 'state-file-corrupt':
      return `the state file ${e.path} could not be read (${e.message}); ${e.setAside ? `set aside as ${e.setAside}` : 'it could not be set aside'}, starting with empty state`;
    case 'state-file-error':
      return `the state file ${e.path} could not be written: ${e.message}`;
  }
}

/** How much an event matters in a log with levels (VS Code's server log). */
export type EventLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/**
 * The level of an event's line: a login's facts (the inventory line: name,
 * address, version, decision, then what came of an offer), reloads, the
 * server starting and stopping and the rollout at info; a refused change and
 * limits reached at warn; errors at error; the steps of a session (connected,
 * the protocol's login, queued, sending, closed) at debug; progress at trace.
 */
export function eventLevel(e: ServerEvent): EventLevel {
  switch (e.type) {
    case 'transfer-progress':
      return 'trace';
    case 'connection':
    case 'login':
    case 'decision':
    case 'queued':
    case 'transfer-start':
    case 'transfer-done':
    case 'declined':
    case 'admitted':
    case 'result':
    case 'closed':
      return 'debug';
    case 'inventory':
      // The download's end is a step; the offer and its result are the login's lines.
      return e.client.outcome === 'downloaded' ? 'debug' : 'info';
    case 'listening':
    case 'stopped':
    case 'config-reloaded':
    case 'rollout-resumed':
    case 'rollout-throttled':
      return 'info';
    case 'config-rejected':
    case 'server-busy':
    case 'file-limit':
    case 'watch-error':
    case 'state-file-corrupt':
    case 'rollout-paused':
      return 'warn';
    case 'error':
    case 'state-file-error':
      return 'error';
  }
}
