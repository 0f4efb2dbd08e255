// MaxTransfers concurrent transfers; everyone else waits in a fair FIFO and
// is told their place whenever it changes.

export interface Waiter {
  /** Called when the slot is granted. */
  start(): void;
  /** Called with the 1-based place in line whenever it changes. */
  position(place: number): void;
}

export class TransferQueue {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private limit: number) {}

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  setLimit(limit: number): void {
    this.limit = limit;
    this.pump();
  }

  /** Starts at once when a slot is free, else queues and reports the place. */
  enter(w: Waiter): void {
    if (this.active < this.limit && this.waiting.length === 0) {
      this.active++;
      w.start();
      return;
    }
    this.waiting.push(w);
    w.position(this.waiting.length);
  }

  /** A waiter that leaves the line (its connection closed). */
  leave(w: Waiter): void {
    const i = this.waiting.indexOf(w);
    if (i === -1) return;
    this.waiting.splice(i, 1);
    for (let k = i; k < this.waiting.length; k++) this.waiting[k].position(k + 1);
  }

  /** A running transfer finished or failed. */
  release(): void {
    this.active = Math.max(0, this.active - 1);
    this.pump();
  }

  private pump(): void {
    let moved = false;
    while (this.active < this.limit && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      this.active++;
      next.start();
      moved = true;
    }
    if (moved) this.waiting.forEach((w, k) => w.position(k + 1));
  }
}
