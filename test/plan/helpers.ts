// Shared by the planner's tests: a valid config from text (the model reads
// it, [Rollout] included) and files with chosen sizes (no disk needed: decide
// only reads their size and hash).
import assert from 'node:assert/strict';
import { analyze, type ConfigFiles, type UpgradeConfig } from '../../server/src/config';
import type { PlanDesk, PlanInput } from '../../server/src/plan';

export const MiB = 1024 * 1024;

export function files(fullBytes: number, patchBytes = 4096): ConfigFiles {
  return {
    fullSetup: { key: 'FullSetup', relPath: 'Netphone_520.exe', absPath: '/srv/Netphone_520.exe', size: fullBytes, sha256: 'a'.repeat(64), mtimeMs: 0 },
    patchFile: { key: 'PatchFile', relPath: 'NP_Update.exe', absPath: '/srv/NP_Update.exe', size: patchBytes, sha256: 'b'.repeat(64), mtimeMs: 0 },
  };
}

/** `rollout`: the lines of a [Rollout] section (none: no section). */
export function config(options: { maxTransfers?: number; mode?: 'Forced' | 'Optional'; setup?: string; rollout?: string } = {}): UpgradeConfig {
  const text = [
    '[Server]',
    `MaxTransfers = ${options.maxTransfers ?? 4}`,
    '[Upgrade]',
    'CurrentVersion = 5.20.12',
    `Mode = ${options.mode ?? 'Forced'}`,
    'FullSetup = Netphone_520.exe',
    'PatchFile = NP_Update.exe',
    'Patchable = 5.10.*',
    options.setup ?? '',
    ...(options.rollout === undefined ? [] : ['[Rollout]', options.rollout]),
  ].join('\n');
  const a = analyze(text);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error'), [], 'the test config must be valid');
  assert.equal(a.config.rollout !== null, options.rollout !== undefined, 'the model reads [Rollout]');
  return a.config;
}

/** `count` desks of `version`, named desk-1, desk-2, ... */
export function desks(count: number, version = '4.0', apps: string[] = []): PlanDesk[] {
  return Array.from({ length: count }, (_, i) => ({ name: `desk-${i + 1}`, version, apps }));
}

/** Monday 2025-12-01 08:00 UTC. */
export const MONDAY_8 = Date.UTC(2025, 11, 1, 8, 0);

export function input(over: Partial<PlanInput> & Pick<PlanInput, 'desks'>): PlanInput {
  return {
    config: config(),
    files: files(4 * MiB),
    start: MONDAY_8,
    loginsOverSeconds: 0,
    linkBytesPerSecond: 8e6,
    clientLinkBytesPerSecond: null,
    setupSeconds: 0,
    restartSeconds: 0,
    seed: 1,
    ...over,
  };
}

/** Seconds compared to a microsecond: float sums of exact quotients. */
export function near(actual: number | undefined, expected: number, what: string): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-6, `${what}: ${actual} is not ${expected}`);
}
