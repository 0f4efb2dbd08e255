// The shared vocabulary of the upgrade.ini model. The CLI, the language server
// and the upgrade server all speak in these types; nothing here does I/O.
//
// Positions: every Span is a pair of offsets into the *decoded* text, in UTF-16
// code units (what a JS string indexes, and what LSP counts). LineMap turns
// them into lines and columns; no feature does its own position arithmetic.

export interface Span {
  /** Offset of the first code unit. */
  start: number;
  /** Offset just past the last code unit (exclusive). */
  end: number;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** One text replacement; quick fixes are lists of these. */
export interface TextEdit {
  span: Span;
  newText: string;
}

/** A repair the checks already know how to make (carried on the diagnostic, so
 *  the code-action handler never re-derives the problem). */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one fix an editor may apply without asking. */
  preferred?: boolean;
}

export interface RelatedInformation {
  span: Span;
  message: string;
}

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** What is wrong and what to do, in the admin's words. */
  message: string;
  span: Span;
  related?: RelatedInformation[];
  fixes?: Fix[];
}

/** Stable diagnostic codes (documented in docs/upgrade-ini.md). */
export type DiagnosticCode =
  // 1. text
  | 'bad-encoding'
  | 'unclosed-section'
  | 'empty-section-name'
  | 'empty-key'
  | 'unclosed-quote'
  | 'invalid-line'
  | 'entry-outside-section'
  | 'duplicate-section'
  | 'duplicate-key'
  | 'unknown-section'
  | 'unknown-key'
  // 2-4. values
  | 'invalid-version'
  | 'invalid-number'
  | 'number-out-of-range'
  | 'invalid-boolean'
  | 'invalid-mode'
  | 'invalid-address'
  | 'invalid-sha256'
  | 'empty-value'
  | 'network-bind'
  | 'missing-section'
  | 'missing-key'
  | 'patch-file-unused'
  // 3. Patchable
  | 'invalid-patchable-item'
  | 'empty-patchable-item'
  | 'trailing-comma'
  | 'empty-range'
  | 'patchable-reaches-current'
  | 'redundant-patchable-item'
  // 4. files
  | 'path-outside-root'
  | 'absolute-path'
  | 'file-not-found'
  | 'not-a-file'
  | 'file-root-not-found'
  | 'hash-mismatch'
  | 'file-unreadable'
  | 'missing-sha256'
  // 1. text (v2)
  | 'ansi-encoding'
  // 4. [Server] MaxRate, StateFile (v2)
  | 'invalid-rate'
  | 'state-folder-not-found'
  | 'state-file-conflict'
  // 7. [Rollout]
  | 'empty-list-item'
  | 'duplicate-name'
  | 'redundant-name'
  | 'name-in-both-lists'
  | 'pilot-adds-nothing'
  | 'invalid-window'
  | 'unknown-day'
  | 'invalid-time'
  | 'empty-window'
  | 'redundant-window'
  | 'forced-hours-unused'
  | 'unknown-time-zone';

// ---------------------------------------------------------------- syntax tree

/** The lossless line-level tree: every line of the file, in order. */
export type LineNode = BlankLine | CommentLine | SectionLine | EntryLine | InvalidLine;

interface LineBase {
  /** The line without its line end. */
  span: Span;
  /** The line end as written: '\n', '\r\n', '\r' or '' (last line). */
  eol: string;
  /** 0-based line number. */
  line: number;
}

export interface BlankLine extends LineBase {
  kind: 'blank';
}

export interface CommentLine extends LineBase {
  kind: 'comment';
  /** The comment text after `;` or `#`. */
  text: string;
}

export interface SectionLine extends LineBase {
  kind: 'section';
  section: SectionNode;
}

export interface EntryLine extends LineBase {
  kind: 'entry';
  entry: EntryNode;
}

export interface InvalidLine extends LineBase {
  kind: 'invalid';
}

export interface SectionNode {
  /** The name as written, trimmed. */
  name: string;
  /** name.toLowerCase(), for case-insensitive lookups. */
  key: string;
  nameSpan: Span;
  /** The header line, `[` to `]` (or to the end of the line when `]` is missing). */
  headerSpan: Span;
  /** From the header to the end of the section's last non-blank line. */
  span: Span;
  /** Inline comment after `]`, if any. */
  commentSpan?: Span;
  entries: EntryNode[];
  /** False for a header with a syntax error (missing `]`, empty name). */
  wellFormed: boolean;
}

export interface EntryNode {
  /** The key as written, trimmed. */
  name: string;
  /** name.toLowerCase(). */
  key: string;
  keySpan: Span;
  /** The value with quotes removed and blanks trimmed. */
  value: string;
  /** The value as written, quotes included (empty span at the end of `=` + blanks when no value). */
  rawValueSpan: Span;
  /** Where `value` itself lies (inside the quotes for a quoted value). */
  valueSpan: Span;
  quoted: boolean;
  commentSpan?: Span;
  /** The whole entry line without its line end. */
  span: Span;
  /** null for an entry before the first header. */
  section: SectionNode | null;
}

export interface IniDocument {
  text: string;
  lines: LineNode[];
  sections: SectionNode[];
  /** Entries before the first section header (errors, but kept). */
  orphanEntries: EntryNode[];
  /** Problems of spec section 1 found while reading the lines. */
  syntaxDiagnostics: Diagnostic[];
}

// ----------------------------------------------------------- versions and sets

/** A parsed version: always four components, missing ones 0. */
export interface Version {
  parts: readonly [number, number, number, number];
  /** As written. */
  text: string;
}

export type VersionSetItemKind = 'exact' | 'wildcard' | 'range' | 'comparators';

