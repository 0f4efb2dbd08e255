// The planner (spec 9): 10,000 desks planned against 1,000 (growth: goal
// <= 11x, about linear) and in absolute time (goal < 1 s on this machine).
// Two configs: v1 (no [Rollout]) and a full [Rollout] (pilot, percent, rate,
// forced hours in a zone), where every login also hashes the desk's bucket and
// reads a wall clock.
import { analyze, type ConfigFiles } from '../server/src/config';
import { desksOfFleet, planRollout, type PlanDesk } from '../server/src/plan';
import { printFigure, summarize, type Sample } from './lib';

const BASE = `[Server]\nMaxTransfers = 8\n[Upgrade]\nCurrentVersion = 5.20.12\nFullSetup = Netphone_520.exe\nPatchFile = NP_Update.exe\nPatchable = 5.10.*, >=5.12 <5.20\n[Setup]\nConflictingApps = Chat, DSS\n`;
const ROLLOUT = `${BASE}[Rollout]\nPilot = desk-00001, desk-00002\nPercent = 80\nMaxPerHour = 5000\nForcedHours = Mon-Fri 18:00-07:00, Sat-Sun\nTimeZone = Europe/Berlin\n`;
const FILES: ConfigFiles = {
  fullSetup: { key: 'FullSetup', relPath: 'Netphone_520.exe', absPath: '/x/Netphone_520.exe', size: 60_000_000, sha256: 'a'.repeat(64), mtimeMs: 0 },
  patchFile: { key: 'PatchFile', relPath: 'NP_Update.exe', absPath: '/x/NP_Update.exe', size: 4_000_000, sha256: 'b'.repeat(64), mtimeMs: 0 },
};

function fleet(n: number): PlanDesk[] {
  // The shape of an office: most patchable, some full setups, some current, a few with Chat open.
  return desksOfFleet([
    { version: '5.10.3', count: n * 0.5, decline: 0, apps: ['Chat'], keepOpen: 0 },
    { version: '5.15', count: n * 0.2, decline: 0, apps: [], keepOpen: 0 },
    { version: '4.90', count: n * 0.2, decline: 0, apps: ['DSS'], keepOpen: 0 },
    { version: '5.20.12', count: n * 0.1, decline: 0, apps: [], keepOpen: 0 },
  ]);
}

function planner(text: string, n: number): () => unknown {
  const config = analyze(text).config;
  const desks = fleet(n);
  return () =>
    planRollout({
      config,
      files: FILES,
      desks,
      start: Date.UTC(2025, 11, 1, 7, 0),
      loginsOverSeconds: 3600,
      linkBytesPerSecond: 12.5e6,
      clientLinkBytesPerSecond: 2.5e6,
      setupSeconds: 60,
      restartSeconds: 120,
      seed: 1,
    });
}

/**
 * Interleaved runs, each from a collected heap (gc() untimed before it): a
 * plan runs once per command or save, and its output (one object per desk)
 * lives until the end, so a run that inherits the previous run's garbage
 * would time that run's scavenges, not its own.
 */
function compareFromCleanHeap(candidate: () => unknown, baseline: () => unknown, runs: number, warmup: number): { candidate: Sample; baseline: Sample } {
  // A scavenge only: a full gc() also drops compiled code, and the runs would time recompiling.
  const collect = (globalThis as { gc?: (o: { type: 'minor' | 'major'; execution: 'sync' }) => void }).gc;
  const gc = (): void => collect?.({ type: 'minor', execution: 'sync' });
  const time = (fn: () => unknown): number => {
    gc();
    const t = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  for (let i = 0; i < warmup; i++) {
    time(baseline);
    time(candidate);
  }
  const b: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < runs; i++) {
    b.push(time(baseline));
    c.push(time(candidate));
  }
  return { candidate: summarize(c), baseline: summarize(b) };
}

console.log(`${new Date().toISOString()}, ${require('node:os').cpus().length} cores, node ${process.version}`);
for (const [name, text] of [['no [Rollout]', BASE], ['with [Rollout]', ROLLOUT]] as const) {
  const r = compareFromCleanHeap(planner(text, 10_000), planner(text, 1_000), 21, 5);
  printFigure(`plan 10,000 desks, ${name}, median`, r.candidate.median, 'ms', '1,000 desks', r.baseline.median, '<= 11x');
  printFigure(`plan 10,000 desks, ${name}, p95`, r.candidate.p95, 'ms', null, null, '< 1000 ms');
}
