// `nsupgrade check FILE... [--format text|json]`: every diagnostic of spec
// sections 1-4 and 7. Exit 0 no errors, 1 errors, 2 a file could not be read.
import type { Command } from 'commander';
import { formatOption, type Format } from './args';
import type { CliCommand } from './commands';
import { formatDiagnosticsText, jsonArrayText, summarize, toJsonDiagnostics, type JsonDiagnostic } from './format';
import { loadOrSay, useColor, type CliIo } from './io';

interface CheckOptions {
  format: Format;
}

export const checkCommand: CliCommand = {
  name: 'check',
  define(cmd: Command): void {
    cmd
      .summary('check upgrade.ini files like a compiler')
      .description('Check upgrade.ini files: every problem of the format, the values, the rollout and the files they name (spec sections 1-4 and 7).')
      .argument('<FILE...>', 'upgrade.ini files')
      .addOption(formatOption())
      .addHelpText('after', '\nText: file:line:col severity message [code], the line, the span marked. JSON: an array of {file, line, column, endLine, endColumn, severity, code, message}.');
  },
  run: (cmd, io) => check(cmd.args, cmd.opts<CheckOptions>(), io),
};

async function check(files: readonly string[], options: CheckOptions, io: CliIo): Promise<number> {
  let couldNotRun = false;
  let errors = 0;
  const json: JsonDiagnostic[] = [];
  for (const file of files) {
    const loaded = await loadOrSay(file, io);
    if (!loaded) {
      couldNotRun = true;
      continue;
    }
    errors += loaded.errorCount;
    // One at a time: a spread into push overflows the stack past about 125,000 diagnostics.
    if (options.format === 'json') for (const d of toJsonDiagnostics(file, loaded.text, loaded.diagnostics)) json.push(d);
    else if (loaded.diagnostics.length > 0) {
      io.stdout.write(formatDiagnosticsText(file, loaded.text, loaded.diagnostics, { color: useColor(io.stdout) }));
      io.stdout.write(`${file}: ${summarize(loaded.diagnostics)}\n`);
    }
  }
  if (options.format === 'json') io.stdout.write(jsonArrayText(json));
  return couldNotRun ? 2 : errors > 0 ? 1 : 0;
}
