// The decision at login (spec section 5): the only copy. The upgrade server,
// the CLI, hover, the simulator's checks and the planner all call this.
import type { ConfigFiles, Decision, Login, RolloutCounters, UpgradeConfig } from './types';
import { compareVersions, parseVersion } from './version';
import { findMatch } from './versionSet';
import { bucketOf, inWindows, matchName } from './rollout';

/** A rollout with nothing counted yet: what a first login sees. */
export const NO_ROLLOUT_COUNTS: RolloutCounters = Object.freeze({ offeredLastHour: 0, alreadyOffered: false, failures: 0 });

/** A login with nothing but a version (no name, nothing counted): enough for a
 *  config without `[Rollout]`, where the name, time and counts change nothing. */
export function loginOf(version: string, at: Date = new Date(0), name = ''): Login {
  return { version, name, at, rollout: NO_ROLLOUT_COUNTS };
}

/** Is the rollout paused by failures (spec 8)? A resume restarts the count. */
export function isPaused(config: UpgradeConfig, counts: RolloutCounters): boolean {
  const limit = config.rollout?.pauseAfterFailures ?? null;
  return limit !== null && counts.failures >= limit;
}

/** The bucket rides on every decision of a config with [Rollout] (a plain
 *  function: a closure per decision showed in a login's cost). */
function withBucketOf<D extends Decision>(d: D, bucket: number | undefined): D {
  return bucket === undefined ? d : { ...d, bucket };
}

/**
 * Decides what a client gets at `login`. `config` must be valid (no errors):
 * with a patch or full decision, the file it names must be in `files`, or this
 * throws. Pure: the time and the rollout counts come in with the login.
 */
export function decide(config: UpgradeConfig, files: ConfigFiles, login: Login): Decision {
  const rollout = config.rollout;
  const current = config.upgrade.currentVersion;
  // So that an administrator can see why a desk is (not) in the share.
  const bucket = rollout && current ? bucketOf(current, login.name) : undefined;

  const version = parseVersion(login.version.trim());
  if (!version) return withBucketOf({ action: 'reject', reason: 'bad-version' }, bucket);
  if (!config.upgrade.enabled) return withBucketOf({ action: 'allow', reason: 'upgrades-disabled' }, bucket);
  if (!current) throw new Error('decide needs a config with a valid CurrentVersion');
  const order = compareVersions(version, current);
  if (order === 0) return withBucketOf({ action: 'allow', reason: 'current' }, bucket);
  if (order > 0) return withBucketOf({ action: 'allow', reason: 'newer' }, bucket);

  let modeReason: 'outside-forced-hours' | undefined;
  if (rollout) {
    if (matchName(rollout.exclude, login.name)) return withBucketOf({ action: 'allow', reason: 'excluded' }, bucket);
    if (isPaused(config, login.rollout)) return withBucketOf({ action: 'allow', reason: 'paused' }, bucket);
    const inRollout = matchName(rollout.pilot, login.name) !== undefined || (bucket ?? 0) < rollout.percent;
    if (!inRollout) return withBucketOf({ action: 'allow', reason: 'held-back' }, bucket);
    const cap = rollout.maxPerHour;
    if (cap !== null && !login.rollout.alreadyOffered && login.rollout.offeredLastHour >= cap) {
      return withBucketOf({ action: 'allow', reason: 'throttled' }, bucket);
    }
    if (config.upgrade.mode === 'forced' && rollout.forcedHours && !inWindows(rollout.forcedHours, login.at, rollout.timeZone)) {
      modeReason = 'outside-forced-hours';
    }
  }

  const match = findMatch(config.upgrade.patchable, version);
  const file = match ? files.patchFile : files.fullSetup;
  if (!file) throw new Error(`decide needs the ${match ? 'PatchFile' : 'FullSetup'} file checked on disk`);
  const decision: Decision = {
    action: match ? 'patch' : 'full',
    reason: match ? 'patchable' : 'not-patchable',
    mode: modeReason ? 'optional' : config.upgrade.mode,
    file: file.relPath,
    size: file.size,
    sha256: file.sha256,
  };
  if (modeReason) decision.modeReason = modeReason;
  if (match) decision.matched = match.text;
  return withBucketOf(decision, bucket);
}
