// The commands of `nsupgrade`, in the order the help lists them. Adding a
// command is one import and one line here: its module exports a CliCommand.
import type { Command } from 'commander';
import { checkCommand } from './check';
import { decideCommand } from './decide';
import { planCommand } from './plan';
import { serveCommand } from './serve';
import { simulateCommand } from './simulate';
import type { CliIo } from './io';

export interface CliCommand {
  name: string;
  /** Declares the summary, arguments, options and help text on commander's Command. */
  define(cmd: Command): void;
  /**
   * Runs with the arguments commander checked (`cmd.args`, `cmd.opts<T>()`).
   * Exit code: 0 fine, 1 the config (or a simulated client) has problems,
   * 2 could not run; throws UsageError on a bad argument found later.
   */
  run(cmd: Command, io: CliIo): Promise<number>;
}

export const COMMANDS: readonly CliCommand[] = [checkCommand, decideCommand, serveCommand, simulateCommand, planCommand];
