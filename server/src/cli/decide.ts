// `nsupgrade decide FILE --client-version V [--client-name N] [--at TIME]
//   [--offered-last-hour K] [--failures F] [--format text|json]`: the decision
// of spec section 5, made by the model's one decide() with the login the
// flags describe (spec section 6).
import { Option, type Command } from 'commander';
import { decide, type Login } from '../config';
import { clientNameProblem, decisionJson, decisionText } from '../views/decisionText';
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
  const problem = clientNameProblem(v);
  if (problem) throw new UsageError(`--client-name ${problem}`);
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
