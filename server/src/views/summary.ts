// The config summary the views draw (tree, language status, code lens), made
// by the language server from the analysis and file checks it already ran.
// Pure: the time of the decision table comes in as an argument.
import {
  coverageOf,
  decide,
  describeItem,
  describeWindow,
  gaps,
  LineMap,
  loginOf,
  nextVersion,
  type Analysis,
  type ConfigFiles,
  type Diagnostic,
  type FileInfo,
  type LoadedConfig,
  type TextEncodingName,
  type UpgradeConfig,
  type Version,
} from '../config';
import { toConfigProblems } from '../upgrade/events';
import { ITEMS_SHOWN, PROBLEMS_SHOWN, type ConfigSummary, type DecisionRow, type DecisionTable, type FileView, type SeverityCounts } from './messages';

export interface SummaryInput {
  uri: string;
  version: number | null;
  path: string | null;
  text: string;
  analysis: Analysis;
  /** With the file checks when they ran; else the analysis' own. */
  diagnostics: readonly Diagnostic[];
  encoding: TextEncodingName | null;
  /** null: the file checks did not run (an untitled document). */
  checked: { files: ConfigFiles; fileRoot: string } | null;
  /** The text's LineMap when the caller has one (the language server keeps one per version). */
  map?: LineMap;
}

/** The summary of a config read with its file checks. */
export function summaryOfLoaded(loaded: LoadedConfig, uri: string, version: number | null, at: Date, options: { fromDisk?: boolean; map?: LineMap } = {}): ConfigSummary {
  return summarize(
    { uri, version, path: loaded.path, text: loaded.text, analysis: loaded.analysis, diagnostics: loaded.diagnostics, encoding: options.fromDisk ? loaded.encoding : null, checked: { files: loaded.files, fileRoot: loaded.fileRoot }, map: options.map },
    at,
  );
}

export function summarize(input: SummaryInput, at: Date): ConfigSummary {
  const { analysis, diagnostics } = input;
  const config = analysis.config;
  const counts: SeverityCounts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  const shown = diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
  const map = input.map ?? new LineMap(input.text);
  const header = analysis.sections.get('upgrade');
  const rolloutHeader = analysis.sections.get('rollout');
  const set = config.upgrade.patchable;
  const shownItems: { text: string; matches: string }[] = [];
  for (let i = 0; i < Math.min(set.size, ITEMS_SHOWN); i++) shownItems.push({ text: set.textOf(i), matches: describeItem(set.item(i)) });
  const r = config.rollout;
  const ok = counts.error === 0;
  return {
    uri: input.uri,
    version: input.version,
    path: input.path,
    encoding: input.encoding,
    ok,
    counts,
    problems: toConfigProblems(input.text, shown.slice(0, PROBLEMS_SHOWN), map),
    problemCount: shown.length,
    upgradeLine: header ? map.positionAt(header.headerSpan.start).line : null,
    rolloutLine: rolloutHeader ? map.positionAt(rolloutHeader.headerSpan.start).line : null,
    server: { port: config.server.port, bind: config.server.bind, fileRoot: config.server.fileRoot, maxTransfers: config.server.maxTransfers, idleTimeout: config.server.idleTimeout, maxRate: config.server.maxRate },
    upgrade: {
      enabled: config.upgrade.enabled,
      currentVersion: config.upgrade.currentVersion?.text ?? null,
      mode: config.upgrade.mode,
      patchable: shownItems,
      patchableCount: set.size,
    },
    rollout: r
      ? {
          percent: r.percent,
          pilot: r.pilot.map((p) => p.text),
          exclude: r.exclude.map((p) => p.text),
          maxPerHour: r.maxPerHour,
          pauseAfterFailures: r.pauseAfterFailures,
          forcedHours: r.forcedHours ? r.forcedHours.map((w) => w.text) : null,
          forcedHoursInWords: r.forcedHours ? r.forcedHours.map((w) => describeWindow(w)) : null,
          timeZone: r.timeZone,
        }
      : null,
    fileChecks: input.checked !== null,
    fileRoot: input.checked?.fileRoot ?? '',
    files: input.checked ? fileViews(config, input.checked.files) : [],
    decisions: input.checked === null ? { rows: [], unavailable: 'the file checks did not run (save the file first)' } : ok ? decisionTable(config, input.checked.files, at) : { rows: [], unavailable: 'the config has errors: the server decides nothing with it' },
  };
}

function fileViews(config: UpgradeConfig, files: ConfigFiles): FileView[] {
  const out: FileView[] = [];
  const add = (key: FileView['key'], rel: string | null, info: FileInfo | undefined, pinned: string | null): void => {
    if (rel === null) return;
    const view: FileView = { key, relPath: rel, hash: !info ? 'missing' : pinned === null ? 'not-pinned' : pinned === info.sha256 ? 'matches' : 'mismatch' };
    if (info) {
      view.size = info.size;
      view.sha256 = info.sha256;
    }
    if (pinned !== null) view.pinned = pinned;
    out.push(view);
  };
  add('FullSetup', config.upgrade.fullSetup, files.fullSetup, config.upgrade.fullSetupSha256);
  add('PatchFile', config.upgrade.patchFile, files.patchFile, config.upgrade.patchFileSha256);
  return out;
}

const ROWS_FOR_ITEMS = 20;

/**
 * One row per kind of desk: CurrentVersion, newer, each Patchable item (its
 * lowest version), and the highest older version no item matches. Every row is
 * the one `decide()` at `at`, for a desk with no name and nothing counted.
 */
export function decisionTable(config: UpgradeConfig, files: ConfigFiles, at: Date): DecisionTable {
  const current = config.upgrade.currentVersion;
  if (!current) return { rows: [], unavailable: 'no CurrentVersion' };
  const samples: { label: string; version: Version }[] = [{ label: 'CurrentVersion', version: current }];
  const newer = nextVersion(current);
  if (newer) samples.push({ label: 'newer', version: newer });
  const set = config.upgrade.patchable;
  for (let i = 0; i < Math.min(set.size, ROWS_FOR_ITEMS); i++) {
    if (!set.isEmpty(i)) samples.push({ label: `Patchable ${set.textOf(i)}`, version: set.item(i).lo });
  }
  const other = olderNotPatchable(config, current);
  if (other) samples.push({ label: 'older, not patchable', version: other });
  const rows: DecisionRow[] = [];
  try {
    for (const s of samples) rows.push({ label: s.label, sample: s.version.text, decision: decide(config, files, loginOf(s.version.text, at)) });
  } catch (err) {
    return { rows: [], unavailable: (err as Error).message };
  }
  return { rows, login: { name: '', at: at.toISOString() } };
}

/** The highest version below CurrentVersion that no Patchable item matches (interval arithmetic: a 20,000-item list is one sweep). */
function olderNotPatchable(config: UpgradeConfig, current: Version): Version | null {
  return gaps(coverageOf(config.upgrade.patchable), current, 1)[0]?.hi ?? null;
}
