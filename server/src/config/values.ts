// The value readers of the schema (one per value type): each reads a trimmed
// value, reports what is wrong with it in the admin's words, and returns the
// value the config takes, or undefined (the key then keeps its default).
import { isIP } from 'node:net';
import { posix } from 'node:path';
import type { Diagnostic, DiagnosticCode, EntryNode, Fix, IniDocument, Version, VersionSet } from './types';
import { readVersion } from './version';
import { parseVersionSet, type ParsedVersionSet } from './versionSet';
import type { TextChange } from './parser';
import { suggest } from './suggest';
import { parseRate } from './units';

/** What a reader gets besides the value: where it is, and where to report. */
export interface ReadContext {
  doc: IniDocument;
  entry: EntryNode;
  /** The key's name as the schema spells it (`FullSetup`), for messages. */
  name: string;
  report(d: Diagnostic): void;
  /** Values worth keeping for the next check after an edit (a 20,000-item Patchable). */
  memo?: ReadMemo;
}

/** What a check keeps for the next one after an edit, and what it took over from the last. */
export interface ReadMemo {
  /** Version sets read, by key name. */
  versionSets: Map<string, { text: string; base: number; parsed: ParsedVersionSet }>;
  /** Those of the previous check, with the edit since; taken over, so they are used once. */
  previous?: { versionSets: ReadMemo['versionSets']; change: TextChange };
}

export type ValueParser<T> = (value: string, ctx: ReadContext) => T | undefined;

/** An error on the value (on the key when the value is empty). */
export function valueError(code: DiagnosticCode, entry: EntryNode, message: string, fixes?: Fix[]): Diagnostic {
  const span = entry.valueSpan.start === entry.valueSpan.end ? entry.keySpan : entry.rawValueSpan;
  return { code, severity: 'error', span, message, fixes };
}

export function replaceValueFix(entry: EntryNode, newText: string, title = `Change to ${newText}`): Fix {
  return { title, edits: [{ span: entry.rawValueSpan, newText }], preferred: true };
}

export function readInteger(min: number, max: number): ValueParser<number> {
  return (value, { entry, name, report }) => {
    if (!/^[0-9]+$/.test(value)) {
      report(valueError('invalid-number', entry, `${name} must be a whole number from ${min} to ${max}, not "${value}"`));
      return undefined;
    }
    const n = Number(value);
    if (n < min || n > max) {
      report(valueError('number-out-of-range', entry, `${name} = ${value} is out of range: use a number from ${min} to ${max}`));
      return undefined;
    }
    return n;
  };
}

export const BOOLEAN_WORDS = ['Yes', 'No', 'True', 'False', 'On', 'Off', '1', '0'] as const;
const TRUE_WORDS = new Set(['yes', 'true', 'on', '1']);
const FALSE_WORDS = new Set(['no', 'false', 'off', '0']);

export function parseBoolean(value: string): boolean | null {
  const v = value.toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  return null;
}

export const readBoolean: ValueParser<boolean> = (value, { entry, name, report }) => {
  const b = parseBoolean(value);
  if (b === null) {
    const guess = suggest(value, BOOLEAN_WORDS);
    report(valueError('invalid-boolean', entry, `${name} must be Yes or No (also True/False, On/Off, 1/0), not "${value}"`, guess ? [replaceValueFix(entry, guess)] : undefined));
    return undefined;
  }
  return b;
};

/** One of `allowed`, in any case; the value as the schema spells it. */
export function readChoice<C extends string>(allowed: readonly C[], code: DiagnosticCode): ValueParser<C> {
  return (value, { entry, name, report }) => {
    const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
    if (!match) {
      const guess = suggest(value, allowed);
      report(valueError(code, entry, `${name} must be ${allowed.join(' or ')}, not "${value}"`, guess ? [replaceValueFix(entry, guess)] : undefined));
      return undefined;
    }
    return match;
  };
}

/** Why `value` cannot be an address to listen on (`[Server] Bind`, `serve --host`); null when it can.
 *  One rule for both: an empty one is refused, never taken for "every interface". */
