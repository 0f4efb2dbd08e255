// What can come of a simulated desk, in a module of its own (no I/O): the
// simulator's reports and the editor's tree judge failures by the same list.

export type ClientOutcome =
  | 'let-in'
  | 'rejected'
  | 'declined'
  | 'upgraded'
  | 'restart-required'
  | 'hash-mismatch'
  | 'size-mismatch'
  | 'loop'
  | 'setup-failed'
  | 'error';

/** Outcomes where the desk did not get what the config meant: failed by the
 *  config, the server, or (setup-failed, a fleet's `fail` column) its own Setup. */
export const FAILED_OUTCOMES: readonly ClientOutcome[] = ['hash-mismatch', 'size-mismatch', 'loop', 'setup-failed', 'error'];
