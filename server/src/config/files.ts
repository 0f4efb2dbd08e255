// The file checks of spec section 4 (the only I/O of the model): FileRoot
// confinement with symlinks resolved, existence, and SHA-256. Hashes are
// cached by (real path, size, mtime, ctime, inode) so an editor re-check costs a stat.
//
// A file is opened once and everything after (where it is, its size, its
// hash; the server's copy) is read from that handle: a name checked and then
// opened again can be swapped for a link to anywhere in between.
import { createHash } from 'node:crypto';
import { constants, promises as fs, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Analysis } from './analyze';
import type { ConfigFiles, Diagnostic, EntryNode, FileInfo, Fix, UpgradeConfig } from './types';
import { insertEntryEdit } from './edits';
import { closeFiles } from './fileSuggest';

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

function hashShared(handle: fs.FileHandle, path: string, size: number, key: string, cache: HashCache): Promise<string> {
  const running = inFlight.get(key);
  if (running) return running;
  const started = Date.now();
  const run = sha256Handle(handle)
    .then((sha) => {
      cache.set(key, sha);
      cache.computed?.(path, size, Date.now() - started);
      return sha;
    })
    .finally(() => inFlight.delete(key));
  inFlight.set(key, run);
  return run;
}

/** Reads a whole open file from its start in 1 MiB blocks; `each` sees every block (valid until the next). */
export async function readHandle(handle: fs.FileHandle, each: (block: Buffer) => void | Promise<void>): Promise<number> {
  const block = Buffer.allocUnsafe(1 << 20);
  let position = 0;
  for (;;) {
    const { bytesRead } = await handle.read(block, 0, block.length, position);
    if (bytesRead === 0) return position;
    position += bytesRead;
    await each(block.subarray(0, bytesRead));
  }
}

export async function sha256Handle(handle: fs.FileHandle): Promise<string> {
  const hash = createHash('sha256');
  await readHandle(handle, (b) => void hash.update(b));
  return hash.digest('hex');
}

export async function sha256File(path: string): Promise<string> {
  const handle = await fs.open(path, 'r');
  try {
    return await sha256Handle(handle);
  } finally {
    await handle.close();
  }
}

/** Why a file was refused by openInside; `code` as in Node's errors. */
export class OpenInsideError extends Error {
  constructor(
    readonly code: 'ELOOP' | 'EOUTSIDE' | 'ENOTFILE' | 'EMOVED',
    message: string,
  ) {
    super(message);
  }
}

// No-follow where the platform has it (0 elsewhere); non-blocking so that a
// FIFO put in place of a setup file cannot hang the open.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Opens `realPath` (symlinks resolved by the caller) once and checks the
 * handle, not the name: a link at the last component is refused (no-follow),
 * the open file must be a regular file, and it must be inside `root`: on
 * Linux by where the kernel says the handle points (/proc/self/fd), elsewhere
 * by the inode behind the name being the handle's. The caller reads
 * everything else from the handle and closes it.
 */
