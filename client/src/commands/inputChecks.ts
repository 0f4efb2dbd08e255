// What the input boxes check as the user types, with the model's own readers
// (the host may import these small pure helpers): one wording per kind of input.
import { parseInstant, parseVersion } from '../../../server/src/config';
import { parseInlineFleet } from '../../../server/src/simulator/fleet';

/** A Net Phone version as a client reports it, or what is wrong with it. */
export function versionProblem(v: string): string | null {
  return parseVersion(v.trim()) ? null : 'Up to four numbers 0-65535 separated by dots, e.g. 5.10.3';
}

/** An ISO 8601 time with an offset or Z; empty means now. */
export function instantProblem(v: string): string | null {
  return v.trim() === '' || parseInstant(v) !== null ? null : 'An ISO 8601 time with an offset or Z, such as 2026-03-03T10:00+01:00';
}

/** A fleet typed as VERSION[:COUNT],...: the parser's own message when it is not one. */
export function inlineFleetProblem(v: string): string | null {
  try {
    parseInlineFleet(v);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
