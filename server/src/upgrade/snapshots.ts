// The files the server sends are private copies taken when a config loads,
// hashed after copying. A setup file replaced or rewritten on disk while a
// client downloads can therefore never mix old and new bytes: the transfer
// finishes from the snapshot it announced, and the new file is offered only
// once a reload has copied and hashed it again.
//
// The copy is read from one handle, opened without following a link and
// checked to lie inside FileRoot, and hashed in the same pass: a link swapped
// in after the config load checked the name is never followed.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import { openInside, readHandle, type FileInfo } from '../config';

export interface Snapshot {
  /** Base name shown to clients (never a server path). */
  name: string;
  /** The private copy. */
  path: string;
  size: number;
  sha256: string;
}

export class FileChangedError extends Error {}

const key = (name: string, sha256: string): string => `${sha256}/${name}`;

export class SnapshotStore {
  private dir: string | null = null;
  private counter = 0;
  /** Snapshots by name and sha256 (a renamed file must be offered under its
   *  new name), with the number of transfers and configs using each. */
  private readonly refs = new Map<string, { snapshot: Snapshot; users: number }>();

  /** @param parent where the store's own folder is made (default the system's temp folder) */
  constructor(private readonly parent: string = tmpdir()) {}

  private async folder(): Promise<string> {
    if (!this.dir) this.dir = await fs.mkdtemp(join(this.parent, 'nsupgrade-files-'));
    return this.dir;
  }

  /** A snapshot of a file (inside `root`) whose hash the config load computed; reused when the content is the same. */
  async take(info: FileInfo, root: string): Promise<Snapshot> {
    const name = basename(info.relPath.replace(/\\/g, '/'));
    const existing = this.refs.get(key(name, info.sha256));
    if (existing) {
      existing.users++;
      return existing.snapshot;
    }
    const path = join(await this.folder(), `${++this.counter}-${basename(info.absPath)}`);
    let source;
    try {
      source = await openInside(root, info.absPath);
    } catch (err) {
      // Whatever it is now, it is not what the load checked: load again.
      throw new FileChangedError(`${info.relPath} changed while it was being loaded (${(err as Error).message})`);
    }
    let sha256: string;
    let size: number;
    try {
      const out = await fs.open(path, 'wx', 0o600);
      try {
        const hash = createHash('sha256');
        size = await readHandle(source.handle, async (block) => {
          hash.update(block);
          await out.write(block);
        });
        sha256 = hash.digest('hex');
      } finally {
        await out.close();
      }
    } catch (err) {
      await fs.rm(path, { force: true });
      throw err;
    } finally {
      await source.handle.close();
    }
    if (sha256 !== info.sha256 || size !== info.size) {
      await fs.rm(path, { force: true });
      throw new FileChangedError(`${info.relPath} changed while it was being loaded`);
    }
    const snapshot: Snapshot = { name, path, size, sha256 };
    this.refs.set(key(name, sha256), { snapshot, users: 1 });
    return snapshot;
  }

  acquire(s: Snapshot): void {
    const r = this.refs.get(key(s.name, s.sha256));
    if (r) r.users++;
  }

  /** Drops one use; the copy is deleted when nobody uses it any more. */
  release(s: Snapshot): void {
    const k = key(s.name, s.sha256);
    const r = this.refs.get(k);
    if (!r) return;
    if (--r.users <= 0) {
      this.refs.delete(k);
      fs.rm(r.snapshot.path, { force: true }).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.refs.clear();
    if (this.dir) await fs.rm(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}
