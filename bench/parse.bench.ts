// The model against npm `ini` on the generated 1 MB config: parse alone
// (goal <= 0.25 of ini.parse) and every check of the spec (goal <= 0.5; the second round of goals in ../shared/design/benchmarks.md).
import { parse as iniParse } from 'ini';
import { analyze, parseDocument } from '../server/src/config';
import { generateLargeConfig } from './generate';
import { compareSync, printFigure } from './lib';

const text = generateLargeConfig();
console.log(`input: ${(text.length / 1e6).toFixed(2)} MB, ${text.split('\n').length} lines; ${new Date().toISOString()}, ${require('node:os').cpus().length} cores`);
const parse = compareSync(() => parseDocument(text), () => iniParse(text));
printFigure('parse alone (parseDocument), median', parse.candidate.median, 'ms', 'ini.parse', parse.baseline.median, '<= 0.25');
const full = compareSync(() => analyze(text), () => iniParse(text));
printFigure('full diagnostics (analyze), median', full.candidate.median, 'ms', 'ini.parse', full.baseline.median, '<= 0.5');
