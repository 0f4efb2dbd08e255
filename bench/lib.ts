// Shared by every benchmark: warm-up, repeated runs, medians and one printed
// line per figure (figure, baseline of the same run, ratio). Absolute times on
// a shared 2-core machine mean little; ratios against a baseline measured in
// the same run mean a lot.

export interface Sample {
  median: number;
  p95: number;
  runs: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summarize(times: number[]): Sample {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95), runs: sorted.length };
}

/** Times a synchronous function in milliseconds: `warmup` unmeasured runs, then `runs`. */
export function timeSync(fn: () => unknown, runs = 21, warmup = 5): Sample {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return summarize(times);
}

export async function timeAsync(fn: () => Promise<unknown>, runs = 21, warmup = 3): Promise<Sample> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return summarize(times);
}

/**
 * Interleaves candidate and baseline runs so that machine noise hits both
 * alike, and returns both medians.
 */
export function compareSync(candidate: () => unknown, baseline: () => unknown, runs = 31, warmup = 5): { candidate: Sample; baseline: Sample } {
  for (let i = 0; i < warmup; i++) {
    candidate();
    baseline();
  }
  const c: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = process.hrtime.bigint();
    baseline();
    b.push(Number(process.hrtime.bigint() - t) / 1e6);
    t = process.hrtime.bigint();
    candidate();
    c.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { candidate: summarize(c), baseline: summarize(b) };
}

/** One line: `figure  value unit   baseline  value unit   ratio  r  (goal)`. */
export function printFigure(
  name: string,
  value: number,
  unit: string,
  baselineName: string | null,
  baselineValue: number | null,
  goal?: string,
): void {
  const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  const parts = [`${name.padEnd(46)} ${fmt(value).padStart(9)} ${unit.padEnd(6)}`];
  if (baselineName !== null && baselineValue !== null) {
    parts.push(`${baselineName.padEnd(26)} ${fmt(baselineValue).padStart(9)} ${unit.padEnd(6)} ratio ${(value / baselineValue).toFixed(2)}`);
  }
  if (goal) parts.push(`(goal ${goal})`);
  console.log(parts.join('  '));
}

/** `total` async tasks, `concurrency` at a time; returns the wall time in ms. */
export async function pool(total: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) await task(next++);
    }),
  );
  return performance.now() - start;
}
