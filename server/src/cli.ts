// nsupgrade: the command line of spec section 6. Exit codes: 0 fine, 1 the
// config (or a simulated client) has problems, 2 could not run. The commands
// live in cli/ (cli/commands.ts lists them, cli/program.ts reads the
// arguments); this file is the entry of dist/cli.js.
import { runCli } from './cli/program';
import type { CliIo } from './cli/io';

export type { CliIo } from './cli/io';

export function main(argv: readonly string[], io: CliIo): Promise<number> {
  return runCli(argv, io);
}

if (require.main === module) {
  // `nsupgrade check big.ini | head` closes the pipe early: stop quietly, as other tools do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
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
