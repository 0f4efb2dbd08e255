// Each connection costs the process a file handle, and so does each running
// transfer's file. When the process runs out (`ulimit -n`, often 1024), the
// kernel refuses the accept and libuv drops the waiting connections with a bare
// reset: the client cannot tell a full server from a broken one, and the log
// says nothing. So the server learns the limit at start and refuses a
// connection with `server-busy` while it still has handles to say so.
import { readdirSync, readFileSync } from 'node:fs';

/** The process's soft limit on open files, where the platform says it (Linux); null: unknown or unlimited. */
export function openFileLimit(): number | null {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m && m[1] !== 'unlimited' ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function countOpenFiles(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Handles kept free for what the server opens besides connections: the
 *  state file, the log, the copies of a reload, the refusal itself. */
export const RESERVED_HANDLES = 64;

export class FileHandleBudget {
  private open = 0;
  private measuredAt = -Infinity;
  private since = 0;

  /**
   * @param limit the process's open-file limit
   * @param reserve handles that must stay free (RESERVED_HANDLES and room for transfers to start)
   * @param count how many are open now (a directory listing: done at most every 250 ms, or when near the limit)
   */
  constructor(
    readonly limit: number,
    private readonly reserve: () => number,
    private readonly count: () => number = countOpenFiles,
  ) {}

  /** How many handles the process has open now (measured). */
  measure(): number {
    this.open = this.count();
    this.measuredAt = Date.now();
    this.since = 0;
    return this.open;
  }

  /** For each new connection (its handle is open already): true when it leaves fewer than the reserve free. */
  short(): boolean {
    const room = this.limit - this.reserve();
    // Counted since the last listing is an estimate (closes are not seen): list again when it is old or says "full".
    if (Date.now() - this.measuredAt > 250 || this.open + this.since + 1 > room) this.measure();
    else this.since++;
    return this.open + this.since > room;
  }
}

/** A budget for this process, or null where the limit is unknown (connections are then capped by maxConnections only). */
export function fileHandleBudget(reserve: () => number): FileHandleBudget | null {
  const limit = openFileLimit();
  if (limit === null) return null;
  try {
    countOpenFiles();
  } catch {
    return null;
  }
  return new FileHandleBudget(limit, reserve);
}
