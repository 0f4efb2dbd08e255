// A decision in words and as JSON, exactly as `nsupgrade decide` prints it
// (spec section 6). One formatter: the CLI prints it and the editor's
// Decide... shows it (the language server answers `nsupgrade/decide` with it),
// so the two can never word one decision differently.
import { printable, type Decision, type Login, type UpgradeConfig } from '../config';

/** Exactly the fields of spec section 6, in its order. */
export function decisionJson(d: Decision): Record<string, string | number> {
  const out: Record<string, string | number> = { action: d.action, reason: d.reason };
  if (d.action === 'patch' || d.action === 'full') {
    out.mode = d.mode;
    if (d.modeReason) out.modeReason = d.modeReason;
    out.file = d.file;
    out.size = d.size;
    out.sha256 = d.sha256;
  }
  if (d.bucket !== undefined) out.bucket = d.bucket;
  return out;
}

export const ALLOW_WHY: Record<Extract<Decision, { action: 'allow' }>['reason'], string> = {
  current: 'the client is current',
  newer: 'the client is newer than CurrentVersion (never downgraded)',
  'upgrades-disabled': 'upgrades are disabled (Enabled = No)',
  excluded: 'the client matches [Rollout] Exclude',
  paused: 'the rollout is paused after failed upgrades ([Rollout] PauseAfterFailures)',
  'held-back': 'the client is not in the rollout yet (not Pilot, bucket not below Percent)',
  throttled: '[Rollout] MaxPerHour clients were already offered an upgrade in the last hour',
};

/** The text `nsupgrade decide` prints: the decision and why, then mode, file, size, hash and bucket, one per line. */
export function decisionText(d: Decision, login: Login, config: UpgradeConfig): string {
  const lines: string[] = [];
  if (d.action === 'patch' || d.action === 'full') {
    const why = d.action === 'patch' ? `${login.version} matches Patchable item "${d.matched}"` : `${login.version} is older than ${config.upgrade.currentVersion?.text} and not patchable`;
    lines.push(`${d.action} (${d.reason}): ${why}`);
    const mode = d.mode === 'forced' ? ' ("Upgrade in progress": not let in until upgraded)' : d.modeReason === 'outside-forced-hours' ? ` (outside-forced-hours: ${login.at.toISOString()} is outside [Rollout] ForcedHours, so the user may decline and is let in)` : ' (the user may decline and is let in)';
    lines.push(`  mode    ${d.mode}${mode}`);
    lines.push(`  file    ${d.file}`);
    lines.push(`  size    ${d.size} bytes`);
    lines.push(`  sha256  ${d.sha256}`);
  } else if (d.action === 'allow') {
    lines.push(`allow (${d.reason}): ${ALLOW_WHY[d.reason]}`);
  } else {
    lines.push(`reject (${d.reason}): "${printable(login.version)}" is not a version`);
  }
  if (d.bucket !== undefined) lines.push(`  bucket  ${d.bucket} (0-99, of the name ${JSON.stringify(login.name)}; Percent = ${config.rollout?.percent} takes the buckets below it)`);
  return `${lines.join('\n')}\n`;
}

/** Names travel in the login message and land in logs: text, no control characters, as long as a desk name may be (128). What is wrong ("has at most 128 characters, not 200"), or null. */
export function clientNameProblem(v: string): string | null {
  if (v.length > 128) return `has at most 128 characters, not ${v.length}`;
  const control = /[\u0000-\u001f\u007f-\u009f]/.exec(v);
  if (control) return `must not hold control characters (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at character ${control.index + 1})`;
  return null;
}
