// nsupgrade: the command line of spec section 6. Exit codes: 0 fine, 1 the
// config (or a simulated client) has problems, 2 could not run.
import { cannotRead, loadConfig, decide, loginOf, type LoadedConfig } from './config';
import { formatDiagnosticsText, summarize, toJsonDiagnostics, type JsonDiagnostic } from './cli/format';
import { formatFlag, parseArgs, UsageError } from './cli/args';
import { runServe } from './upgrade/serveCommand';
import { runSimulate } from './simulator/simulateCommand';
import { PLAN_USAGE, runPlan } from './cli/plan';
import type { ConfigErrorsError } from './upgrade/server';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

const USAGE = `nsupgrade: check and test Net Server upgrade.ini files

Usage:
  nsupgrade check FILE... [--format text|json]
  nsupgrade decide FILE --client-version V [--format text|json]
  nsupgrade serve FILE [--port N] [--host H] [--log-json FILE]
  nsupgrade simulate FILE|HOST:PORT --clients SPEC [--at TIME] [--concurrency N] [--format text|json] [--seed N]
  ${PLAN_USAGE}

Exit codes: 0 no errors, 1 errors found, 2 could not run.
`;

function useColor(stream: { isTTY?: boolean }): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

async function load(file: string, io: CliIo): Promise<LoadedConfig | null> {
  try {
    return await loadConfig(file);
  } catch (err) {
    io.stderr.write(`nsupgrade: ${cannotRead(file, err)}\n`);
    return null;
  }
}

function configErrors(e: ConfigErrorsError, io: CliIo): string {
  const errors = e.loaded.diagnostics.filter((d) => d.severity === 'error');
  return formatDiagnosticsText(e.loaded.path, e.loaded.text, errors, { color: useColor(io.stderr) });
}

async function check(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { format: true });
  const format = formatFlag(args);
  if (args.positionals.length === 0) throw new UsageError('check needs at least one FILE');
  let couldNotRun = false;
  let errors = 0;
  const json: JsonDiagnostic[] = [];
  for (const file of args.positionals) {
    const loaded = await load(file, io);
    if (!loaded) {
      couldNotRun = true;
      continue;
    }
    errors += loaded.errorCount;
    if (format === 'json') json.push(...toJsonDiagnostics(file, loaded.text, loaded.diagnostics));
    else if (loaded.diagnostics.length > 0) {
      io.stdout.write(formatDiagnosticsText(file, loaded.text, loaded.diagnostics, { color: useColor(io.stdout) }));
      io.stdout.write(`${file}: ${summarize(loaded.diagnostics)}\n`);
    }
  }
  if (format === 'json') io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  return couldNotRun ? 2 : errors > 0 ? 1 : 0;
}

async function decideCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { format: true, 'client-version': true });
  const format = formatFlag(args);
  if (args.positionals.length !== 1) throw new UsageError('decide needs exactly one FILE');
  const version = args.flags.get('client-version');
  if (typeof version !== 'string') throw new UsageError('decide needs --client-version V');
  const file = args.positionals[0];
  const loaded = await load(file, io);
  if (!loaded) return 2;
  if (!loaded.ok) {
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    io.stderr.write(formatDiagnosticsText(file, loaded.text, errors, { color: useColor(io.stderr) }));
    io.stderr.write(`${file}: ${summarize(errors)}: no decision is made on a config with errors\n`);
    return 1;
  }
  const d = decide(loaded.config, loaded.files, loginOf(version, new Date()));
  if (format === 'json') {
    // Exactly the fields of spec section 6, in its order.
    const out: Record<string, string | number> = { action: d.action, reason: d.reason };
    if (d.action === 'patch' || d.action === 'full') {
      out.mode = d.mode;
      out.file = d.file;
      out.size = d.size;
      out.sha256 = d.sha256;
    }
    io.stdout.write(`${JSON.stringify(out)}\n`);
    return 0;
  }
  const lines: string[] = [];
  if (d.action === 'patch' || d.action === 'full') {
    const why = d.action === 'patch' ? `${version} matches Patchable item "${d.matched}"` : `${version} is older than ${loaded.config.upgrade.currentVersion?.text} and not patchable`;
    lines.push(`${d.action} (${d.reason}): ${why}`);
    lines.push(`  mode    ${d.mode}${d.mode === 'forced' ? ' ("Upgrade in progress": not let in until upgraded)' : ' (the user may decline and is let in)'}`);
    lines.push(`  file    ${d.file}`);
    lines.push(`  size    ${d.size} bytes`);
    lines.push(`  sha256  ${d.sha256}`);
  } else if (d.action === 'allow') {
    const why = { current: 'the client is current', newer: 'the client is newer than CurrentVersion (never downgraded)', 'upgrades-disabled': 'upgrades are disabled (Enabled = No)', excluded: 'the client matches [Rollout] Exclude', paused: 'the rollout is paused after failed upgrades', 'held-back': 'the client is not in the rollout yet (not Pilot, bucket not below Percent)', throttled: '[Rollout] MaxPerHour clients were already offered an upgrade in the last hour' }[d.reason];
    lines.push(`allow (${d.reason}): ${why}`);
  } else {
    lines.push(`reject (${d.reason}): "${version}" is not a version`);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await check(rest, io);
      case 'decide':
        return await decideCommand(rest, io);
      case 'serve':
        return await runServe(rest, io, (e) => configErrors(e, io));
      case 'simulate':
        return await runSimulate(rest, io, (e) => configErrors(e, io));
      case 'plan':
        return await runPlan(rest, io);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        (command === undefined ? io.stderr : io.stdout).write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
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
