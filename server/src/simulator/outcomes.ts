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
  | 'error';

/** Outcomes that mean the config (or the server) failed this desk. */
export const FAILED_OUTCOMES: readonly ClientOutcome[] = ['hash-mismatch', 'size-mismatch', 'loop', 'error'];
