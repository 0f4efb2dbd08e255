// The server's own watching, for editors that cannot watch files for it
// (Neovim on Linux: no workspace/didChangeWatchedFiles). One fs.watch per
// folder that matters (see watching.ts: a config's folder, its FileRoot, the
// folders of its setup files), never a whole tree; the set follows the
// configs as they are checked. Bursts of events (a copy, an atomic replace)
// are reported once, as the absolute paths that changed.
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

/** Starts watching one folder; `onEvent` gets the name of what changed in it (null: the folder itself). */
export type WatchFolder = (folder: string, onEvent: (name: string | null) => void, onError: (err: Error) => void) => { close(): void };

const nodeWatch: WatchFolder = (folder, onEvent, onError) => {
  const w: FSWatcher = watch(folder, { persistent: false }, (_event, name) => onEvent(name === null ? null : name.toString()));
  w.on('error', onError);
  return w;
};

export class FolderWatch {
  private readonly watching = new Map<string, { close(): void }>();
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private readonly failed = new Set<string>();

  constructor(
    private readonly onChange: (paths: string[]) => void,
    private readonly log: (message: string) => void,
    private readonly watchFolder: WatchFolder = nodeWatch,
    /** Events are gathered this long before they are reported. */
    private readonly quietMs = 50,
  ) {}

  /** Watches exactly these folders from now on (starting the new ones, stopping the others). */
  update(folders: Iterable<string>): void {
    const wanted = new Set(folders);
    for (const [folder, w] of this.watching) {
      if (wanted.has(folder)) continue;
      w.close();
      this.watching.delete(folder);
    }
    for (const folder of wanted) {
      if (this.watching.has(folder)) continue;
      try {
        const w = this.watchFolder(
          folder,
          (name) => this.changed(name === null ? folder : join(folder, name)),
          (err) => this.lost(folder, err),
        );
        this.watching.set(folder, w);
        this.failed.delete(folder);
      } catch (err) {
        // A folder that does not exist (yet) is watched once it does: the next update tries again.
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && !this.failed.has(folder)) this.log(`cannot watch ${folder} (${code ?? (err as Error).message}): its files are checked again when the config is saved`);
        this.failed.add(folder);
      }
    }
  }

  /** The folders watched now. */
  get folders(): string[] {
    return [...this.watching.keys()].sort();
  }

  dispose(): void {
    for (const w of this.watching.values()) w.close();
    this.watching.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private changed(path: string): void {
    this.pending.add(path);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      const paths = [...this.pending];
      this.pending = new Set();
      this.onChange(paths);
    }, this.quietMs);
  }

  /** A watcher that failed (its folder removed, say) is dropped; the folder's own change is reported. */
  private lost(folder: string, err: Error): void {
    this.watching.get(folder)?.close();
    this.watching.delete(folder);
    this.log(`stopped watching ${folder}: ${err.message}`);
    this.changed(folder);
  }
}
