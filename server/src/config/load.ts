// Reading a config from disk: bytes -> text -> analysis + file checks. What
// the CLI prints, the editor shows and the upgrade server refuses to serve
// is this one LoadedConfig.
import { closeSync, openSync, promises as fs, readSync } from 'node:fs';
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

/**
 * The most of an upgrade.ini (or a fleet file) ever read: 16 MiB, thousands of
 * times a real one (a few KB). A bigger file, /dev/zero or /dev/urandom is
 * refused after reading at most this much, not read until memory runs out.
 */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** A file over MAX_INPUT_BYTES; `code` lets cannotRead word it like the system's errors. */
export class InputTooLargeError extends Error {
  readonly code = 'EFBIG';
  constructor(readonly max: number) {
    super(`it is larger than ${max / (1024 * 1024)} MiB, far more than any upgrade.ini or fleet file (is it the right file?)`);
  }
}

const CHUNK = 1 << 20;

/** The bytes of `path`, at most `max` of them: more is an InputTooLargeError (thrown after reading max + 1 bytes, or at once when the size says so). */
export async function readBounded(path: string, max = MAX_INPUT_BYTES): Promise<Buffer> {
  const handle = await fs.open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > max) throw new InputTooLargeError(max);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // Devices and pipes say size 0: read in chunks, one byte past the limit at most.
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, max + 1 - total));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return Buffer.concat(chunks, total);
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > max) throw new InputTooLargeError(max);
    }
  } finally {
    await handle.close();
  }
}

/** readBounded for the synchronous callers (a fleet file read while parsing its spec). */
export function readBoundedSync(path: string, max = MAX_INPUT_BYTES): Buffer {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, max + 1 - total));
      const bytesRead = readSync(fd, buf, 0, buf.length, null);
      if (bytesRead === 0) return Buffer.concat(chunks, total);
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > max) throw new InputTooLargeError(max);
    }
  } finally {
    closeSync(fd);
  }
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
  if (err instanceof InputTooLargeError) return `cannot read ${path}: ${err.message}`;
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
  const bytes = await readBounded(path);
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
