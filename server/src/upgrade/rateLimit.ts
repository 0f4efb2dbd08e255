// `[Server] MaxRate`: one token bucket shared by every transfer, so all of
// them together never send faster than the office link can spare beside its
// voice traffic. A chunk is released only when the bucket holds its bytes;
// takers may run the bucket into debt, so later chunks wait behind earlier
// ones (first come, first served) instead of all retrying at once.
import { Transform, type TransformCallback } from 'node:stream';
import { HEADER_BYTES } from './codec';

export class TokenBucket {
  private tokens: number;
  private last: number;

  /**
   * @param rate bytes per second
   * @param burst the most bytes sent at once after an idle spell (one chunk:
   *   the rate holds over any stretch longer than a chunk's time)
   * @param now milliseconds on a monotonic clock (tests pass their own)
   */
  constructor(
    private rate: number,
    private burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  get bytesPerSecond(): number {
    return this.rate;
  }

  /** A reloaded MaxRate: what is owed is paid at the new rate. */
  setRate(rate: number, burst: number): void {
    this.refill();
    this.rate = rate;
    this.burst = burst;
    this.tokens = Math.min(this.tokens, burst);
  }

  /**
   * Takes `bytes` from the bucket and returns how many milliseconds the caller
   * must wait before sending them (0: now). Released bytes never exceed
   * `burst + rate * elapsed`.
   */
  take(bytes: number): number {
    this.refill();
    this.tokens -= bytes;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.rate;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.rate) / 1000);
    this.last = t;
  }
}

/** Bytes per chunk under a cap: about 50 chunks a second overall, so one
 *  chunk's wait stays short, never above the usual chunk size. */
export function chunkBytesFor(rate: number, chunkBytes: number): number {
  return Math.max(4096, Math.min(chunkBytes, Math.floor(rate / 50)));
}

/** The burst of a bucket for `rate`: one chunk and its frame header. */
export function burstFor(rate: number, chunkBytes: number): number {
  return chunkBytesFor(rate, chunkBytes) + HEADER_BYTES;
}

/**
 * Passes a transfer's chunks on no sooner than the bucket allows, counting
 * each DATA frame's header too. The bucket is asked for at every chunk, so a
 * reload that changes (or removes) MaxRate applies to running transfers.
 */
export class Throttle extends Transform {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly bucket: () => TokenBucket | null) {
    super();
  }

  /** Holding a chunk for the bucket: the silence is the server's, not the client's. */
  get waiting(): boolean {
    return this.timer !== null;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const wait = this.bucket()?.take(chunk.length + HEADER_BYTES) ?? 0;
    if (wait <= 0) {
      callback(null, chunk);
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      callback(null, chunk);
    }, Math.ceil(wait));
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    callback(error);
  }
}
