// Options shared by the commands, and how a bad value reads. Arguments are
// parsed by commander (cli/program.ts); a value is checked by the parser given
// to its Option, which throws UsageError with the whole sentence the user
// reads ("--port must be a whole number from 0 to 65535, not "http"").
import { Option } from 'commander';
import { parseInstant } from '../config';

export { parseInstant };

/** Bad arguments: the CLI prints the message and exits 2. */
export class UsageError extends Error {}

export type Format = 'text' | 'json';

/** `--format text|json`, text by default. */
export function formatOption(): Option {
  return new Option('--format <text|json>', 'output format').default('text').argParser((v: string): Format => {
    if (v !== 'text' && v !== 'json') throw new UsageError(`--format must be text or json, not "${v}"`);
    return v;
  });
}

/** A parser for a whole-number option from `min` to `max`. */
export function wholeNumber(flag: string, min: number, max: number): (v: string) => number {
  return (v) => {
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, not "${v}"`);
    return Number(v);
  };
}

/** A parser for `--at`-like options: an instant, as a Date. */
export function instant(flag: string): (v: string) => Date {
  return (v) => {
    const ms = parseInstant(v);
    if (ms === null) throw new UsageError(`--${flag} must be an ISO 8601 time with an offset or Z, such as 2026-03-03T10:00+01:00, not "${v}"`);
    return new Date(ms);
  };
}

/** `--clients SPEC`, as simulate and plan take it. */
export function clientsOption(): Option {
  return new Option('--clients <SPEC>', 'the desks: VERSION[:COUNT],... or @FILE (below)').makeOptionMandatory();
}

export const CLIENTS_HELP = `
--clients SPEC:
  VERSION[:COUNT],...   desks by version, e.g. 5.10.3:20,4.0:10,5.20.12 (named desk-001...)
  @FILE                 a fleet CSV (see examples/fleet.csv):
                          version,count[,name][,decline][,apps][,keepOpen][,dropAt][,fail]
                        decline, keepOpen and fail: yes, no or a chance from 0 to 1
                        (fail: Setup fails on the desk; simulate only, plan draws none);
                        apps: names separated by ';'; dropAt: a percent of the
                        download after which the connection drops (then resumes)
  At most 100000 desks a run.`;
