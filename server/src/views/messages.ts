// The typed messages between the back ends and the VS Code host's views: the
// language server's config summary (custom LSP request and notification) and
// the workbench child's state snapshot (IPC). The host is a view: it draws
// these and never reads, analyses or hashes an upgrade.ini itself. Plain JSON
// only (no spans, no class instances); views that come later extend these
// types here, in one place.
import type { Decision, Severity, TextEncodingName, UpgradeMode } from '../config';
import type { ConfigProblem, EventLevel, InventoryEntry, RolloutStatus, ServerEvent } from '../upgrade/events';
import type { ClientReport, SimulationReport } from '../simulator';
import type { FleetEntry } from '../simulator/fleet';
import type { PlanResult, PlanRunOptions } from './planMessages';

// ------------------------------------------------ language server -> views

/** Request (client -> server): the summary of one upgrade.ini, open or on disk. */
export const CONFIG_SUMMARY_REQUEST = 'nsupgrade/configSummary';
/** Notification (server -> client): a summary changed (after each validation, or a file on disk changed). */
export const CONFIG_SUMMARY_NOTIFICATION = 'nsupgrade/configSummaryChanged';
/** Request (client -> server): the edits that write the files' real SHA-256 into the config. */
export const FILE_HASH_EDITS_REQUEST = 'nsupgrade/fileHashEdits';

/**
 * Notification (client -> server): the client names the editor knows of
 * besides the workspace's fleet files (the running upgrade server's
 * inventory), for completion and hover in [Rollout]. Each one replaces the last.
 */
export const KNOWN_CLIENTS_NOTIFICATION = 'nsupgrade/knownClients';

export interface KnownClientsParams {
  names: string[];
}

export interface ConfigSummaryParams {
  /** A file: URI (or the URI of an open untitled document). */
  uri: string;
}

export type FileHashEditsParams = ConfigSummaryParams;

