// The 'plan' request of the workbench child (spec 9, issue 13): VS Code's Plan
// Rollout... and the [Rollout] code lens ask the child to plan; the extension
// host never plans. Types only, so the host takes them without code.
import type { ConfigProblem } from '../upgrade/events';
import type { PlanTotals } from '../plan/types';
import type { PlanChartData } from '../plan/chartTypes';

/** What to plan, typed (the host checked the rates and durations with the model's
 *  parseRate and parseDuration as the user typed them). Absent: spec 9's default. */
export interface PlanRunOptions {
  /** Absolute path of the upgrade.ini (read from disk: a plan is of the saved file). */
  config: string;
  /** VERSION[:COUNT],... or @fleet.csv (an absolute path). */
  clients: string;
  /** As `--start`: ISO 8601 with an offset or Z, or a wall-clock time in the config's
   *  TimeZone; absent or empty: next Monday 08:00 there. */
  start?: string;
  loginsOverSeconds?: number;
  /** Default [Server] MaxRate, else 1Gbit. */
  linkBytesPerSecond?: number;
  clientLinkBytesPerSecond?: number | null;
  setupSeconds?: number;
  restartSeconds?: number;
  seed?: number;
  /** Only the headline and the totals (the code lens): no chart data. */
  headlineOnly?: boolean;
}

/** A plan as the views get it. */
export interface PlanView {
  config: string;
  clients: string;
  /** `plan: 300 desks back by 09:42, 18 desk-minutes down in business hours`. */
  headline: string;
  totals: PlanTotals;
  /** The start as ISO 8601 with the offset of the config's TimeZone. */
  start: string;
  /** What the report draws (absent when only the headline was asked for). */
  chart?: PlanChartData;
  /** How long the plan took in the child (load, plan, chart), ms. */
  tookMs: number;
}

export type PlanResult =
  | { type: 'planned'; plan: PlanView }
  /** `config`: the file has errors (listed); `input`: the fleet or an option is bad; `cancelled`: a cancel came first. */
  | { type: 'plan-failed'; reason: 'config' | 'input' | 'cancelled' | 'other'; message: string; problems?: ConfigProblem[] };
