// The file checks of spec section 4 (the only I/O of the model): FileRoot
// confinement with symlinks resolved, existence, and SHA-256. Hashes are
// cached by (real path, size, mtime, ctime, inode) so an editor re-check costs a stat.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Analysis } from './analyze';
import type { ConfigFiles, Diagnostic, EntryNode, FileInfo, UpgradeConfig } from './types';
import { insertEntryEdit } from './edits';

export interface FileCheckResult {
  diagnostics: Diagnostic[];
  files: ConfigFiles;
  /** FileRoot, absolute (symlinks resolved when it exists). */
  fileRoot: string;
  /** The rollout state file, absolute (spec 8); null for `StateFile = None`. */
  stateFile: string | null;
}

/** Where the state file of the config at `iniPath` lives: relative to the .ini's folder, or absolute; null for `None`. */
export function resolveStateFile(config: UpgradeConfig, iniPath: string): string | null {
  const written = config.server.stateFile;
  if (written === null) return null;
  return resolve(dirname(resolve(iniPath)), written.replace(/\\/g, '/'));
}

/** `[Server] StateFile`: its folder must exist (the file itself need not), and it must not be a folder. */
async function checkStateFile(analysis: Analysis, path: string | null): Promise<Diagnostic | null> {
  const entry = analysis.entries.get('server.statefile');
  if (path === null) return null;
  const span = entry ? entry.rawValueSpan : { start: 0, end: 0 };
  const folder = dirname(path);
  const where = entry ? '' : ' (the default StateFile, upgrade-state.json next to this .ini)';
  try {
    if (!(await fs.stat(folder)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : `cannot be read (${code ?? 'error'})`;
    return { code: 'state-folder-not-found', severity: 'error', span, message: `The folder of StateFile${where}, ${folder}, ${why}: create it, or point StateFile at an existing folder (None keeps the state in memory only)` };
  }
  try {
    if ((await fs.stat(path)).isDirectory()) {
      return { code: 'not-a-file', severity: 'error', span, message: `StateFile ${path} is a folder: name a file in it, e.g. ${join(path, 'upgrade-state.json')}` };
    }
  } catch {
    // No file yet: the server creates it at its first save.
  }
  return null;
}

export interface HashCache {
  get(key: string): string | undefined;
  set(key: string, sha256: string): void;
  /** Told of each hash actually computed (not of cache hits or shared runs). */
  computed?(path: string, bytes: number, ms: number): void;
}

export function createHashCache(limit = 64, computed?: HashCache['computed']): HashCache {
  const map = new Map<string, string>();
  return {
    get: (key) => map.get(key),
    set(key, value) {
      if (map.size >= limit) map.delete(map.keys().next().value as string);
      map.set(key, value);
    },
    computed,
  };
}

/** Hashes in progress, by cache key: checks that overlap (an editor
 *  re-validating while a 300 MB setup is still being read) wait for the one
 *  run instead of reading the file again each. */
const inFlight = new Map<string, Promise<string>>();

function hashShared(path: string, size: number, key: string, cache: HashCache): Promise<string> {
  const running = inFlight.get(key);
  if (running) return running;
  const started = Date.now();
  const run = sha256File(path)
    .then((sha) => {
      cache.set(key, sha);
      cache.computed?.(path, size, Date.now() - started);
      return sha;
    })
    .finally(() => inFlight.delete(key));
  inFlight.set(key, run);
  return run;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const sharedCache = createHashCache();

export async function checkFiles(analysis: Analysis, iniPath: string, cache: HashCache = sharedCache): Promise<FileCheckResult> {
  const { config, entries, doc } = analysis;
  const diagnostics: Diagnostic[] = [];
  const files: ConfigFiles = {};
  const stateFile = resolveStateFile(config, iniPath);
  const stateProblem = await checkStateFile(analysis, stateFile);
  if (stateProblem) diagnostics.push(stateProblem);
  const rootEntry = entries.get('server.fileroot');
  const written = resolve(dirname(resolve(iniPath)), config.server.fileRoot.replace(/\\/g, '/'));
  let fileRoot = written;
  try {
    fileRoot = await fs.realpath(written);
    if (!(await fs.stat(fileRoot)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch {
    diagnostics.push({
      code: 'file-root-not-found',
      severity: 'error',
      span: rootEntry ? rootEntry.rawValueSpan : { start: 0, end: 0 },
      message: `FileRoot ${written} is not a folder that exists: create it or correct FileRoot (it is relative to the folder of this .ini file)`,
    });
    return { diagnostics, files, fileRoot: written, stateFile };
  }

  const upgradeSection = analysis.sections.get('upgrade');
  const check = async (key: 'FullSetup' | 'PatchFile', rel: string | null, expected: string | null): Promise<void> => {
    const entry = entries.get(`upgrade.${key.toLowerCase()}`);
    if (rel === null || !entry) return;
    const shaEntry = entries.get(`upgrade.${key.toLowerCase()}sha256`);
    const at = entry.rawValueSpan;
    const target = resolve(fileRoot, rel.replace(/\\/g, '/'));
    let real: string;
    try {
      real = await fs.realpath(target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      diagnostics.push({
        code: code === 'ENOENT' || code === 'ENOTDIR' ? 'file-not-found' : 'file-unreadable',
        severity: 'error',
        span: at,
        message:
          code === 'ENOENT' || code === 'ENOTDIR'
            ? `${key} ${rel} was not found in FileRoot (${fileRoot}): copy the file there or correct the name`
            : `${key} ${rel} cannot be read (${code ?? 'error'}): check its permissions`,
      });
      return;
    }
    if (!inside(fileRoot, real)) {
      diagnostics.push({
        code: 'path-outside-root',
        severity: 'error',
        span: at,
        message: `${key} ${rel} is a link to ${real}, outside FileRoot: the server never sends a file outside FileRoot. Copy the file into FileRoot`,
      });
      return;
    }
    let stat;
    try {
      stat = await fs.stat(real);
    } catch (err) {
      diagnostics.push({ code: 'file-unreadable', severity: 'error', span: at, message: `${key} ${rel} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    if (!stat.isFile()) {
      diagnostics.push({ code: 'not-a-file', severity: 'error', span: at, message: `${key} ${rel} is a folder, not a file: name the setup file itself` });
      return;
    }
    // Inode and ctime too: cp -p, rsync -t and unzip keep size and mtime.
    const cacheKey = `${real}\0${stat.size}\0${stat.mtimeMs}\0${stat.ctimeMs}\0${stat.ino}`;
    let sha = cache.get(cacheKey);
    if (!sha) {
      try {
        sha = await hashShared(real, stat.size, cacheKey, cache);
      } catch (err) {
        diagnostics.push({ code: 'file-unreadable', severity: 'error', span: at, message: `${key} ${rel} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
        return;
      }
    }
    const info: FileInfo = { key, relPath: rel, absPath: real, size: stat.size, sha256: sha, mtimeMs: stat.mtimeMs };
    if (key === 'FullSetup') files.fullSetup = info;
    else files.patchFile = info;
    if (expected !== null && expected !== sha) {
      diagnostics.push(hashMismatch(shaEntry as EntryNode, key, rel, sha));
    } else if (!shaEntry && upgradeSection) {
      diagnostics.push({
        code: 'missing-sha256',
        severity: 'hint',
        span: entry.keySpan,
        message: `${key}Sha256 is not set: pin the file's hash (${sha.slice(0, 12)}...) so that a replaced file is noticed before it is served`,
        fixes: [{ title: `Add ${key}Sha256 = ${sha.slice(0, 12)}...`, edits: [insertEntryEdit(doc, upgradeSection, `${key}Sha256 = ${sha}`)], preferred: true }],
      });
    }
  };

  await check('FullSetup', config.upgrade.fullSetup, config.upgrade.fullSetupSha256);
  await check('PatchFile', config.upgrade.patchFile, config.upgrade.patchFileSha256);
  const conflict = await stateFileConflict(analysis, stateFile, iniPath, files);
  if (conflict) diagnostics.push(conflict);
  return { diagnostics, files, fileRoot, stateFile };
}

/** A StateFile that names this .ini or a served setup file: the server's first save would overwrite it. */
async function stateFileConflict(analysis: Analysis, stateFile: string | null, iniPath: string, files: ConfigFiles): Promise<Diagnostic | null> {
  const entry = analysis.entries.get('server.statefile');
  if (stateFile === null || !entry) return null;
  const real = async (p: string): Promise<string> => fs.realpath(p).catch(() => resolve(p));
  const state = await real(stateFile);
  const taken: [string, string][] = [[await real(iniPath), 'this .ini file']];
  if (files.fullSetup) taken.push([files.fullSetup.absPath, `FullSetup (${files.fullSetup.relPath})`]);
  if (files.patchFile) taken.push([files.patchFile.absPath, `PatchFile (${files.patchFile.relPath})`]);
  const hit = taken.find(([p]) => p === state);
  if (!hit) return null;
  return {
    code: 'state-file-conflict',
    severity: 'error',
    span: entry.rawValueSpan,
    message: `StateFile is ${hit[1]}: the server rewrites the state file about once a second and would overwrite it. Name a file of its own, e.g. upgrade-state.json`,
  };
}

function hashMismatch(entry: EntryNode, key: string, rel: string, actual: string): Diagnostic {
  return {
    code: 'hash-mismatch',
    severity: 'error',
    span: entry.rawValueSpan,
    message: `${key}Sha256 does not match ${rel}: the file's SHA-256 is ${actual}. If the file was replaced on purpose, write its new hash; otherwise restore the right file`,
    fixes: [{ title: `Write the file's hash (${actual.slice(0, 12)}...)`, edits: [{ span: entry.rawValueSpan, newText: actual }], preferred: true }],
  };
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
