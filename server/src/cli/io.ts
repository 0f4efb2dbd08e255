// What every command shares: its output streams, colour on a terminal only,
// reading a config with one "cannot read X" message, and printing a config's
// errors exactly as `check` prints them.
import { cannotRead, InputTooLargeError, loadConfig, type Diagnostic, type LoadedConfig } from '../config';
import { formatDiagnosticsText, summarize } from './format';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** The clock of the defaults "now" (decide --at) and "next Monday" (plan --start); tests pin it. */
  now?: () => number;
  /** serve: resolves when the user asks to stop; by default Ctrl+C or SIGTERM. Tests pass their own. */
  stopSignal?: Promise<void>;
}

export function useColor(stream: { isTTY?: boolean }): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

/** Reads and checks FILE; when it cannot be read, says why on stderr and returns null (the caller exits 2). */
export async function loadOrSay(file: string, io: Pick<CliIo, 'stderr'>): Promise<LoadedConfig | null> {
  try {
    return await loadConfig(file);
  } catch (err) {
    io.stderr.write(`nsupgrade: ${cannotRead(file, err)}\n`);
    return null;
  }
}

/** Did reading a file fail (as opposed to listening or connecting)? Then cannotRead words it. */
export function isReadError(err: unknown): boolean {
  const syscall = (err as NodeJS.ErrnoException).syscall;
  return err instanceof InputTooLargeError || syscall === 'open' || syscall === 'read' || syscall === 'stat' || syscall === 'fstat';
}

export function errorsOf(loaded: Pick<LoadedConfig, 'diagnostics'>): Diagnostic[] {
  return loaded.diagnostics.filter((d) => d.severity === 'error');
}

/** A config's errors on stderr, as `check` prints them. */
export function writeConfigErrors(loaded: Pick<LoadedConfig, 'path' | 'text' | 'diagnostics'>, io: Pick<CliIo, 'stderr'>): void {
  io.stderr.write(formatDiagnosticsText(loaded.path, loaded.text, errorsOf(loaded), { color: useColor(io.stderr) }));
}

/** A command that needs a valid config refuses one with errors: the errors, then `FILE: N errors: no WHAT is made ...`. Exit 1. */
export function refuseConfigWithErrors(file: string, loaded: LoadedConfig, io: Pick<CliIo, 'stderr'>, what: string): 1 {
  writeConfigErrors(loaded, io);
  io.stderr.write(`${file}: ${summarize(errorsOf(loaded))}: ${what}\n`);
  return 1;
}
