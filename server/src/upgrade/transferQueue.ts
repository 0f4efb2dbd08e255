// MaxTransfers concurrent transfers; everyone else waits in a fair FIFO and
// is told their place. A client learns its place when it enters the line;
// after that, places are sent again at most once per `updateMs`, and only to
// those whose place changed: re-telling every waiter on every freed slot
// would cost O(n) writes per transfer, O(n^2) to drain the line.

export interface Waiter {
  /** Called when the slot is granted. */
  start(): void;
  /** Called with the 1-based place in line. */
  position(place: number): void;
}

export class TransferQueue {
  private active = 0;
  private readonly waiting: Waiter[] = [];
  private readonly told = new Map<Waiter, number>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private limit: number,
    private readonly updateMs = 1000,
  ) {}

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
    if (this.closed) return;
    if (this.active < this.limit && this.waiting.length === 0) {
      this.active++;
      w.start();
      return;
    }
    this.waiting.push(w);
    this.told.set(w, this.waiting.length);
    w.position(this.waiting.length);
  }

  /** A waiter that leaves the line (its connection closed). */
  leave(w: Waiter): void {
    const i = this.waiting.indexOf(w);
    if (i === -1) return;
    this.waiting.splice(i, 1);
    this.told.delete(w);
    this.scheduleUpdate();
  }

  /** A running transfer finished or failed. */
  release(): void {
    this.active = Math.max(0, this.active - 1);
    this.pump();
  }

  /** Stops the line for good (shutdown): nobody waiting starts any more. */
  clear(): void {
    this.closed = true;
    this.waiting.length = 0;
    this.told.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private pump(): void {
    if (this.closed) return;
    let moved = false;
    while (this.active < this.limit && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      this.told.delete(next);
      this.active++;
      next.start();
      moved = true;
    }
    if (moved) this.scheduleUpdate();
  }

  private scheduleUpdate(): void {
    if (this.timer || this.waiting.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.waiting.forEach((w, k) => {
        if (this.told.get(w) !== k + 1) {
          this.told.set(w, k + 1);
          w.position(k + 1);
        }
      });
    }, this.updateMs);
    this.timer.unref();
  }
}
