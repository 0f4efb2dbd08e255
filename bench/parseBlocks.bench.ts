// The model against npm `ini` on the generated 1 MB config, each function
// timed in its own block of runs so that it pays for its own garbage.
// parse.bench.ts interleaves candidate and baseline run by run; there the
// collection of one function's garbage often falls inside the other's timing
// (ini.parse measured 54-175 ms in the same process depending on what ran
// before it), which flatters whichever side allocates more. This bench
// rotates the order of the blocks over several rounds so that machine noise
// still hits all sides alike.
import { parse as iniParse } from 'ini';
import { analyze, parseDocument } from '../server/src/config';
import { generateLargeConfig } from './generate';
import { printFigure, summarize, timeSync } from './lib';

const text = generateLargeConfig();
const gc = (globalThis as { gc?: () => void }).gc;
const subjects: [string, () => unknown][] = [
  ['ini', () => iniParse(text)],
  ['parse', () => parseDocument(text)],
  ['analyze', () => analyze(text)],
];
const ROUNDS = 6;
const medians = new Map<string, number[]>(subjects.map(([name]) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < subjects.length; k++) {
    const [name, fn] = subjects[(round + k) % subjects.length];
    gc?.(); // start each block from a clean heap: no debt from the block before
    medians.get(name)?.push(timeSync(fn, 11, 3).median);
  }
}
const median = (name: string): number => summarize(medians.get(name) ?? []).median;
console.log(`input: ${(text.length / 1e6).toFixed(2)} MB; ${ROUNDS} rounds of blocks (3 warm-up + 11 runs each); gc between blocks: ${gc ? 'yes' : 'no (run with --expose-gc)'}`);
printFigure('parse alone (parseDocument), blocks, median', median('parse'), 'ms', 'ini.parse', median('ini'), '<= 0.25');
printFigure('full diagnostics (analyze), blocks, median', median('analyze'), 'ms', 'ini.parse', median('ini'), '<= 0.5');
