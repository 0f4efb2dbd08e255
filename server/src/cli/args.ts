// A small, strict argument reader: unknown flags are errors, never ignored.

export class UsageError extends Error {}

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

/** `spec` maps each flag to whether it takes a value. */
export function parseArgs(argv: readonly string[], spec: Record<string, boolean>): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (!(name in spec)) throw new UsageError(`unknown option --${name}`);
    if (spec[name]) {
      const value = eq !== -1 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
    }
  }
  return { positionals, flags };
}

export function formatFlag(args: ParsedArgs): 'text' | 'json' {
  const f = args.flags.get('format') ?? 'text';
  if (f !== 'text' && f !== 'json') throw new UsageError(`--format must be text or json, not "${String(f)}"`);
  return f;
}

/** An ISO 8601 date-time with an offset or `Z` (`2026-03-03T10:00+01:00`) as epoch
 *  milliseconds, or null: the times of `--at` and `--start` name one instant. */
export function parseInstant(text: string): number | null {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(t)) return null;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms : null;
}
