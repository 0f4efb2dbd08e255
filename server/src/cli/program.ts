// The nsupgrade program: commander reads the arguments (per-command --help,
// --version, unknown options and missing values refused), each command of
// commands.ts runs with its checked options, and every usage error, ours or
// commander's, reads the same and exits 2. A fresh program per call: main()
// is called many times in one test process.
import { Command, CommanderError } from 'commander';
import { version } from '../../../package.json';
import { CLIENTS_HELP, UsageError } from './args';
import { COMMANDS } from './commands';
import { useColor, type CliIo } from './io';

const EXIT_CODES = `
Exit codes: 0 no errors; 1 errors found (or a simulated client failed);
2 could not run (bad arguments, a file that cannot be read).`;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exit = 0;
  const program = new Command('nsupgrade')
    .description('Check and test Net Server upgrade.ini files (spec: docs/upgrade-ini.md).')
    .version(version, '-V, --version', 'print the version of nsupgrade')
    .helpOption('-h, --help', 'print this help (nsupgrade COMMAND --help: the help of a command)')
    .addHelpText('after', `${CLIENTS_HELP.replace('--clients SPEC:', '--clients SPEC (simulate, plan):')}\n${EXIT_CODES}`)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Errors are printed below, in one format for commander's and ours.
      outputError: () => undefined,
      getOutHasColors: () => useColor(io.stdout),
      getErrHasColors: () => useColor(io.stderr),
      getOutHelpWidth: () => columns(io.stdout),
      getErrHelpWidth: () => columns(io.stderr),
    });
  for (const command of COMMANDS) {
    // .command() copies the settings above (exit override, output) to the subcommand.
    const cmd = program.command(command.name);
    cmd.helpOption('-h, --help', 'print this help');
    command.define(cmd);
    cmd.addHelpText('after', EXIT_CODES);
    cmd.action(async () => {
      exit = await command.run(cmd, io);
    });
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exit;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help, --version and `help` print and end with 0; `nsupgrade` alone prints the help to stderr.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return err.exitCode === 0 ? 0 : 2;
      return usageError(err.message.replace(/^error: /, ''), argv, io);
    }
    if (err instanceof UsageError) return usageError(err.message, argv, io);
    throw err;
  }
}

function columns(stream: { columns?: number }): number {
  return stream.columns ?? 80;
}

function usageError(message: string, argv: readonly string[], io: CliIo): 2 {
  const command = COMMANDS.find((c) => c.name === argv[0]);
  const help = command ? `nsupgrade ${command.name} --help` : 'nsupgrade --help';
  io.stderr.write(`nsupgrade${command ? ` ${command.name}` : ''}: ${message}\n(${help} shows the usage)\n`);
  return 2;
}
