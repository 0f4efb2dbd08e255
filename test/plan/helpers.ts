// Shared by the planner's tests: a valid config from text, files with chosen
// sizes (no disk needed: decide only reads size and hash), and a [Rollout]
// built as the model's types say, so a test states its rollout exactly.
import assert from 'node:assert/strict';
import { analyze, type ConfigFiles, type RolloutSettings, type UpgradeConfig } from '../../server/src/config';
import type { PlanDesk, PlanInput } from '../../server/src/plan';

export const MiB = 1024 * 1024;

export function files(fullBytes: number, patchBytes = 4096): ConfigFiles {
  return {
    fullSetup: { key: 'FullSetup', relPath: 'Netphone_520.exe', absPath: '/srv/Netphone_520.exe', size: fullBytes, sha256: 'a'.repeat(64), mtimeMs: 0 },
    patchFile: { key: 'PatchFile', relPath: 'NP_Update.exe', absPath: '/srv/NP_Update.exe', size: patchBytes, sha256: 'b'.repeat(64), mtimeMs: 0 },
  };
}

export function config(options: { maxTransfers?: number; mode?: 'Forced' | 'Optional'; setup?: string; rollout?: Partial<RolloutSettings> } = {}): UpgradeConfig {
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
  ].join('\n');
  const a = analyze(text);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error'), [], 'the test config must be valid');
  if (!options.rollout) return a.config;
  const rollout: RolloutSettings = { pilot: [], exclude: [], percent: 100, maxPerHour: null, pauseAfterFailures: null, forcedHours: null, timeZone: 'UTC', ...options.rollout };
  return { ...a.config, rollout };
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
