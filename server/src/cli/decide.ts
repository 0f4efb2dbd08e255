// `nsupgrade decide FILE --client-version V [--client-name N] [--at TIME]
//   [--offered-last-hour K] [--failures F] [--format text|json]`: the decision
// of spec section 5, made by the model's one decide() with the login the
// flags describe (spec section 6).
import { Option, type Command } from 'commander';
import { decide, printable, type Decision, type Login, type UpgradeConfig } from '../config';
import { formatOption, instant, wholeNumber, UsageError, type Format } from './args';
import type { CliCommand } from './commands';
import { loadOrSay, refuseConfigWithErrors, type CliIo } from './io';

interface DecideOptions {
  clientVersion: string;
  clientName: string;
  at?: Date;
  offeredLastHour: number;
  failures: number;
  format: Format;
}

/** The counts are the server's (spec 8); a CLI flag beyond them is a typo. */
const MAX_COUNT = 1_000_000_000;

export const decideCommand: CliCommand = {
  name: 'decide',
  define(cmd: Command): void {
    cmd
      .summary('what a client gets at login (spec section 5)')
      .description('Print the decision of spec section 5 for one login: allow, reject, patch or full, with the reason, mode, file, size and SHA-256.')
      .argument('<FILE>', 'an upgrade.ini without errors')
      .requiredOption('--client-version <V>', 'the version string the client sends (any text: one that is not a version is rejected)')
      .addOption(new Option('--client-name <N>', 'the name the client sends (Pilot, Exclude and the bucket of [Rollout] use it)').default('', 'the empty name').argParser(clientName))
      .addOption(new Option('--at <TIME>', 'when it logs in: ISO 8601 with an offset or Z, e.g. 2026-03-03T10:00+01:00 (ForcedHours use it); default now').argParser(instant('at')))
      .addOption(new Option('--offered-last-hour <K>', 'other distinct clients offered an upgrade in the 60 minutes before (MaxPerHour)').default(0).argParser(wholeNumber('offered-last-hour', 0, MAX_COUNT)))
      .addOption(new Option('--failures <F>', 'failed upgrades reported for this CurrentVersion (PauseAfterFailures)').default(0).argParser(wholeNumber('failures', 0, MAX_COUNT)))
      .addOption(formatOption())
      .addHelpText(
        'after',
        `
JSON: {"action", "reason", "mode"?, "modeReason"?, "file"?, "size"?, "sha256"?, "bucket"?};
bucket (0-99) whenever the file has [Rollout]. A config with errors: they are printed, exit 1.

Example:
  nsupgrade decide examples/rollout.ini --client-version 5.10.3 --client-name desk-17 --at 2026-03-03T10:00+01:00 --offered-last-hour 12`,
      );
  },
  run: (cmd, io) => runDecide(cmd.args[0], cmd.opts<DecideOptions>(), io),
};

/** Names travel in the login message and land in logs: text, no control characters, as long as a desk name may be (128). */
function clientName(v: string): string {
  if (v.length > 128) throw new UsageError(`--client-name has at most 128 characters, not ${v.length}`);
  const control = /[\u0000-\u001f\u007f-\u009f]/.exec(v);
  if (control) throw new UsageError(`--client-name must not hold control characters (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at character ${control.index + 1})`);
  return v;
}

async function runDecide(file: string, options: DecideOptions, io: CliIo): Promise<number> {
  const loaded = await loadOrSay(file, io);
  if (!loaded) return 2;
  if (!loaded.ok) return refuseConfigWithErrors(file, loaded, io, 'no decision is made on a config with errors');
  const login: Login = {
    version: options.clientVersion,
    name: options.clientName,
    at: options.at ?? new Date((io.now ?? Date.now)()),
    // The CLI asks about one desk not yet counted: alreadyOffered is the server's to know.
    rollout: { offeredLastHour: options.offeredLastHour, alreadyOffered: false, failures: options.failures },
  };
  const d = decide(loaded.config, loaded.files, login);
  io.stdout.write(options.format === 'json' ? `${JSON.stringify(decisionJson(d))}\n` : decisionText(d, login, loaded.config));
  return 0;
}

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

const ALLOW_WHY: Record<Extract<Decision, { action: 'allow' }>['reason'], string> = {
  current: 'the client is current',
  newer: 'the client is newer than CurrentVersion (never downgraded)',
  'upgrades-disabled': 'upgrades are disabled (Enabled = No)',
  excluded: 'the client matches [Rollout] Exclude',
  paused: 'the rollout is paused after failed upgrades ([Rollout] PauseAfterFailures)',
  'held-back': 'the client is not in the rollout yet (not Pilot, bucket not below Percent)',
  throttled: '[Rollout] MaxPerHour clients were already offered an upgrade in the last hour',
};

function decisionText(d: Decision, login: Login, config: UpgradeConfig): string {
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
