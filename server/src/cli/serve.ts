// `nsupgrade serve FILE [--port N] [--host H] [--log-json FILE]`: runs the
// upgrade server in the foreground until Ctrl+C, with a readable log.
import { closeSync, createWriteStream, openSync, type WriteStream } from 'node:fs';
import { addressProblem, cannotRead } from '../config';
import { formatEvent } from '../upgrade/events';
import { ConfigErrorsError, startUpgradeServer } from '../upgrade/server';
import { parseArgs, UsageError } from './args';
import { writeConfigErrors } from './io';

export const SERVE_USAGE = 'nsupgrade serve FILE [--port N] [--host H] [--log-json FILE]';

export interface ServeArgs {
  file: string;
  port?: number;
  host?: string;
  logJson?: string;
}

export function parseServeArgs(argv: readonly string[]): ServeArgs {
  const args = parseArgs(argv, { port: true, host: true, 'log-json': true });
  if (args.positionals.length !== 1) throw new UsageError('serve needs exactly one FILE');
  const out: ServeArgs = { file: args.positionals[0] };
  const port = args.flags.get('port');
  if (typeof port === 'string') {
    if (!/^\d+$/.test(port) || Number(port) > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${port}"`);
    out.port = Number(port);
  }
  const host = args.flags.get('host');
  if (typeof host === 'string') {
    // The rule of [Server] Bind: '' would listen on every interface without a word.
    const problem = addressProblem(host);
    if (problem) throw new UsageError(`--host ${problem}`);
    out.host = host;
  }
  const log = args.flags.get('log-json');
  if (typeof log === 'string') out.logJson = log;
  return out;
}

export interface ServeIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Resolves when the user asks to stop (Ctrl+C, SIGTERM: the only process-wide handlers, here in cli/); tests pass their own. */
  stopSignal?: Promise<void>;
}

export async function runServe(argv: readonly string[], io: ServeIo): Promise<number> {
  const args = parseServeArgs(argv);
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
    server = await startUpgradeServer({ configPath: args.file, port: args.port, host: args.host });
  } catch (err) {
    if (logFd !== null) closeSync(logFd);
    if (err instanceof ConfigErrorsError) {
      writeConfigErrors(err.loaded, io);
      io.stderr.write(`nsupgrade: ${err.message}\n`);
      return 1;
    }
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'EISDIR') io.stderr.write(`nsupgrade: ${cannotRead(args.file, e)}\n`);
    else if (e.code === 'EADDRINUSE') io.stderr.write(`nsupgrade: the port is already in use: stop the other server or pass --port N\n`);
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