/** LSP-shaped (0-based lines, UTF-16 columns) so the host converts nothing itself. */
export interface RangeView {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface FileHashEditsResult {
  edits: { range: RangeView; newText: string }[];
  /** The keys the edits write (`FullSetupSha256`, `PatchFileSha256`), so the editor can say which. */
  keys?: string[];
}

/** How many of each severity. */
export type SeverityCounts = Record<Severity, number>;

/** A setup file as the file checks found it. */
export interface FileView {
  key: 'FullSetup' | 'PatchFile';
  /** As written in the config. */
  relPath: string;
  /** `missing`: not found (or unreadable); `not-pinned`: no …Sha256 key; `matches` / `mismatch` against it. */
  hash: 'matches' | 'not-pinned' | 'mismatch' | 'missing';
  size?: number;
  sha256?: string;
  /** The …Sha256 the config pins, when it pins one. */
  pinned?: string;
}

/** One row of the decision table: what a desk of this kind is told at login,
 *  computed by the one `decide()` for a sample version. */
export interface DecisionRow {
  /** The kind of desk, in words: "CurrentVersion", "Patchable 5.10.*", "older, not patchable", "newer". */
  label: string;
  /** The version the row was decided for. */
  sample: string;
  decision: Decision;
}

export type DecisionTable =
  | {
      rows: DecisionRow[];
      /** The login the rows were decided for: no name (so [Rollout] sees an unnamed desk), nothing counted. */
      login: { name: string; at: string };
    }
  | { rows: []; unavailable: string };

export interface RolloutView {
  percent: number;
  pilot: string[];
  exclude: string[];
  maxPerHour: number | null;
  pauseAfterFailures: number | null;
  forcedHours: string[] | null;
  /** Each ForcedHours item in words, as hover says it ("weekdays from 18:00 to 07:00 the next morning"); null without ForcedHours. */
  forcedHoursInWords: string[] | null;
  timeZone: string | null;
}

/** Everything the views show of one upgrade.ini, as the language server checked it. */
export interface ConfigSummary {
  uri: string;
  /** The editor's document version it was computed from; null when read from disk. */
  version: number | null;
  /** The file's path; null for an untitled document. */
  path: string | null;
  /** How the bytes decoded (read from disk only). */
  encoding: TextEncodingName | null;
  /** No errors: the upgrade server would serve it. */
  ok: boolean;
  counts: SeverityCounts;
  /** The errors and warnings, in file order, at most PROBLEMS_SHOWN of them. */
  problems: ConfigProblem[];
  problemCount: number;
  /** 0-based line of the [Upgrade] header (where the code lens goes); null without one. */
  upgradeLine: number | null;
  /** 0-based line of the [Rollout] header (where the plan's code lens goes); null without one. */
  rolloutLine?: number | null;
  server: { port: number; bind: string; fileRoot: string; maxTransfers: number; idleTimeout: number; maxRate: number | null };
  upgrade: {
    enabled: boolean;
    currentVersion: string | null;
    mode: UpgradeMode;
    /** The Patchable items as written with what each matches, at most ITEMS_SHOWN. */
    patchable: { text: string; matches: string }[];
    patchableCount: number;
  };
  rollout: RolloutView | null;
  /** Whether the file checks ran (not for an untitled document). */
  fileChecks: boolean;
  /** FileRoot resolved (symlinks followed when it exists); '' without file checks. */
  fileRoot: string;
  files: FileView[];
  decisions: DecisionTable;
}

export const PROBLEMS_SHOWN = 200;
export const ITEMS_SHOWN = 200;

// ------------------------------------------ host <-> workbench child (IPC)
// The workbench child (dist/workbench.js) runs the upgrade servers and the
// simulations for the host; the host sends requests with ids and gets one
// reply each, plus a state snapshot a few times a second while anything changes.

/** How to serve a config (typed: the child parses no command line). */
export interface ServeOptions {
  /** Absolute path of the upgrade.ini. */
  config: string;
  /** Overrides [Server] Port (0: any free port). */
  port?: number;
  /** Overrides [Server] Bind. */
  host?: string;
}

export interface SimulateRunOptions {
  /** The config simulated against: its server when the child serves it, else a private
   *  server for this run on a free loopback port (never another config's server). */
  config: string;
  /** VERSION[:COUNT],... or @fleet.csv (an absolute path), or entries. */
  clients: string | FleetEntry[];
  seed?: number;
  concurrency?: number;
  timeoutMs?: number;
}

export type WorkbenchRequest =
  | { type: 'start-server'; id: number; options: ServeOptions }
  | { type: 'stop-server'; id: number; config: string }
  /** Serves `options.config` afresh. While it is served, its file is checked first: a file with
   *  errors is refused (`server-failed` with `kept`) and the running server goes on as it was. */
  | { type: 'restart-server'; id: number; options: ServeOptions }
  | { type: 'simulate'; id: number; options: SimulateRunOptions }
  /** Cancels the simulation that request `run` started; its reply says `cancelled`. */
  | { type: 'cancel'; id: number; run: number }
  /** Resumes the rollout of the served `config` after a pause on failures (spec 8): the failure count starts again. */
  | { type: 'resume-rollout'; id: number; config: string }
  /** The served `config`'s inventory: every client seen, by name. */
  | { type: 'inventory'; id: number; config: string }
  /** Plans a rollout in simulated time (spec 9); `cancel` with this id drops it. */
  | { type: 'plan'; id: number; options: PlanRunOptions };

export interface ServerListening {
  config: string;
  host: string;
  port: number;
  pid: number;
}

/** A simulation's report as the views get it: at most CLIENTS_PER_OUTCOME clients per outcome. */
export interface SimulationView extends Omit<SimulationReport, 'clients'> {
  clients: ClientReport[];
  /** All clients simulated (clients holds a sample when there were many). */
  clientCount: number;
  /** The config simulated against. */
  config: string;
  /** Run against a private server for this config (another one was being served). */
  privateServer: boolean;
}

export const CLIENTS_PER_OUTCOME = 200;

export type WorkbenchResult =
  | { type: 'server-started'; server: ServerListening }
  | { type: 'server-failed'; config: string; reason: 'config' | 'port-in-use' | 'other'; message: string; problems?: ConfigProblem[]; /** A restart refused: the running server was kept. */ kept?: boolean }
  | { type: 'server-stopped'; config: string }
  | { type: 'simulated'; report: SimulationView }
  | { type: 'simulation-failed'; message: string; cancelled: boolean }
  | { type: 'cancelling'; run: number }
  /** `wasPaused` false: the rollout was not paused (nothing changed but the failure count, back to 0). */
  | { type: 'rollout-resumed'; config: string; wasPaused: boolean; rollout: RolloutStatus }
  /** Least recently seen first; at most INVENTORY_SHOWN of `total`, the most recent. */
  | { type: 'inventory'; config: string; clients: InventoryClientView[]; total: number }
  /** A request for a config that is not served. */
  | { type: 'not-serving'; config: string }
  /** The request failed in a way none of the above covers. */
  | { type: 'error'; message: string }
  | PlanResult;

export type WorkbenchMessage =
  | { type: 'reply'; id: number; result: WorkbenchResult }
  | { type: 'snapshot'; state: WorkbenchState }
  /** The child cannot go on (its last message before it exits). */
  | { type: 'fatal'; message: string };

/** A desk connected to a served config, as the events describe it. */
export interface ClientView {
  id: number;
  remote: string;
  version?: string;
  name?: string;
  state: 'connected' | 'let in' | 'rejected' | 'patch offered' | 'full offered' | 'queued' | 'downloading' | 'installing' | 'declined';
  file?: string;
  sent?: number;
  size?: number;
  /** Place in the transfer queue (1 = next). */
  position?: number;
}

/** What one server did, by kind of event, since it started. */
export interface ServerCounts {
  connections: number;
  logins: number;
  decisions: Record<'allow' | 'reject' | 'patch' | 'full', number>;
  transfersDone: number;
  bytesSent: number;
  results: Record<string, number>;
  errors: number;
}

export interface ServerView extends ServerListening {
  startedAt: string;
  /** CurrentVersion of the config in force (changes on reload). */
  currentVersion: string;
  /** Desks connected now (at most CLIENTS_SHOWN of them, newest connections first). */
  clients: ClientView[];
  clientCount: number;
  transfers: { running: number; queued: number };
  counts: ServerCounts;
  /** The last live reload: applied, or refused with the problems (the old config stays in force;
   *  at most RELOAD_PROBLEMS_SHOWN of `errorCount`). */
  lastReload?: { at: string; ok: boolean; problems?: ConfigProblem[]; errorCount?: number };
  /** The config in force: when it was loaded, its CurrentVersion, a short hash of its text, the setup files served. */
  inForce: InForceView;
  /** The latest lines of activity at info and above, newest last (at most RECENT_SHOWN). */
  recent: RecentLine[];
  /** The rollout counts (offers in the last hour, failures, paused) as of this snapshot (while offers
   *  are counted, a snapshot comes at least every minute, as offers leave the hour with no event). */
  rollout: RolloutStatus;
  /** Whether the config in force has a [Rollout] section (without one only failures and the inventory mean much). */
  rolloutConfigured: boolean;
  /** Clients in the inventory by the version of their last login (ask `inventory` for the clients). */
  inventoryByVersion: Record<string, number>;
  /** How many times an inventory entry changed since the server started: a view asks `inventory` again when it grows. */
  inventoryChanges: number;
  /** When the rollout paused (the event, by the workbench's clock); absent while it is not paused. */
  rolloutPausedAt?: string;
}

export const INVENTORY_SHOWN = 10_000;
export const RELOAD_PROBLEMS_SHOWN = 50;
export const RECENT_SHOWN = 40;

/** What a served config is in force as (computed in the workbench child, never in the host). */
export interface InForceView {
  /** When this config was loaded (the start or the last reload applied). */
  loadedAt: string;
  currentVersion: string;
  /** The first 8 hex digits of the SHA-256 of the config's text as loaded. */
  hash: string;
  /** The private copies of the setup files clients are sent (a deleted or changed file on disk does not change them). */
  files: { key: 'PatchFile' | 'FullSetup'; name: string; size: number; sha256: string }[];
}

export interface RecentLine {
  at: string;
  level: EventLevel;
  text: string;
}

/** An inventory entry as the views get it: with the client's bucket (0-99, spec 7) for
 *  the CurrentVersion in force when the config has a [Rollout] section. */
export interface InventoryClientView extends InventoryEntry {
  bucket?: number;
}

export const CLIENTS_SHOWN = 500;

export interface RunView {
  /** The id of the `simulate` request. */
  id: number;
  config: string;
  done: number;
  total: number;
  /** Outcomes so far. */
  outcomes: Record<string, number>;
}

/** One line of a server's activity (not transfer progress, which would drown it). */
export interface ActivityEntry {
  at: string;
  config: string;
  /** The line's level in the server log (eventLevel). */
  level: EventLevel;
  text: string;
  event: ServerEvent;
}

export interface WorkbenchState {
  /** Increases with every snapshot. */
  seq: number;
  servers: ServerView[];
  runs: RunView[];
  /** Activity since the previous snapshot, oldest first, at most ACTIVITY_PER_SNAPSHOT. */
  activity: ActivityEntry[];
  /** Entries left out of `activity` since the previous snapshot (too many at once). */
  activityDropped: number;
}

export const ACTIVITY_PER_SNAPSHOT = 200;
/** How often at most the child sends a snapshot. */
export const SNAPSHOT_MS = 250;
