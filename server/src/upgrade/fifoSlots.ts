// The transfer queue's policy alone: at most `limit` holders at once, everyone
// else waits in first-come order. No clock, no I/O, so the upgrade server (real
// time) and the planner (simulated time) share the one rule: a client that
// arrives while others wait never jumps the line, even if a slot is free.

export class FifoSlots<T> {
  private active = 0;
  // A line with a moving head: taking the first waiter is O(1), so draining
  // 10,000 waiters costs O(n), not O(n^2).
  private line: T[] = [];
  private head = 0;

  constructor(private limit: number) {}

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.line.length - this.head;
  }

  /** The waiters, first in line first. */
  waiting(): readonly T[] {
    return this.line.slice(this.head);
  }

  /** true: `item` holds a slot now; false: it waits (its place is `queued`). */
  enter(item: T): boolean {
    if (this.active < this.limit && this.queued === 0) {
      this.active++;
      return true;
    }
    this.line.push(item);
    return false;
  }

  /** A waiter that gives up its place; false when it was not waiting. */
  leave(item: T): boolean {
    const i = this.line.indexOf(item, this.head);
    if (i === -1) return false;
    this.line.splice(i, 1);
    return true;
  }

  /** A holder is done: returns the waiters that hold a slot now, in order. */
  release(): T[] {
    this.active = Math.max(0, this.active - 1);
    return this.fill();
  }

  /** A new limit (a reloaded config): returns the waiters that start now. */
  setLimit(limit: number): T[] {
    this.limit = limit;
    return this.fill();
  }

  /** Drops every waiter (shutdown). */
  clear(): void {
    this.line = [];
    this.head = 0;
  }

  private fill(): T[] {
    const started: T[] = [];
    while (this.active < this.limit && this.queued > 0) {
      const next = this.line[this.head];
      this.line[this.head++] = undefined as T;
      this.active++;
      started.push(next);
    }
    if (this.head > 1024 && this.head * 2 > this.line.length) {
      this.line = this.line.slice(this.head);
      this.head = 0;
    }
    return started;
  }
}
