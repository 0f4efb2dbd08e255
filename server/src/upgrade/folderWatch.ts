// Live reload's eyes: the folders of the config and of FileRoot. Editors
// replace files by rename, so folders are watched, not files. A folder that
// cannot be watched (gone, replaced, out of watches) is said once as an error
// and tried again with a growing pause, so live reload never stops for good;
// when it is watched again the owner is told, since changes were missed.
import { statSync, watch, type FSWatcher } from 'node:fs';

export interface FolderWatchHooks {
  /** Something in `folder` changed (`name`: the entry, when the platform says). */
  changed(folder: string, name: string | null): void;
  /** `folder` cannot be watched (said once until it can again). */
  failed(folder: string, message: string): void;
  /** A folder that failed is watched again: changes may have been missed. */
  restored(folder: string): void;
}

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

function identity(folder: string): string | null {
  try {
    const s = statSync(folder);
    return s.isDirectory() ? `${s.dev}:${s.ino}` : null;
  } catch {
    return null;
  }
}

function why(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'it does not exist';
  if (e.code === 'ENOSPC') return 'the system is out of file watches (fs.inotify.max_user_watches)';
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  return e.code ? `${e.code}: ${e.message}` : String(e.message ?? err);
}

export class FolderWatch {
  private readonly watchers = new Map<string, { watcher: FSWatcher; identity: string }>();
  private readonly failing = new Set<string>();
  private wanted: string[] = [];
  private retryTimer: NodeJS.Timeout | null = null;
  private retryMs = FIRST_RETRY_MS;
  private closed = false;

  constructor(private readonly hooks: FolderWatchHooks) {}

  /** The folders watched now. */
  get folders(): string[] {
    return [...this.watchers.keys()];
  }

  /** Watches exactly `folders`: new ones are added, ones no longer wanted
   *  closed, and ones gone or replaced by another folder watched again. */
  set(folders: readonly string[]): void {
    if (this.closed) return;
    this.wanted = [...new Set(folders)];
    for (const [folder, entry] of this.watchers) {
      if (!this.wanted.includes(folder)) this.drop(folder, entry.watcher);
    }
    let missing = false;
    for (const folder of this.wanted) {
      const id = identity(folder);
      const entry = this.watchers.get(folder);
      if (entry && entry.identity === id) continue;
      if (entry) this.drop(folder, entry.watcher);
      if (id === null) {
        this.fail(folder, 'it does not exist or is not a folder');
        missing = true;
        continue;
      }
      try {
        const watcher = watch(folder, { persistent: false }, (_event, name) => this.hooks.changed(folder, name ? name.toString() : null));
        watcher.on('error', (err) => {
          this.drop(folder, watcher);
          this.fail(folder, why(err));
          this.retry();
        });
        this.watchers.set(folder, { watcher, identity: id });
        if (this.failing.delete(folder)) this.hooks.restored(folder);
      } catch (err) {
        this.fail(folder, why(err));
        missing = true;
      }
    }
    if (missing) this.retry();
    else this.retryMs = FIRST_RETRY_MS;
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const [folder, entry] of this.watchers) this.drop(folder, entry.watcher);
  }

  private drop(folder: string, watcher: FSWatcher): void {
    watcher.close();
    if (this.watchers.get(folder)?.watcher === watcher) this.watchers.delete(folder);
  }

  private fail(folder: string, message: string): void {
    if (this.failing.has(folder)) return;
    this.failing.add(folder);
    this.hooks.failed(folder, message);
  }

  private retry(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.set(this.wanted);
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }
}
