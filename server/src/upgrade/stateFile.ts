// The rollout state file (spec section 8): read once at start, written by
// replacing the whole file atomically (temporary file in the same folder,
// flushed to disk, renamed over the old one), at most once a second and at
// shutdown. A kill at any moment leaves the old file or the new one, never
// half of one. A file that cannot be read is set aside and reported; the
// server then starts with empty state rather than refuse to serve.
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { StateData } from './rolloutState';

export type StateRead =
  | { kind: 'missing' }
  | { kind: 'ok'; data: StateData }
  /** `setAside`: where the unreadable file went; null when it could not be moved either. */
  | { kind: 'corrupt'; message: string; setAside: string | null };

/** Temporary files of this state file: `NAME.PID.N.tmp` (left behind only by a killed process). */
function isTempOf(path: string, name: string): boolean {
  const base = basename(path);
  return name.startsWith(`${base}.`) && /^\.\d+\.\d+\.tmp$/.test(name.slice(base.length));
}

/** Whether `name` (a file in the state file's folder) is the state file or one of its own files. */
export function isStateFileName(path: string, name: string): boolean {
  const base = basename(path);
  return name === base || isTempOf(path, name) || name.startsWith(`${base}.corrupt-`);
}

let tempCounter = 0;

/** Replaces `path` with `text` atomically: whoever reads it sees the old or the new text, whole. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${tempCounter++}.tmp`;
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    // On disk before the rename: else a power cut could leave the new name on empty blocks.
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  // The rename itself is on disk once the folder is flushed (POSIX; Windows cannot open a folder).
  try {
    const folder = await fs.open(dirname(path), 'r');
    await folder.sync().catch(() => undefined);
    await folder.close();
  } catch {
    // Best effort.
  }
}

/** Reads the state file; a missing file is empty state, an unreadable one is set aside. */
export async function readStateFile(path: string, now: Date): Promise<StateRead> {
  await removeStaleTemps(path);
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return { kind: 'missing' };
    return setAside(path, now, e.code === 'EISDIR' ? 'it is a folder' : (e.code ?? e.message));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return setAside(path, now, `not JSON: ${(err as Error).message}`);
  }
  const problem = checkState(json);
  if (problem) return setAside(path, now, problem);
  return { kind: 'ok', data: json as StateData };
}

/** Temporary files of a process killed while saving: never the state, always safe to drop. */
async function removeStaleTemps(path: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dirname(path));
  } catch {
    return;
  }
  await Promise.all(names.filter((n) => isTempOf(path, n)).map((n) => fs.rm(join(dirname(path), n), { force: true }).catch(() => undefined)));
}

/** `upgrade-state.json.corrupt-2026-03-03T09-00-00Z` (no colons: Windows forbids them in names). */
async function setAside(path: string, now: Date, message: string): Promise<StateRead> {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
  for (let n = 1; n < 100; n++) {
    const target = `${path}.corrupt-${stamp}${n === 1 ? '' : `-${n}`}`;
    try {
      await fs.access(target);
      continue;
    } catch {
      // Free: take it.
    }
    try {
      await fs.rename(path, target);
      return { kind: 'corrupt', message, setAside: target };
    } catch {
      break;
    }
  }
  return { kind: 'corrupt', message, setAside: null };
}

const ACTIONS = ['allow', 'reject', 'patch', 'full'];
const OUTCOMES = ['let-in', 'rejected', 'offered', 'declined', 'downloaded', 'upgraded', 'restart-required', 'failed'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): boolean => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** What is wrong with a parsed state file, or null; says where. */
export function checkState(json: unknown): string | null {
  if (!isObject(json) || json.nsupgradeState !== 1) return 'not an nsupgrade state file (no "nsupgradeState": 1)';
  const r = json.rollout;
  if (r !== null) {
    if (!isObject(r)) return '"rollout" must be an object or null';
    if (typeof r.currentVersion !== 'string') return 'rollout.currentVersion must be a string';
    if (!isCount(r.failures)) return 'rollout.failures must be a whole number';
    if (!Array.isArray(r.offers)) return 'rollout.offers must be a list';
    const bad = r.offers.findIndex((o) => !Array.isArray(o) || o.length !== 2 || typeof o[0] !== 'string' || !isTime(o[1]));
    if (bad !== -1) return `rollout.offers[${bad}] must be [name, time]`;
    if (r.pausedAt !== undefined && !isTime(r.pausedAt)) return 'rollout.pausedAt must be a time';
  }
  if (!Array.isArray(json.clients)) return '"clients" must be a list';
  for (let i = 0; i < json.clients.length; i++) {
    const problem = checkClient(json.clients[i]);
    if (problem) return `clients[${i}]: ${problem}`;
  }
  return null;
}

function checkClient(c: unknown): string | null {
  if (!isObject(c)) return 'not an object';
  for (const k of ['name', 'address', 'version'] as const) if (typeof c[k] !== 'string') return `${k} must be a string`;
  if (!isTime(c.lastLogin)) return 'lastLogin must be a time';
  const d = c.decision;
  if (!isObject(d) || !ACTIONS.includes(d.action as string) || typeof d.reason !== 'string') return 'decision must have an action and a reason';
  if (c.outcome !== undefined && !OUTCOMES.includes(c.outcome as string)) return `unknown outcome ${JSON.stringify(c.outcome)}`;
  return null;
}

export interface StateSaverOptions {
  path: string;
  /** The state as it is now (taken when a save starts, so a save writes the latest). */
  snapshot: () => StateData;
  /** A save failed (the state stays in memory; the next change tries again). */
  onError: (message: string) => void;
  /** Least time between the starts of two saves (default 1000 ms: spec section 8). */
  minIntervalMs?: number;
  /** Called after each save (tests count them). */
  onSaved?: (data: StateData) => void;
}

/** Saves the state after changes, at most once per `minIntervalMs`, and on `flush`. */
export class StateSaver {
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private saving: Promise<void> | null = null;
  private lastStart = -Infinity;
  private lastError = '';

  constructor(private readonly options: StateSaverOptions) {}

  /** Something changed: a save follows, no sooner than the interval after the last one. */
  changed(): void {
    this.dirty = true;
    if (this.timer || this.saving) return;
    const wait = Math.max(0, this.lastStart + (this.options.minIntervalMs ?? 1000) - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.save();
    }, wait);
    // A pending save never keeps a process alive: shutdown flushes.
    this.timer.unref();
  }

  /** Saves now if anything changed (shutdown), after a save in progress. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.saving) await this.saving;
    if (this.dirty) await this.save();
  }

  private save(): Promise<void> {
    this.dirty = false;
    this.lastStart = Date.now();
    const data = this.options.snapshot();
    this.saving = writeFileAtomic(this.options.path, `${JSON.stringify(data)}\n`)
      .then(
        () => {
          this.lastError = '';
          this.options.onSaved?.(data);
        },
        (err: NodeJS.ErrnoException) => {
          // Said once per kind of failure, not once a second while the disk stays full.
          // (the message names a temporary file that changes each time: compare the kinds).
          const kind = err.code ? `${err.code} ${err.syscall ?? ''}` : err.message;
          if (kind !== this.lastError) this.options.onError(err.code ? `${err.code}: ${err.message}` : err.message);
          this.lastError = kind;
          this.dirty = true;
        },
      )
      .finally(() => {
        this.saving = null;
        if (this.dirty) this.changed();
      });
    return this.saving;
  }
}
