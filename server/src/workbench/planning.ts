// The workbench child's 'plan' request (spec 9): Plan Rollout... and the
// [Rollout] code lens get a plan from here, never from the extension host.
// The config is read from disk as `nsupgrade plan` reads it, the fleet by the
// simulator's reader, the options by the planner's own defaults, so the panel
// and the report of the same options draw the same plan.
import { basename } from 'node:path';
import { cannotRead, loadConfig, type LoadedConfig } from '../config';
import { defaultLink, DEFAULT_RESTART_SECONDS, DEFAULT_SETUP_SECONDS, desksOfFleet, isoInZone, parsePlanStart, planHeadline, planRollout, toChartData } from '../plan';
import { FleetError, parseFleetSpec, type FleetEntry } from '../simulator/fleet';
import { configProblems } from '../upgrade/server';
import type { PlanResult, PlanRunOptions } from '../views/planMessages';

/** The fleet as the panel's title names it: the file's name, or the spec as typed. */
function fleetLabel(clients: string): string {
  return clients.startsWith('@') ? basename(clients.slice(1)) : clients;
}

/** Lets the child's other messages (a cancel, a server's events) in. */
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Plans `options`; a `signal` aborted before the reply (a newer plan
 * superseded it, or the user cancelled) answers `cancelled`. The plan itself
 * runs in one go (10,000 desks take well under a second); the child looks at
 * its messages before it and before the chart data is made and sent.
 */
export async function planForViews(options: PlanRunOptions, signal: AbortSignal, now: () => number = Date.now): Promise<PlanResult> {
  const began = performance.now();
  const cancelled: PlanResult = { type: 'plan-failed', reason: 'cancelled', message: 'The plan was cancelled.' };
  let loaded: LoadedConfig;
  try {
    loaded = await loadConfig(options.config);
  } catch (err) {
    return { type: 'plan-failed', reason: 'other', message: cannotRead(options.config, err) };
  }
  if (!loaded.ok) {
    return { type: 'plan-failed', reason: 'config', message: `${basename(options.config)} has errors: no plan is made for a config with errors`, problems: configProblems(loaded) };
  }
  let entries: FleetEntry[];
  try {
    entries = parseFleetSpec(options.clients);
  } catch (err) {
    if (err instanceof FleetError) return { type: 'plan-failed', reason: 'input', message: err.message };
    throw err;
  }
  const { config } = loaded;
  const timeZone = config.rollout?.timeZone ?? null;
  const start = parsePlanStart(options.start, timeZone, now());
  if (!start.ok) return { type: 'plan-failed', reason: 'input', message: `${start.problem[0].toUpperCase()}${start.problem.slice(1)}` };
  await yieldToLoop();
  if (signal.aborted) return cancelled;
  let plan;
  try {
    plan = planRollout({
      config,
      files: loaded.files,
      desks: desksOfFleet(entries),
      start: start.value,
      loginsOverSeconds: options.loginsOverSeconds ?? 0,
      linkBytesPerSecond: options.linkBytesPerSecond ?? defaultLink(config),
      clientLinkBytesPerSecond: options.clientLinkBytesPerSecond ?? null,
      setupSeconds: options.setupSeconds ?? DEFAULT_SETUP_SECONDS,
      restartSeconds: options.restartSeconds ?? DEFAULT_RESTART_SECONDS,
      seed: options.seed ?? 1,
    });
  } catch (err) {
    // The planner's own checks (a link of 0, a negative time): the option is bad.
    if (err instanceof RangeError) return { type: 'plan-failed', reason: 'input', message: err.message };
    throw err;
  }
  await yieldToLoop();
  if (signal.aborted) return cancelled;
  const chart = options.headlineOnly ? undefined : toChartData(plan, `${basename(options.config)} with ${fleetLabel(options.clients)}`);
  return {
    type: 'planned',
    plan: {
      config: options.config,
      clients: options.clients,
      headline: planHeadline(plan),
      totals: plan.totals,
      start: isoInZone(plan.start, plan.timeZone),
      ...(chart ? { chart } : {}),
      tookMs: Math.round((performance.now() - began) * 10) / 10,
    },
  };
}