/** Every item form denotes one closed interval of the (discrete, totally
 *  ordered) version space; an empty item has lo > hi. */
export interface VersionSetItem {
  kind: VersionSetItemKind;
  /** The item as written, trimmed. */
  text: string;
  span: Span;
  lo: Version;
  hi: Version;
}

/** A whole Patchable list, in compact form (numbers in typed arrays; items made when asked). */
import type { VersionSet } from './versionSetStore';
export type { VersionSet };

// ---------------------------------------------------------------- the model

export type UpgradeMode = 'forced' | 'optional';

export interface ServerSettings {
  port: number;
  bind: string;
  /** As written (default '.'), relative to the folder holding the .ini file. */
  fileRoot: string;
  maxTransfers: number;
  /** Seconds. */
  idleTimeout: number;
  /** Bytes per second that all transfers together never exceed; null: no cap. */
  maxRate: number | null;
  /** The rollout state file as written (spec section 8), relative to the folder of the .ini;
   *  default 'upgrade-state.json'; null for `None` (state kept in memory only). */
  stateFile: string | null;
}

export interface UpgradeSettings {
  enabled: boolean;
  currentVersion: Version | null;
  mode: UpgradeMode;
  fullSetup: string | null;
  fullSetupSha256: string | null;
  patchFile: string | null;
  patchFileSha256: string | null;
  patchable: VersionSet;
}

export interface SetupSettings {
  conflictingApps: string[];
  restartIfBusy: boolean;
}

/** One item of a `Pilot`/`Exclude` name list (spec section 7): matched against
 *  the whole client name, case-insensitively, `*` any run, `?` one character. */
export interface NamePattern {
  /** As written, trimmed. */
  text: string;
  span: Span;
}

/** One `ForcedHours` item as half-open intervals of wall-clock minutes of the
 *  week, counted from Monday 00:00 (0..10080). An item that crosses midnight or
 *  the end of Sunday is split, so every interval has start < end <= 10080. */
export interface TimeWindow {
  /** As written, trimmed. */
  text: string;
  span: Span;
  intervals: ReadonlyArray<readonly [number, number]>;
  /** The days it names (0 = Monday), in order from the first of a range; null: every day. */
  days?: readonly number[] | null;
  /** Minutes after midnight of the start and end as written; null: the whole day. */
  start?: number | null;
  end?: number | null;
}

/** `[Rollout]` (spec section 7): who is offered the upgrade, and when. */
export interface RolloutSettings {
  pilot: NamePattern[];
  exclude: NamePattern[];
  /** 0-100: the share of the non-pilot clients in the rollout. */
  percent: number;
  maxPerHour: number | null;
  pauseAfterFailures: number | null;
  /** null: no `ForcedHours`, so `Mode = Forced` forces at any time. */
  forcedHours: TimeWindow[] | null;
  /** The clock of `ForcedHours`: a zone `Intl.DateTimeFormat` accepts; null: the process's own. */
  timeZone: string | null;
}

/** The effective configuration: defaults filled in, invalid values replaced by
 *  their defaults (the diagnostics say so; a config with errors is never served). */
export interface UpgradeConfig {
  server: ServerSettings;
  upgrade: UpgradeSettings;
  setup: SetupSettings;
  /** null when the file has no `[Rollout]` section: every decision is as in spec v1. */
  rollout: RolloutSettings | null;
}

/** A setup file as found on disk and hashed. */
export interface FileInfo {
  /** 'FullSetup' or 'PatchFile'. */
  key: 'FullSetup' | 'PatchFile';
  /** As written in the config. */
  relPath: string;
  /** Resolved, symlinks followed; never leaves FileRoot. */
  absPath: string;
  size: number;
  sha256: string;
  mtimeMs: number;
}

export interface ConfigFiles {
  fullSetup?: FileInfo;
  patchFile?: FileInfo;
}

// ---------------------------------------------------------------- decision

/** What the server knows of the rollout at one login (spec section 8), for one
 *  CurrentVersion. The server keeps these counts; `decide` only reads them. */
export interface RolloutCounters {
  /** Other distinct clients offered an upgrade in the 60 minutes before the login. */
  offeredLastHour: number;
  /** This client is one of those already offered (it is never throttled then, so a
   *  dropped download can resume). */
  alreadyOffered: boolean;
  /** Failed upgrades reported for this CurrentVersion since the count (re)started;
   *  a resume restarts the count. */
  failures: number;
}

/** Everything `decide` needs to know of one login besides the config. */
export interface Login {
  /** The version string as the client sent it. */
  version: string;
  /** The name the client sent, or its address as text when it sent none (spec 7). */
  name: string;
  /** When it logs in: the decision itself never reads a clock. */
  at: Date;
  rollout: RolloutCounters;
}

/** Why a client is let in without an upgrade. */
export type AllowReason = 'upgrades-disabled' | 'current' | 'newer' | 'excluded' | 'paused' | 'held-back' | 'throttled';

/** Why an upgrade is optional although `Mode = Forced`. */
export type ModeReason = 'outside-forced-hours';

/** `bucket` (0-99, spec section 7) is set whenever the config has a `[Rollout]` section. */
export type Decision =
  | { action: 'reject'; reason: 'bad-version'; bucket?: number }
  | { action: 'allow'; reason: AllowReason; bucket?: number }
  | {
      action: 'patch' | 'full';
      reason: 'patchable' | 'not-patchable';
      mode: UpgradeMode;
      modeReason?: ModeReason;
      bucket?: number;
      /** The path as written in the config (relative to FileRoot). */
      file: string;
      size: number;
      sha256: string;
      /** For `patch`: the Patchable item that matched, as written. */
      matched?: string;
    };
