// The files the server sends are private copies taken when a config loads,
// hashed after copying. A setup file replaced or rewritten on disk while a
// client downloads can therefore never mix old and new bytes: the transfer
// finishes from the snapshot it announced, and the new file is offered only
// once a reload has copied and hashed it again.
import { constants, promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import { sha256File, type FileInfo } from '../config';

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

  private async folder(): Promise<string> {
    if (!this.dir) this.dir = await fs.mkdtemp(join(tmpdir(), 'nsupgrade-files-'));
    return this.dir;
  }

  /** A snapshot of a file whose hash the config load computed; reused when the content is the same. */
  async take(info: FileInfo): Promise<Snapshot> {
    const name = basename(info.relPath.replace(/\\/g, '/'));
    const existing = this.refs.get(key(name, info.sha256));
    if (existing) {
      existing.users++;
      return existing.snapshot;
    }
    const path = join(await this.folder(), `${++this.counter}-${basename(info.absPath)}`);
    await fs.copyFile(info.absPath, path, constants.COPYFILE_FICLONE);
    const sha256 = await sha256File(path);
    const { size } = await fs.stat(path);
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
