// `nsupgrade serve FILE [--port N] [--host H] [--log-json FILE]`: runs the
// upgrade server in the foreground until Ctrl+C, with a readable log.
import { closeSync, createWriteStream, openSync, type WriteStream } from 'node:fs';
import { Option, type Command } from 'commander';
import { addressProblem, cannotRead } from '../config';
import { formatEvent } from '../upgrade/events';
import { ConfigErrorsError, portInUse, startUpgradeServer } from '../upgrade/server';
import { UsageError, wholeNumber } from './args';
import type { CliCommand } from './commands';
import { isReadError, writeConfigErrors, type CliIo } from './io';

interface ServeOptions {
  port?: number;
  host?: string;
  logJson?: string;
}

export const serveCommand: CliCommand = {
  name: 'serve',
  define(cmd: Command): void {
    cmd
      .summary('run the upgrade server until Ctrl+C')
      .description('Run the upgrade server for FILE in the foreground until Ctrl+C (or SIGTERM), with a readable log on stdout. Prints the address it listens on. A change to FILE is checked and applied while it runs; a change with errors is refused and the running config stays.')
      .argument('<FILE>', 'an upgrade.ini without errors')
      .addOption(new Option('--port <N>', 'the port (0: any free one); default [Server] Port').argParser(wholeNumber('port', 0, 65535)))
      .addOption(new Option('--host <H>', 'the address to listen on; default [Server] Bind').argParser(host))
      .option('--log-json <FILE>', 'also append every event to FILE as one JSON object a line');
  },
  run: (cmd, io) => runServe(cmd.args[0], cmd.opts<ServeOptions>(), io),
};

/** The rule of [Server] Bind: '' would listen on every interface without a word. */
function host(v: string): string {
  const problem = addressProblem(v);
  if (problem) throw new UsageError(`--host ${problem}`);
  return v;
}

async function runServe(file: string, args: ServeOptions, io: CliIo): Promise<number> {
  let logFd: number | null = null;
  if (args.logJson) {
    try {
      logFd = openSync(args.logJson, 'a');
    } catch (err) {
      io.stderr.write(`nsupgrade: cannot write the log ${args.logJson}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
      return 2;
    }
  }
  let server;
  try {
    server = await startUpgradeServer({ configPath: file, port: args.port, host: args.host });
  } catch (err) {
    if (logFd !== null) closeSync(logFd);
    if (err instanceof ConfigErrorsError) {
      writeConfigErrors(err.loaded, io);
      io.stderr.write(`nsupgrade: ${err.message}\n`);
      return 1;
    }
    const e = err as NodeJS.ErrnoException;
    if (isReadError(e)) io.stderr.write(`nsupgrade: ${cannotRead(file, e)}\n`);
    else if (e.code === 'EADDRINUSE') io.stderr.write(`nsupgrade: ${portInUse(e)}: stop the other server or pass --port N\n`);
    else if (e.code === 'EADDRNOTAVAIL' || e.code === 'EACCES') io.stderr.write(`nsupgrade: cannot listen there (${e.code}): check Bind/--host and --port\n`);
    else io.stderr.write(`nsupgrade: ${e.message}\n`);
    return 2;
  }
  let log: WriteStream | null = null;
  if (logFd !== null) {
    log = createWriteStream(args.logJson ?? '', { fd: logFd });
    // A disk that fills up later loses log lines, never the server.
    log.on('error', (err) => io.stderr.write(`nsupgrade: the log ${args.logJson} failed: ${err.message}\n`));
  }
  server.on('event', (event) => {
    // The readable log has the login and decision lines already; the JSON log has every event.
    if (event.type !== 'inventory') io.stdout.write(`${new Date().toISOString()} ${formatEvent(event)}\n`);
    log?.write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
  });
  const a = server.address();
  io.stdout.write(`nsupgrade: upgrade server listening on ${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}; Ctrl+C stops it\n`);
  const stop =
    io.stopSignal ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  await stop;
  await server.close();
  // Callers (tests, the CLI's exit) read the log once this returns: flush it first.
  if (log) {
    const open = log;
    await new Promise<void>((r) => open.end(() => r()));
  }
  return 0;
}
