// `nsupgrade simulate FILE|HOST:PORT --clients SPEC [--at TIME] [--concurrency N] [--format text|json] [--seed N]`
// Exit 0: every client ended as its scenario says; 1: any failed; 2: could not run.
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { cannotRead } from '../config';
import { formatReportText, reportJson, simulateFleet, type SimulationReport } from '../simulator';
import { ConfigErrorsError } from '../upgrade/server';
import { CLIENTS_HELP, clientsOption, formatOption, instant, wholeNumber, UsageError, type Format } from './args';
import type { CliCommand } from './commands';
import { fleetOrUsageError } from './fleet';
import { isReadError, writeConfigErrors, type CliIo } from './io';

interface SimulateOptions {
  clients: string;
  at?: Date;
  concurrency?: number;
  seed?: number;
  format: Format;
}

export const simulateCommand: CliCommand = {
  name: 'simulate',
  define(cmd: Command): void {
    cmd
      .summary('run simulated Net Phone clients against a server')
      .description(
        'Run simulated Net Phone clients (hello, login, the offer, download, Setup, login again) against an upgrade server and report per client, by version and in total. FILE: the config is served on a free loopback port for the run (rollout state in memory only); HOST:PORT: a server already running.',
      )
      .argument('<FILE|HOST:PORT>', 'a config to serve for the run, or a running upgrade server')
      .addOption(clientsOption())
      .addOption(new Option('--at <TIME>', 'the simulated time of the logins (ISO 8601 with an offset or Z); only with a FILE').argParser(instant('at')))
      .addOption(new Option('--concurrency <N>', 'clients at once (default 50)').argParser(wholeNumber('concurrency', 1, 10000)))
      .addOption(new Option('--seed <N>', 'the seed of the chances (decline, keepOpen); default 1').argParser(wholeNumber('seed', 0, 2 ** 31)))
      .addOption(formatOption())
      .addHelpText('after', CLIENTS_HELP);
  },
  run: (cmd, io) => runSimulate(cmd.args[0], cmd.opts<SimulateOptions>(), io),
};

function parseTarget(text: string): { configPath: string } | { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(text);
  if (m && !existsSync(text)) {
    const port = Number(m[2]);
    if (port < 1 || port > 65535) throw new UsageError(`the port in ${text} must be from 1 to 65535`);
    return { host: m[1].replace(/^\[|\]$/g, ''), port };
  }
  return { configPath: text };
}

async function runSimulate(targetText: string, options: SimulateOptions, io: CliIo): Promise<number> {
  const { format, at } = options;
  // The fleet is read before anything runs: a bad one is a usage error (exit 2), not a fleet of failures.
  const clients = fleetOrUsageError(options.clients);
  const target = parseTarget(targetText);
  // A running server keeps its own clock; the protocol has no way (and must have none) to set it.
  if (at && !('configPath' in target)) throw new UsageError(`--at needs a config FILE (served for the run with that clock): the server at ${targetText} keeps its own clock`);
  if ('configPath' in target && !existsSync(target.configPath)) {
    io.stderr.write(`nsupgrade: ${cannotRead(target.configPath, { code: 'ENOENT' })} (for a running server write HOST:PORT)\n`);
    return 2;
  }
  const progress = Boolean(io.stderr.isTTY) && format === 'text';
  let report: SimulationReport;
  try {
    report = await simulateFleet({
      target,
      clients,
      seed: options.seed,
      concurrency: options.concurrency,
      at,
      onProgress: progress
        ? ({ done, total }) => {
            const width = 30;
            const filled = Math.round((done / total) * width);
            io.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
            if (done === total) io.stderr.write('\r\x1b[K');
          }
        : undefined,
    });
  } catch (err) {
    if (err instanceof ConfigErrorsError) {
      writeConfigErrors(err.loaded, io);
      io.stderr.write(`nsupgrade: ${err.message}\n`);
      return 2;
    }
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'ECONNREFUSED'
        ? `no upgrade server answers at ${targetText}: start one with nsupgrade serve, or give a config FILE to serve one for the run`
        : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN'
          ? `cannot find the host of ${targetText}`
          : isReadError(e)
            ? cannotRead(targetText, e)
            : e.message;
    io.stderr.write(`nsupgrade: ${why}\n`);
    return 2;
  }
  io.stdout.write(format === 'json' ? reportJson(report) : formatReportText(report));
  return report.failures > 0 ? 1 : 0;
}
