// MaxTransfers concurrent transfers; everyone else waits in a fair FIFO and
// is told their place. A client learns its place when it enters the line;
// after that, places are sent again at most once per `updateMs`, and only to
// those whose place changed: re-telling every waiter on every freed slot
// would cost O(n) writes per transfer, O(n^2) to drain the line. The policy
// itself (who starts, in what order) is FifoSlots, shared with the planner.
import { FifoSlots } from './fifoSlots';

export interface Waiter {
  /** Called when the slot is granted. */
  start(): void;
  /** Called with the 1-based place in line. */
  position(place: number): void;
}

export class TransferQueue {
  private readonly slots: FifoSlots<Waiter>;
  private readonly told = new Map<Waiter, number>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    limit: number,
    private readonly updateMs = 1000,
  ) {
    this.slots = new FifoSlots<Waiter>(limit);
  }

  get running(): number {
    return this.slots.running;
  }

  get queued(): number {
    return this.slots.queued;
  }

  setLimit(limit: number): void {
    if (this.closed) return;
    this.started(this.slots.setLimit(limit));
  }

  /** Starts at once when a slot is free, else queues and reports the place. */
  enter(w: Waiter): void {
    if (this.closed) return;
    if (this.slots.enter(w)) {
      w.start();
      return;
    }
    const place = this.slots.queued;
    this.told.set(w, place);
    w.position(place);
  }

  /** A waiter that leaves the line (its connection closed). */
  leave(w: Waiter): void {
    if (!this.slots.leave(w)) return;
    this.told.delete(w);
    this.scheduleUpdate();
  }

  /** A running transfer finished or failed. */
  release(): void {
    const next = this.slots.release();
    if (!this.closed) this.started(next);
  }

  /** Stops the line for good (shutdown): nobody waiting starts any more. */
  clear(): void {
    this.closed = true;
    this.slots.clear();
    this.told.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private started(waiters: readonly Waiter[]): void {
    for (const w of waiters) {
      this.told.delete(w);
      w.start();
    }
    if (waiters.length > 0) this.scheduleUpdate();
  }

  private scheduleUpdate(): void {
    if (this.timer || this.slots.queued === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.slots.waiting().forEach((w, k) => {
        if (this.told.get(w) !== k + 1) {
          this.told.set(w, k + 1);
          w.position(k + 1);
        }
      });
    }, this.updateMs);
    this.timer.unref();
  }
}
