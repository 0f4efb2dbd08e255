// The simulator's library API: the CLI and the VS Code extension ("Simulate
// Client Login", "Simulate Fleet") both call these.
import { startUpgradeServer, type UpgradeServer } from '../upgrade/server';
import { ProtocolClient } from '../upgrade/client';
import { expandFleet, parseFleetSpec, type FleetEntry, type Scenario } from './fleet';
import { seededRandom } from './random';
import { simulateClient, type ClientReport, type Target } from './client';
import { summarizeReport, type SimulationReport } from './report';

export type { ClientReport, Target } from './client';
export type { SimulationReport } from './report';
export { FleetError, parseFleetSpec, deskNames } from './fleet';
export { fleetInWords, formatReportText, groupByVersion, reportJson, type VersionGroup } from './report';

export interface SimulateOptions {
  /** A config to serve in-process on a free loopback port, or a server already up. */
  target: { configPath: string } | Target;
  /** SPEC (`5.10.3:20,4.0:10`), `@fleet.csv`, or entries. */
  clients: string | FleetEntry[];
  seed?: number;
  /** Clients at once (default 50). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; client?: ClientReport }) => void;
  timeoutMs?: number;
  /** The simulated time of the logins ([Rollout] ForcedHours, MaxPerHour's hour): the
   *  server's clock starts there and runs on with the real one. Only with a config
   *  to serve: a server already up keeps its own clock. */
  at?: Date;
}

export class SimulatedTimeError extends Error {}

/** A run cancelled through its signal: the report of the desks that finished before, marked cancelled. */
export class SimulationCancelledError extends Error {
  constructor(readonly partial: SimulationReport) {
    super('the simulation was cancelled');
  }
}

/** Runs the fleet; with a config path, starts and stops the server around it. */
export async function simulateFleet(options: SimulateOptions): Promise<SimulationReport> {
  const entries = typeof options.clients === 'string' ? parseFleetSpec(options.clients) : options.clients;
  const seed = options.seed ?? 1;
  const scenarios = expandFleet(entries, seededRandom(seed));
  let server: UpgradeServer | null = null;
  let target: Target;
  if ('configPath' in options.target) {
    const at = options.at?.getTime();
    const t0 = Date.now();
    // A dry run: its offers and results must not count in the real rollout's state file.
    server = await startUpgradeServer({
      configPath: options.target.configPath,
      port: 0,
      host: '127.0.0.1',
      watch: false,
      stateFile: null,
      ...(at !== undefined ? { now: () => new Date(at + (Date.now() - t0)) } : {}),
    });
    target = { host: '127.0.0.1', port: server.address().port };
  } else {
    if (options.at) throw new SimulatedTimeError(`a simulated time needs a config to serve: the server at ${options.target.host}:${options.target.port} keeps its own clock`);
    target = options.target;
    await probe(target, options.timeoutMs ?? 10000);
  }
  const started = Date.now();
  try {
    const clients = await runAll(target, scenarios, options);
    const meta = { target, seed, wallMs: Date.now() - started, config: 'configPath' in options.target ? options.target.configPath : undefined, at: options.at?.toISOString() };
    if (options.signal?.aborted) throw new SimulationCancelledError(summarizeReport(clients, { ...meta, cancelled: { done: clients.length, total: scenarios.length } }));
    return summarizeReport(clients, meta);
  } finally {
    await server?.close();
  }
}

export class NotAnUpgradeServerError extends Error {}

/**
 * One connection first: an unreachable server, or a port where something else
 * answers, is one clear error (the CLI's exit 2), not a fleet of failures.
 */
async function probe(target: Target, timeoutMs: number): Promise<void> {
  const c = await ProtocolClient.connect(target.host, target.port, timeoutMs);
  try {
    c.send({ type: 'hello', protocol: 1, client: 'NetPhone (simulated, probe)' });
    const m = await c.message(Math.min(timeoutMs, 5000));
    if (m.type !== 'welcome') throw new Error(m.type);
    c.send({ type: 'bye' });
  } catch {
    throw new NotAnUpgradeServerError(`${target.host}:${target.port} answers, but not as an upgrade server`);
  } finally {
    c.close();
  }
}

/** One desk, its report only (scripts and tests; VS Code sends a one-desk fleet to its workbench child, for the whole report). */
export async function simulateLogin(options: Omit<SimulateOptions, 'clients' | 'concurrency'> & { version: string; name?: string; declines?: boolean; apps?: string[]; keepsAppsOpen?: boolean }): Promise<ClientReport> {
  const report = await simulateFleet({
    ...options,
    clients: [{ version: options.version, count: 1, ...(options.name ? { name: options.name } : {}), decline: options.declines ? 1 : 0, apps: options.apps ?? [], keepOpen: options.keepsAppsOpen ? 1 : 0 }],
    concurrency: 1,
  });
  return report.clients[0];
}

/** Every desk's report in fleet order; when cancelled, those that finished before the cancel (a desk cut off by it did not finish). */
async function runAll(target: Target, scenarios: Scenario[], options: SimulateOptions): Promise<ClientReport[]> {
  const results: ClientReport[] = new Array(scenarios.length);
  const limit = Math.max(1, Math.min(options.concurrency ?? 50, scenarios.length));
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < scenarios.length) {
      if (options.signal?.aborted) return;
      const i = next++;
      const r = await simulateClient(target, scenarios[i], { timeoutMs: options.timeoutMs, signal: options.signal });
      if (options.signal?.aborted) return;
      results[i] = r;
      done++;
      options.onProgress?.({ done, total: scenarios.length, client: r });
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return options.signal?.aborted ? results.filter((r) => r !== undefined) : results;
}
