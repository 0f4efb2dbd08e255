// `nsupgrade plan FILE --clients SPEC [--start TIME] [--logins-over DURATION]
//   [--link RATE] [--client-link RATE] [--setup-time DURATION]
//   [--restart-time DURATION] [--report FILE.html] [--format text|json] [--seed N]`  (spec section 9)
// Exit 0: planned; 1: the config has errors; 2: could not run (bad arguments,
// no such file, a bad fleet).
import { Option, type Command } from 'commander';
import { basename } from 'node:path';
import { parseDuration, parseRate } from '../config';
import { desksOfFleet, formatPlanText, loadReportAssets, parsePlanStart, defaultLink, DEFAULT_RESTART_SECONDS, DEFAULT_SETUP_SECONDS, planJson, planReportHtml, planRollout, toChartData, writeFileWhole, type ReportAssets } from '../plan';
import { CLIENTS_HELP, clientsOption, formatOption, UsageError, wholeNumber, type Format } from './args';
import type { CliCommand } from './commands';
import { fleetOrUsageError } from './fleet';
import { loadOrSay, refuseConfigWithErrors, type CliIo } from './io';

interface PlanOptions {
  clients: string;
  start?: string;
  loginsOver: number;
  link?: number;
  clientLink?: number;
  setupTime: number;
  restartTime: number;
  report?: string;
  format: Format;
  seed: number;
}


function rate(flag: string): (v: string) => number {
  return (v) => {
    const r = parseRate(v);
    if (!r.ok) throw new UsageError(`--${flag}: ${r.problem}`);
    return r.value;
  };
}

function duration(flag: string): (v: string) => number {
  return (v) => {
    const seconds = parseDuration(v);
    if (!seconds.ok) throw new UsageError(`--${flag}: ${seconds.problem}`);
    return seconds.value;
  };
}

export const planCommand: CliCommand = {
  name: 'plan',
  define(cmd: Command): void {
    cmd
      .summary('plan a rollout in simulated time (spec section 9)')
      .description('Plan a rollout without a network, in a second: when each desk logs in, what it is offered, how long it waits for a transfer slot, downloads, installs and restarts, and when it is back at work.')
      .argument('<FILE>', 'an upgrade.ini without errors')
      .addOption(clientsOption())
      .option('--start <TIME>', "when the logins start: ISO 8601 with an offset or Z, or without one in the config's TimeZone; default next Monday 08:00")
      .addOption(new Option('--logins-over <DURATION>', 'the logins spread evenly over this (90s, 15m, 2h)').default(0, '0s: all at --start').argParser(duration('logins-over')))
      .addOption(new Option('--link <RATE>', "the server's uplink (100Mbit, 12.5MB); default [Server] MaxRate, else 1Gbit").argParser(rate('link')))
      .addOption(new Option('--client-link <RATE>', "each desk's link; default no cap").argParser(rate('client-link')))
      .addOption(new Option('--setup-time <DURATION>', 'how long Setup takes').default(DEFAULT_SETUP_SECONDS, '60s').argParser(duration('setup-time')))
      .addOption(new Option('--restart-time <DURATION>', 'the restart of a desk that kept a ConflictingApps app open (RestartIfBusy)').default(DEFAULT_RESTART_SECONDS, '120s').argParser(duration('restart-time')))
      .option('--report <FILE.html>', 'also write one self-contained HTML page with a timeline chart')
      .addOption(formatOption())
      .addOption(new Option('--seed <N>', 'the seed of the login order').default(1).argParser(wholeNumber('seed', 0, 2 ** 31)))
      .addHelpText('after', `${CLIENTS_HELP}\n\nRATE: a number with bit, Kbit, Mbit, Gbit, B, KB, MB or GB (per second; K, M, G are powers of 1000). DURATION: 90s, 15m, 2h or 0s.`);
  },
  run: (cmd, io) => runPlan(cmd.args[0], cmd.opts<PlanOptions>(), io),
};

/** --start, read as the workbench child reads Plan Rollout's start. */
function startOf(v: string | undefined, timeZone: string | null, now: number): number {
  const start = parsePlanStart(v, timeZone, now);
  if (!start.ok) throw new UsageError(`--${start.problem.slice('the '.length)}`);
  return start.value;
}

async function runPlan(file: string, options: PlanOptions, io: CliIo): Promise<number> {
  const { format, report } = options;
  if (report === '') throw new UsageError('--report needs a FILE.html');
  let assets: ReportAssets | null = null;
  if (typeof report === 'string') {
    try {
      assets = loadReportAssets();
    } catch (err) {
      io.stderr.write(`nsupgrade: cannot write a report: ${(err as Error).message}\n`);
      return 2;
    }
  }

  const entries = fleetOrUsageError(options.clients);
  const loaded = await loadOrSay(file, io);
  if (!loaded) return 2;
  if (!loaded.ok) return refuseConfigWithErrors(file, loaded, io, 'no plan is made for a config with errors');
  const { config } = loaded;
  const plan = planRollout({
    config,
    files: loaded.files,
    desks: desksOfFleet(entries),
    start: startOf(options.start, config.rollout?.timeZone ?? null, (io.now ?? Date.now)()),
    loginsOverSeconds: options.loginsOver,
    linkBytesPerSecond: options.link ?? defaultLink(config),
    clientLinkBytesPerSecond: options.clientLink ?? null,
    setupSeconds: options.setupTime,
    restartSeconds: options.restartTime,
    seed: options.seed,
  });
  if (typeof report === 'string' && assets) {
    try {
      writeFileWhole(report, planReportHtml(toChartData(plan, basename(file)), assets));
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const why = e.code === 'ENOENT' ? 'its folder does not exist' : e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.code === 'EISDIR' ? 'it is a folder' : e.message;
      io.stderr.write(`nsupgrade: cannot write the report ${report}: ${why}\n`);
      return 2;
    }
  }
  io.stdout.write(format === 'json' ? `${JSON.stringify(planJson(plan), null, 2)}\n` : formatPlanText(plan, file));
  if (typeof report === 'string' && format === 'text') io.stdout.write(`\nReport: ${report}\n`);
  return 0;
}
