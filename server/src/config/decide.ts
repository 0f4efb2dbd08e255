// The decision at login (spec section 5): the only copy. The upgrade server,
// the CLI, hover and the simulator's checks all call this.
import type { ConfigFiles, Decision, UpgradeConfig } from './types';
import { compareVersions, parseVersion } from './version';
import { findMatch } from './versionSet';

/**
 * Decides what a client reporting `clientVersion` gets. `config` must be valid
 * (no errors): with a patch or full decision, the file it names must be in
 * `files`, or this throws.
 */
export function decide(config: UpgradeConfig, files: ConfigFiles, clientVersion: string): Decision {
  const version = parseVersion(clientVersion.trim());
  if (!version) return { action: 'reject', reason: 'bad-version' };
  if (!config.upgrade.enabled) return { action: 'allow', reason: 'upgrades-disabled' };
  const current = config.upgrade.currentVersion;
  if (!current) throw new Error('decide needs a config with a valid CurrentVersion');
  const order = compareVersions(version, current);
  if (order === 0) return { action: 'allow', reason: 'current' };
  if (order > 0) return { action: 'allow', reason: 'newer' };
  const match = findMatch(config.upgrade.patchable, version);
  const file = match ? files.patchFile : files.fullSetup;
  if (!file) throw new Error(`decide needs the ${match ? 'PatchFile' : 'FullSetup'} file checked on disk`);
  const decision: Decision = {
    action: match ? 'patch' : 'full',
    reason: match ? 'patchable' : 'not-patchable',
    mode: config.upgrade.mode,
    file: file.relPath,
    size: file.size,
    sha256: file.sha256,
  };
  if (match) decision.matched = match.text;
  return decision;
}
