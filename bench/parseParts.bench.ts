// Where `analyze` of the generated 1 MB config goes, part by part: the
// Patchable alone (the file cut before its 2,000 extra sections), the file
// without the Patchable (one item left), and what one analysis keeps alive
// on the heap (the live tree the garbage collector copies while the checks
// run; docs/performance.md, "Model"). Timed in blocks, as parseBlocks.bench.ts,
// against ini.parse of the whole file in the same run.
import { parse as iniParse } from 'ini';
import { analyze } from '../server/src/config';
import { generateLargeConfig } from './generate';
import { printFigure, summarize, timeSync } from './lib';

const whole = generateLargeConfig();
const patchableOnly = whole.slice(0, whole.indexOf('[Site0]'));
const withoutPatchable = whole.replace(/^Patchable = .*$/m, 'Patchable = 1.0');
const gc = (globalThis as { gc?: () => void }).gc;

/** Heap kept alive by one analysis of `text` (MB), after full collections; external buffers (typed arrays) apart. */
function liveHeap(text: string): { heap: number; external: number; diagnostics: number } {
  if (!gc) return { heap: NaN, external: NaN, diagnostics: 0 };
  gc();
  const before = process.memoryUsage();
  const kept = analyze(text);
  gc();
  const after = process.memoryUsage();
  // Read after the second collection, so that the analysis is alive through it.
  return { heap: (after.heapUsed - before.heapUsed) / 1e6, external: (after.arrayBuffers - before.arrayBuffers) / 1e6, diagnostics: kept.diagnostics.length };
}

const subjects: [string, () => unknown][] = [
  ['ini', () => iniParse(whole)],
  ['patchable', () => analyze(patchableOnly)],
  ['rest', () => analyze(withoutPatchable)],
];
const ROUNDS = 4;
const medians = new Map<string, number[]>(subjects.map(([name]) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < subjects.length; k++) {
    const [name, fn] = subjects[(round + k) % subjects.length];
    gc?.();
    medians.get(name)?.push(timeSync(fn, 11, 3).median);
  }
}
const median = (name: string): number => summarize(medians.get(name) ?? []).median;
console.log(`${ROUNDS} rounds of blocks (3 warm-up + 11 runs each); gc between blocks: ${gc ? 'yes' : 'no (run with --expose-gc)'}`);
printFigure('analyze, the 20,000-item Patchable alone', median('patchable'), 'ms', 'ini.parse (whole file)', median('ini'));
printFigure('analyze, the file without the Patchable', median('rest'), 'ms', 'ini.parse (whole file)', median('ini'));
const live = liveHeap(whole);
console.log(`heap kept alive by one analysis: ${live.heap.toFixed(1)} MB, and ${live.external.toFixed(2)} MB in array buffers (${live.diagnostics} diagnostics)`);
