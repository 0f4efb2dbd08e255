// `nsupgrade plan FILE --clients SPEC [--start TIME] [--logins-over DURATION]
//   [--link RATE] [--client-link RATE] [--setup-time DURATION]
//   [--restart-time DURATION] [--report FILE.html] [--format text|json] [--seed N]`  (spec section 9)
// Exit 0: planned; 1: the config has errors; 2: could not run (bad arguments,
// no such file, a bad fleet).
import { parseDuration, parseRate } from '../config';
import { FleetError, parseFleetSpec } from '../simulator/fleet';
import { basename } from 'node:path';
import { desksOfFleet, formatPlanText, loadReportAssets, nextMondayAt8, planJson, planReportHtml, planRollout, toChartData, writeFileWhole, zonedInstant, type ReportAssets } from '../plan';
import { formatFlag, parseArgs, parseInstant, UsageError, type ParsedArgs } from './args';
import { loadOrSay, refuseConfigWithErrors } from './io';

export interface PlanIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** The clock of the default start (tests pin it). */
  now?: () => number;
}

export const PLAN_USAGE =
  'nsupgrade plan FILE --clients SPEC [--start TIME] [--logins-over DURATION] [--link RATE] [--client-link RATE] [--setup-time DURATION] [--restart-time DURATION] [--report FILE.html] [--format text|json] [--seed N]';

/** `1Gbit`: the link when neither --link nor [Server] MaxRate says. */
const DEFAULT_LINK_BYTES_PER_SECOND = 125_000_000;

function rateFlag(args: ParsedArgs, name: string): number | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  const rate = parseRate(String(v));
  if (!rate.ok) throw new UsageError(`--${name}: ${rate.problem}`);
  return rate.value;
}

function durationFlag(args: ParsedArgs, name: string, fallback: number): number {
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  const seconds = parseDuration(String(v));
  if (!seconds.ok) throw new UsageError(`--${name}: ${seconds.problem}`);
  return seconds.value;
}

/** ISO 8601 with an offset or Z; without one, a wall-clock time in the config's TimeZone. */
function startFlag(args: ParsedArgs, timeZone: string | null, now: number): number {
  const v = args.flags.get('start');
  if (v === undefined) return nextMondayAt8(now, timeZone);
  const text = typeof v === 'string' ? v.trim() : '';
  const local = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(text);
  if (local) {
    const [y, mo, d, h, mi] = local.slice(1).map(Number);
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59) return zonedInstant(y, mo, d, h, mi, timeZone);
  } else {
    const instant = parseInstant(text);
    if (instant !== null) return instant;
  }
  throw new UsageError(`--start must be an ISO 8601 time such as 2025-12-01T08:00+01:00 (or 2025-12-01T08:00 in the config's TimeZone), not "${String(v)}"`);
}

function seedFlag(args: ParsedArgs): number {
  const v = args.flags.get('seed');
  if (v === undefined) return 1;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) > 2 ** 31) throw new UsageError(`--seed must be a whole number from 0 to ${2 ** 31}`);
  return Number(v);
}

export async function runPlan(argv: readonly string[], io: PlanIo): Promise<number> {
  const args = parseArgs(argv, {
    clients: true,
    start: true,
    'logins-over': true,
    link: true,
    'client-link': true,
    'setup-time': true,
    'restart-time': true,
    report: true,
    format: true,
    seed: true,
  });
  const format = formatFlag(args);
  if (args.positionals.length !== 1) throw new UsageError('plan needs exactly one FILE');
  const spec = args.flags.get('clients');
  if (typeof spec !== 'string') throw new UsageError('plan needs --clients SPEC (e.g. 5.10.3:200,4.90:50) or --clients @fleet.csv');
  // Every flag is read before any file, so a typo costs no disk work.
  const loginsOver = durationFlag(args, 'logins-over', 0);
  const setupTime = durationFlag(args, 'setup-time', 60);
  const restartTime = durationFlag(args, 'restart-time', 120);
  const link = rateFlag(args, 'link');
  const clientLink = rateFlag(args, 'client-link') ?? null;
  const seed = seedFlag(args);
  const report = args.flags.get('report');
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

  let entries;
  try {
    entries = parseFleetSpec(spec);
  } catch (err) {
    if (err instanceof FleetError) {
      io.stderr.write(`nsupgrade: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const file = args.positionals[0];
  const loaded = await loadOrSay(file, io);
  if (!loaded) return 2;
  if (!loaded.ok) return refuseConfigWithErrors(file, loaded, io, 'no plan is made for a config with errors');
  const { config } = loaded;
  const plan = planRollout({
    config,
    files: loaded.files,
    desks: desksOfFleet(entries),
    start: startFlag(args, config.rollout?.timeZone ?? null, (io.now ?? Date.now)()),
    loginsOverSeconds: loginsOver,
    linkBytesPerSecond: link ?? config.server.maxRate ?? DEFAULT_LINK_BYTES_PER_SECOND,
    clientLinkBytesPerSecond: clientLink,
    setupSeconds: setupTime,
    restartSeconds: restartTime,
    seed,
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
