// The commands of `nsupgrade`, in the order the usage lists them. Adding a
// command is one import and one line here.
import { CHECK_USAGE, runCheck } from './check';
import { DECIDE_USAGE, runDecide } from './decide';
import { PLAN_USAGE, runPlan } from './plan';
import { SERVE_USAGE, runServe } from './serve';
import { SIMULATE_USAGE, runSimulate } from './simulate';
import type { CliIo } from './io';

export interface Command {
  name: string;
  usage: string;
  /** Exit code: 0 fine, 1 the config (or a simulated client) has problems, 2 could not run. Throws UsageError on bad arguments. */
  run: (argv: readonly string[], io: CliIo) => Promise<number>;
}

export const COMMANDS: readonly Command[] = [
  { name: 'check', usage: CHECK_USAGE, run: runCheck },
  { name: 'decide', usage: DECIDE_USAGE, run: runDecide },
  { name: 'serve', usage: SERVE_USAGE, run: runServe },
  { name: 'simulate', usage: SIMULATE_USAGE, run: runSimulate },
  { name: 'plan', usage: PLAN_USAGE, run: runPlan },
];
