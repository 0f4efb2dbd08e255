// The typed messages between the back ends and the VS Code host's views: the
// language server's config summary (custom LSP request and notification) and
// the workbench child's state snapshot (IPC). The host is a view: it draws
// these and never reads, analyses or hashes an upgrade.ini itself. Plain JSON
// only (no spans, no class instances); views that come later extend these
// types here, in one place.
import type { Decision, Severity, TextEncodingName, UpgradeMode } from '../config';
import type { ConfigProblem } from '../upgrade/events';

// ------------------------------------------------ language server -> views

/** Request (client -> server): the summary of one upgrade.ini, open or on disk. */
export const CONFIG_SUMMARY_REQUEST = 'nsupgrade/configSummary';
/** Notification (server -> client): a summary changed (after each validation, or a file on disk changed). */
export const CONFIG_SUMMARY_NOTIFICATION = 'nsupgrade/configSummaryChanged';
/** Request (client -> server): the edits that write the files' real SHA-256 into the config. */
export const FILE_HASH_EDITS_REQUEST = 'nsupgrade/fileHashEdits';

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
