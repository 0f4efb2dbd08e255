// nsupgrade: the command line of spec section 6. Exit codes: 0 fine, 1 the
// config (or a simulated client) has problems, 2 could not run. Each command
// lives in cli/ (cli/commands.ts lists them); this file only dispatches.
import { UsageError } from './cli/args';
import { COMMANDS } from './cli/commands';
import type { CliIo } from './cli/io';

export type { CliIo } from './cli/io';

const USAGE = `nsupgrade: check and test Net Server upgrade.ini files

Usage:
${COMMANDS.map((c) => `  ${c.usage}`).join('\n')}

Exit codes: 0 no errors, 1 errors found, 2 could not run.
`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      (name === undefined ? io.stderr : io.stdout).write(USAGE);
      return name === undefined ? 2 : 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command "${name}"`);
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`nsupgrade: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`nsupgrade: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