export function addressProblem(value: string): string | null {
  if (value.toLowerCase() === 'localhost' || isIP(value) !== 0) return null;
  return `must be an IP address (127.0.0.1, 0.0.0.0, ::1) or localhost, not "${value}"${value.trim() === '' ? ': to serve every interface, say 0.0.0.0 or ::' : ''}`;
}

export const readAddress: ValueParser<string> = (value, { entry, report }) => {
  const problem = addressProblem(value);
  if (problem) {
    report(valueError('invalid-address', entry, `Bind ${problem}`));
    return undefined;
  }
  if (value === '0.0.0.0' || value === '::' || /^0*:(0*:)*0*$/.test(value)) {
    report({
      code: 'network-bind',
      severity: 'information',
      span: entry.rawValueSpan,
      message: `Bind = ${value} serves every network interface: any client that can reach this machine may connect. Use 127.0.0.1 to test on this machine only`,
    });
  }
  return value;
};

/** As written: folders are checked on disk (files.ts). */
export const readText: ValueParser<string> = (value) => value;

/** Static path checks; links leaving FileRoot are found on disk (files.ts). */
export function pathProblem(value: string): 'absolute' | 'outside' | null {
  if (/^([\\/]|[A-Za-z]:)/.test(value)) return 'absolute';
  const normal = posix.normalize(value.replace(/\\/g, '/'));
  if (normal === '..' || normal.startsWith('../')) return 'outside';
  return null;
}

/** A path under FileRoot: never absolute, never leaving it. */
export const readServedPath: ValueParser<string> = (value, { entry, name, report }) => {
  const problem = pathProblem(value);
  if (problem === 'absolute') {
    report(valueError('absolute-path', entry, `${name} must be a path relative to FileRoot, not an absolute path: move the file under FileRoot and write its name`));
    return undefined;
  }
  if (problem === 'outside') {
    report(valueError('path-outside-root', entry, `${name} leaves FileRoot ("${value}"): the server never sends a file outside FileRoot. Move the file under FileRoot`));
    return undefined;
  }
  return value;
};

/** `StateFile`: a path (relative to the .ini's folder, or absolute), or `None`: null. Its folder is checked on disk. */
export const readStatePath: ValueParser<string | null> = (value) => (value.toLowerCase() === 'none' ? null : value);

export const readSha256: ValueParser<string> = (value, { entry, name, report }) => {
  if (!/^[0-9a-fA-F]{64}$/.test(value)) {
    report(valueError('invalid-sha256', entry, `${name} must be 64 hexadecimal digits (a SHA-256), but has ${value.length} characters${/[^0-9a-fA-F]/.test(value) ? ' and not only hex digits' : ''}`));
    return undefined;
  }
  return value.toLowerCase();
};

export const readVersionValue: ValueParser<Version> = (value, { entry, name, report }) => {
  const r = readVersion(value);
  if (!r.ok) {
    report(valueError('invalid-version', entry, `${name} "${value}" is not a valid version: ${r.problem}. Write up to four numbers 0-65535 separated by dots, e.g. 5.20.12`));
    return undefined;
  }
  return r.version;
};

/** Every item that parsed, even when others did not (the checks of section 3 look at them all). */
export const readVersionSet: ValueParser<VersionSet> = (value, { entry, name, report, memo }) => {
  const base = entry.valueSpan.start;
  const before = memo?.previous?.versionSets.get(name);
  const parsed = parseVersionSet(value, base, before && memo?.previous ? { ...before, change: memo.previous.change } : undefined);
  memo?.versionSets.set(name, { text: value, base, parsed });
  for (const d of parsed.diagnostics) report(d);
  return parsed.set;
};

export const readCommaList: ValueParser<string[]> = (value) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/** A RATE (spec section 9), in bytes a second. */
export const readRate: ValueParser<number> = (value, { entry, name, report }) => {
  const r = parseRate(value);
  if (!r.ok) {
    report(valueError('invalid-rate', entry, `${name} "${value}" is not a rate: ${r.problem}`));
    return undefined;
  }
  return r.value;
};
