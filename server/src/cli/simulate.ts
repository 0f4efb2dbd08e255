// `nsupgrade simulate FILE|HOST:PORT --clients SPEC [--at TIME] [--concurrency N] [--format text|json] [--seed N]`
// Exit 0: every client ended as its scenario says; 1: any failed; 2: could not run.
import { existsSync } from 'node:fs';
import { ConfigErrorsError } from '../upgrade/server';
import { cannotRead } from '../config';
import { FleetError, formatReportText, reportJson, simulateFleet, type SimulationReport } from '../simulator';
import { formatFlag, parseArgs, parseInstant, UsageError } from './args';
import { writeConfigErrors } from './io';

export const SIMULATE_USAGE = 'nsupgrade simulate FILE|HOST:PORT --clients SPEC [--at TIME] [--concurrency N] [--format text|json] [--seed N]';

export interface SimulateIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

function parseTarget(text: string): { configPath: string } | { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(text);
  if (m && !existsSync(text)) {
    const port = Number(m[2]);
    if (port < 1 || port > 65535) throw new UsageError(`the port in ${text} must be from 1 to 65535`);
    return { host: m[1].replace(/^\[|\]$/g, ''), port };
  }
  return { configPath: text };
}

function wholeNumber(v: string | true | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return Number(v);
}

export async function runSimulate(argv: readonly string[], io: SimulateIo): Promise<number> {
  const args = parseArgs(argv, { clients: true, concurrency: true, format: true, seed: true, at: true });
  const format = formatFlag(args);
  if (args.positionals.length !== 1) throw new UsageError('simulate needs one FILE or HOST:PORT');
  const clients = args.flags.get('clients');
  if (typeof clients !== 'string') throw new UsageError('simulate needs --clients SPEC (e.g. 5.10.3:20,4.0:10) or --clients @fleet.csv');
  const target = parseTarget(args.positionals[0]);
  const atFlag = args.flags.get('at');
  let at: Date | undefined;
  if (atFlag !== undefined) {
    const ms = typeof atFlag === 'string' ? parseInstant(atFlag) : null;
    if (ms === null) throw new UsageError(`--at must be an ISO 8601 time with an offset or Z, such as 2026-03-03T10:00+01:00, not "${String(atFlag)}"`);
    // A running server keeps its own clock; the protocol has no way (and must have none) to set it.
    if (!('configPath' in target)) throw new UsageError(`--at needs a config FILE (served for the run with that clock): the server at ${args.positionals[0]} keeps its own clock`);
    at = new Date(ms);
  }
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
      seed: wholeNumber(args.flags.get('seed'), 'seed', 0, 2 ** 31),
      concurrency: wholeNumber(args.flags.get('concurrency'), 'concurrency', 1, 10000),
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
    if (err instanceof FleetError) {
      io.stderr.write(`nsupgrade: ${err.message}\n`);
      return 2;
    }
    if (err instanceof ConfigErrorsError) {
      writeConfigErrors(err.loaded, io);
      io.stderr.write(`nsupgrade: ${err.message}\n`);
      return 2;
    }
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'ECONNREFUSED'
        ? `no upgrade server answers at ${args.positionals[0]}: start one with nsupgrade serve, or give a config FILE to serve one for the run`
        : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN'
          ? `cannot find the host of ${args.positionals[0]}`
          : e.message;
    io.stderr.write(`nsupgrade: ${why}\n`);
    return 2;
  }
  io.stdout.write(format === 'json' ? reportJson(report) : formatReportText(report));
  return report.failures > 0 ? 1 : 0;
}
