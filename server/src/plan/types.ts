// The planner's vocabulary (spec section 9). Times inside a plan are seconds
// after its start (floats, exact for the arithmetic of the spec); `start` is
// epoch milliseconds and `timeZone` the config's clock, for printing.
import type { ConfigFiles, Decision, UpgradeConfig, UpgradeMode } from '../config';

/** One desk of the fleet, before the plan. */
export interface PlanDesk {
  /** The name it sends at login (spec 7): Pilot, Exclude and its bucket read it. */
  name: string;
  version: string;
  /** Applications running when Setup starts (a ConflictingApps one means a restart). */
  apps: readonly string[];
}

export interface PlanInput {
  /** A valid config (no errors) and its files checked on disk. */
  config: UpgradeConfig;
  files: ConfigFiles;
  desks: readonly PlanDesk[];
  /** Epoch milliseconds of the first login. */
  start: number;
  /** Logins spread evenly over this many seconds, in a seeded random order. */
  loginsOverSeconds: number;
  /** The server's uplink, shared equally by the active transfers. */
  linkBytesPerSecond: number;
  /** Each desk's own cap; null: none. */
  clientLinkBytesPerSecond: number | null;
  setupSeconds: number;
  restartSeconds: number;
  seed: number;
  /** Failed upgrades already reported for this CurrentVersion (spec 8); the plan adds none. Default 0. */
  failures?: number;
}

export interface PlannedClient {
  name: string;
  version: string;
  /** Seconds after the start. */
  login: number;
  action: Decision['action'];
  reason: Decision['reason'];
  mode?: UpgradeMode;
  modeReason?: 'outside-forced-hours';
  /** Bytes sent to this desk (0 without an upgrade). */
  bytes: number;
  queuedSeconds: number;
  downloadStart?: number;
  downloadEnd?: number;
  /** Setup ran into a ConflictingApps app with RestartIfBusy: the PC restarts. */
  restarts: boolean;
  /** Back at work (the login itself without an upgrade). */
  back: number;
  /** From login to back when forced; 0 when optional or not upgraded. */
  downSeconds: number;
  /** The part of downSeconds in business hours (outside ForcedHours; all of it without ForcedHours). */
  downSecondsInBusinessHours: number;
}

export interface PlanTotals {
  clients: number;
  byAction: Record<Decision['action'], number>;
  bytes: number;
  makespanSeconds: number;
  /** The most desks waiting for a transfer slot at once. */
  peakQueue: number;
  downMinutes: number;
  downMinutesInBusinessHours: number;
}

/** The link's use: `bytesPerSecond[i]` from `at[i]` until `at[i + 1]` (seconds after the start). */
export interface LinkUse {
  at: number[];
  bytesPerSecond: number[];
}

export interface Plan {
  start: number;
  timeZone: string | null;
  settings: {
    loginsOverSeconds: number;
    linkBytesPerSecond: number;
    clientLinkBytesPerSecond: number | null;
    maxTransfers: number;
    setupSeconds: number;
    restartSeconds: number;
    seed: number;
    forcedHours: string | null;
  };
  /** In login order. */
  clients: PlannedClient[];
  totals: PlanTotals;
  link: LinkUse;
  /** Business hours (outside ForcedHours) within the plan, [from, to) seconds after
   *  the start, to the minute; null without ForcedHours (the file does not say). */
  businessHours: Array<[number, number]> | null;
}