export async function openInside(root: string, realPath: string): Promise<{ handle: fs.FileHandle; stat: Stats }> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(realPath, OPEN_FLAGS);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new OpenInsideError('ELOOP', 'it became a link after it was checked');
    throw err;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new OpenInsideError('ENOTFILE', 'it is not a regular file');
    let where: string | null = null;
    try {
      where = await fs.realpath(`/proc/self/fd/${handle.fd}`);
    } catch {
      where = null;
    }
    if (where !== null && where.startsWith('/proc/')) where = null;
    if (where !== null) {
      if (!inside(root, where)) throw new OpenInsideError('EOUTSIDE', 'it leads outside FileRoot');
    } else {
      const named = await fs.stat(realPath);
      if (named.ino !== stat.ino || named.dev !== stat.dev) throw new OpenInsideError('EMOVED', 'it was replaced while it was opened');
    }
    return { handle, stat };
  } catch (err) {
    await handle.close();
    throw err;
  }
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
    await fs.access(fileRoot, constants.R_OK | constants.X_OK);
  } catch (err) {
    diagnostics.push({
      code: 'file-root-not-found',
      severity: 'error',
      span: rootEntry ? rootEntry.rawValueSpan : { start: 0, end: 0 },
      message: fileRootProblem(written, (err as NodeJS.ErrnoException).code),
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
      const missing = code === 'ENOENT' || code === 'ENOTDIR';
      const other = key === 'FullSetup' ? config.upgrade.patchFile : config.upgrade.fullSetup;
      diagnostics.push({
        code: missing ? 'file-not-found' : 'file-unreadable',
        severity: 'error',
        span: at,
        message: missing
          ? `${key} ${rel} was not found in FileRoot (${fileRoot}): copy the file there or correct the name`
          : `${key} ${rel} cannot be read (${code ?? 'error'}): check its permissions`,
        ...(missing ? { fixes: renameFixes(entry, rel, await filesIn(fileRoot), other) } : {}),
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
    let opened: { handle: fs.FileHandle; stat: Stats };
    try {
      opened = await openInside(fileRoot, real);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOTFILE' || e.code === 'EISDIR') {
        diagnostics.push({ code: 'not-a-file', severity: 'error', span: at, message: (await isFolder(real)) ? `${key} ${rel} is a folder, not a file: name the setup file itself` : `${key} ${rel} is not a regular file (a pipe or a device): name the setup file itself` });
      } else if (err instanceof OpenInsideError) {
        diagnostics.push({ code: 'path-outside-root', severity: 'error', span: at, message: `${key} ${rel} cannot be served: ${err.message}. The server never sends a file outside FileRoot` });
      } else {
        diagnostics.push({ code: 'file-unreadable', severity: 'error', span: at, message: `${key} ${rel} cannot be read (${e.code ?? 'error'})` });
      }
      return;
    }
    const { handle, stat } = opened;
    let sha: string | undefined;
    try {
      // Inode and ctime too: cp -p, rsync -t and unzip keep size and mtime.
      const cacheKey = `${real}\0${stat.size}\0${stat.mtimeMs}\0${stat.ctimeMs}\0${stat.ino}`;
      sha = cache.get(cacheKey) ?? (await hashShared(handle, real, stat.size, cacheKey, cache));
    } catch (err) {
      diagnostics.push({ code: 'file-unreadable', severity: 'error', span: at, message: `${key} ${rel} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    } finally {
      await handle.close();
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

/** At most this many names are read from FileRoot for a missing file's fixes (a FileRoot may be a big share). */
const LISTED = 500;

/** The files under `root` (two folders deep, at most LISTED), relative and `/` separated; [] when it cannot be read. */
async function filesIn(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= LISTED) return;
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < 2) await walk(full, depth + 1);
      } else if (e.isFile() || (e.isSymbolicLink() && (await linksToFileInside(root, full)))) out.push(relative(root, full).split(sep).join('/'));
    }
  };
  await walk(root, 0);
  return out;
}

/** A link that a fix may name: to a file, inside FileRoot (else the fix would only bring another error). */
async function linksToFileInside(root: string, link: string): Promise<boolean> {
  try {
    const real = await fs.realpath(link);
    return inside(root, real) && (await fs.stat(real)).isFile();
  } catch {
    return false;
  }
}

/** "Use NP_Update.exe": a missing setup file's fixes, the files of FileRoot it probably meant (fileSuggest.ts). */
function renameFixes(entry: EntryNode, rel: string, files: readonly string[], other: string | null): Fix[] {
  const found = closeFiles(rel, files, { exclude: other ? [other] : [] });
  // Preferred (applied without asking) only when one file alone is close by name: never a guess between two.
  const clear = found[0]?.close === true && found[1]?.close !== true;
  return found.flatMap((s, i) => {
    if (s.path.includes('"')) return [];
    // Quoted when the value was, or when the name would read otherwise (a blank before ; or #, blanks at the ends).
    const quote = entry.quoted || /\s[;#]|^\s|\s$|^"/.test(s.path);
    const span = entry.quoted ? entry.valueSpan : entry.rawValueSpan;
    const newText = quote && !entry.quoted ? `"${s.path}"` : s.path;
    return [{ title: `Use ${s.path} (in FileRoot)`, edits: [{ span, newText }], preferred: i === 0 && clear }];
  });
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

/** What is wrong with FileRoot, from the error code of resolving, opening or statting it. */
export function fileRootProblem(written: string, code: string | undefined): string {
  const fix = 'correct FileRoot (it is relative to the folder of this .ini file)';
  switch (code) {
    case 'ENOENT':
      return `FileRoot ${written} does not exist: create it or ${fix}`;
    case 'ENOTDIR':
      return `FileRoot ${written} is not a folder (it, or a part of its path, is a file): ${fix}`;
    case 'ELOOP':
      return `FileRoot ${written} is a loop of symbolic links: point the link at a real folder or ${fix}`;
    case 'EACCES':
    case 'EPERM':
      return `FileRoot ${written} cannot be opened: permission denied (the server's user must be able to read and enter it)`;
    default:
      return `FileRoot ${written} cannot be opened (${code ?? 'error'}): ${fix}`;
  }
}

async function isFolder(path: string): Promise<boolean> {
  return fs.stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
