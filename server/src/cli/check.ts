// `nsupgrade check FILE... [--format text|json]`: every diagnostic of spec
// sections 1-4 and 7. Exit 0 no errors, 1 errors, 2 a file could not be read.
import { formatFlag, parseArgs, UsageError } from './args';
import { formatDiagnosticsText, summarize, toJsonDiagnostics, type JsonDiagnostic } from './format';
import { loadOrSay, useColor, type CliIo } from './io';

export const CHECK_USAGE = 'nsupgrade check FILE... [--format text|json]';

export async function runCheck(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { format: true });
  const format = formatFlag(args);
  if (args.positionals.length === 0) throw new UsageError('check needs at least one FILE');
  let couldNotRun = false;
  let errors = 0;
  const json: JsonDiagnostic[] = [];
  for (const file of args.positionals) {
    const loaded = await loadOrSay(file, io);
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
