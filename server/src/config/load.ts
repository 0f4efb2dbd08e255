// Reading a config from disk: bytes -> text -> analysis + file checks. What
// the CLI prints, the editor shows and the upgrade server refuses to serve
// is this one LoadedConfig.
import { promises as fs } from 'node:fs';
import { analyze, type Analysis } from './analyze';
import { checkFiles, type HashCache } from './files';
import { applySuppressions } from './suppress';
import { decodeBytes, type TextEncodingName } from './text';
import type { ConfigFiles, Diagnostic, UpgradeConfig } from './types';

/** A malformed …Sha256 whose file is on disk can be repaired with the file's real hash. */
function withHashFix(d: Diagnostic, analysis: Analysis, files: ConfigFiles): Diagnostic {
  for (const [key, info] of [['upgrade.fullsetupsha256', files.fullSetup], ['upgrade.patchfilesha256', files.patchFile]] as const) {
    const entry = analysis.entries.get(key);
    if (entry && info && entry.rawValueSpan.start === d.span.start) {
      return { ...d, fixes: [{ title: `Write the file's hash (${info.sha256.slice(0, 12)}...)`, edits: [{ span: entry.rawValueSpan, newText: info.sha256 }], preferred: true }] };
    }
  }
  return d;
}

/** Why a file could not be read, in the admin's words: "cannot read PATH: no such file". */
export function cannotRead(path: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const why: Record<string, string> = {
    ENOENT: 'no such file',
    ENOTDIR: 'no such file (a part of the path is not a folder)',
    EISDIR: 'it is a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ELOOP: 'too many symbolic links (a loop?)',
  };
  return `cannot read ${path}: ${(e.code && why[e.code]) ?? e.message ?? String(err)}`;
}

export interface LoadedConfig {
  path: string;
  text: string;
  encoding: TextEncodingName;
  analysis: Analysis;
  /** Every diagnostic: sections 1-4 and the file checks, sorted, suppressions applied. */
  diagnostics: Diagnostic[];
  config: UpgradeConfig;
  files: ConfigFiles;
  fileRoot: string;
  /** The rollout state file, absolute (spec 8: relative to the .ini's folder); null for `StateFile = None`. */
  stateFile: string | null;
  errorCount: number;
  /** No errors: the config may be served. */
  ok: boolean;
}

/** Reads and checks a config file. Throws only when the file cannot be read at all. */
export async function loadConfig(path: string, cache?: HashCache): Promise<LoadedConfig> {
  const bytes = await fs.readFile(path);
  const decoded = decodeBytes(bytes);
  if (decoded.error) {
    const analysis = analyze('');
    const diagnostics: Diagnostic[] = [{ code: 'bad-encoding', severity: 'error', span: { start: 0, end: 0 }, message: decoded.error }];
    return { path, text: '', encoding: decoded.encoding, analysis, diagnostics, config: analysis.config, files: {}, fileRoot: '', stateFile: null, errorCount: 1, ok: false };
  }
  const loaded = await loadConfigText(decoded.text, path, cache);
  if (decoded.warning === undefined) return { ...loaded, encoding: decoded.encoding };
  // Read as Windows-1252: one warning at 1:1, and every other check as usual.
  const ansi: Diagnostic = { code: 'ansi-encoding', severity: 'warning', span: { start: 0, end: 0 }, message: decoded.warning };
  const diagnostics = [...applySuppressions(loaded.analysis.doc, [ansi], loaded.analysis.suppressions), ...loaded.diagnostics];
  return { ...loaded, encoding: decoded.encoding, diagnostics };
}

/**
 * Checks text that belongs to the config file at `path` (e.g. an editor's
 * unsaved buffer). `analysis`, when given, must be `analyze(text)`: the
 * language server has it already for this document version.
 */
export async function loadConfigText(text: string, path: string, cache?: HashCache, analysis: Analysis = analyze(text)): Promise<LoadedConfig> {
  const fileResult = await checkFiles(analysis, path, cache);
  const withHashFixes = analysis.diagnostics.map((d) => (d.code === 'invalid-sha256' ? withHashFix(d, analysis, fileResult.files) : d));
  const diagnostics = withHashFixes.concat(applySuppressions(analysis.doc, fileResult.diagnostics, analysis.suppressions));
  diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const errorCount = diagnostics.reduce((n, d) => n + (d.severity === 'error' ? 1 : 0), 0);
  return {
    path,
    text,
    encoding: 'utf-8',
    analysis,
    diagnostics,
    config: analysis.config,
    files: fileResult.files,
    fileRoot: fileResult.fileRoot,
    stateFile: fileResult.stateFile,
    errorCount,
    ok: errorCount === 0,
  };
}
