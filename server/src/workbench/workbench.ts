// The workbench: what the VS Code host asks a child process to run, so its
// own event loop stays free: upgrade servers (one per config), simulations
// (with progress and cancel) and, later, plans. Requests come with ids and
// get one reply each; the state goes out as one snapshot at most every
// SNAPSHOT_MS while anything changes. No process-wide handlers here: the
// entry (workbenchChild.ts) wires this to IPC.
import { startUpgradeServer, configProblems, ConfigErrorsError, portInUse, type UpgradeServer } from '../upgrade/server';
import { simulateFleet, type SimulationReport } from '../simulator';
import { bucketOf, cannotRead, loadConfig, type LoadedConfig, type UpgradeConfig } from '../config';
import type { InventoryEntry } from '../upgrade/events';
import { escapeControl } from '../upgrade/escape';
import type { ClientReport } from '../simulator/client';
import { ServerTracker } from './serverTracker';
import { planForViews } from './planning';
import {
  CLIENTS_PER_OUTCOME,
  INVENTORY_SHOWN,
  SNAPSHOT_MS,
  type RunView,
  type InventoryClientView,
  type ServeOptions,
  type SimulateRunOptions,
  type SimulationView,
  type WorkbenchMessage,
  type WorkbenchRequest,
  type WorkbenchResult,
} from '../views/messages';

interface Served {
  server: UpgradeServer;
  tracker: ServerTracker;
}

export interface WorkbenchOptions {
  /** The child's pid, for the views (a test may run the workbench in its own process). */
  pid: number;
  snapshotMs?: number;
  /** How often a snapshot goes out while offers are counted in the last hour (default OFFERS_REFRESH_MS). */
  offersRefreshMs?: number;
}

/** The views' "offers in the last hour" is at most this old while offers are counted. */
export const OFFERS_REFRESH_MS = 60_000;

export class Workbench {
  private readonly servers = new Map<string, Served>();
  private readonly runs = new Map<number, { abort: AbortController; view: RunView }>();
  /** Plans being made, by request id (a cancel drops one). */
  private readonly plans = new Map<number, AbortController>();
  private seq = 0;
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  /** While offers are counted, a snapshot each OFFERS_REFRESH_MS: offers leave the last hour with no event. */
  private offersTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly send: (m: WorkbenchMessage) => void,
    private readonly options: WorkbenchOptions,
  ) {}

  /** Handles one request; its reply is sent when it is done (a simulation: when the run ends). */
  async handle(request: WorkbenchRequest): Promise<void> {
    const result = await this.run(request).catch((err: unknown): WorkbenchResult => ({ type: 'error', message: (err as Error).message }));
    this.send({ type: 'reply', id: request.id, result });
    this.changed();
  }

  private run(request: WorkbenchRequest): Promise<WorkbenchResult> {
    switch (request.type) {
      case 'start-server':
        return this.startServer(request.options);
      case 'stop-server':
        return this.stopServer(request.config);
      case 'restart-server':
        return this.restartServer(request.options);
      case 'simulate':
        return this.simulate(request.id, request.options);
      case 'cancel': {
        this.runs.get(request.run)?.abort.abort();
        this.plans.get(request.run)?.abort();
        return Promise.resolve({ type: 'cancelling', run: request.run });
      }
      case 'resume-rollout': {
        const served = this.servers.get(request.config);
        if (!served) return Promise.resolve({ type: 'not-serving', config: request.config });
        const wasPaused = served.server.resumeRollout();
        return Promise.resolve({ type: 'rollout-resumed', config: request.config, wasPaused, rollout: served.server.rolloutStatus() });
      }
      case 'plan': {
        const abort = new AbortController();
        this.plans.set(request.id, abort);
        return planForViews(request.options, abort.signal).finally(() => this.plans.delete(request.id));
      }
      case 'inventory': {
        const served = this.servers.get(request.config);
        if (!served) return Promise.resolve({ type: 'not-serving', config: request.config });
        return Promise.resolve({ type: 'inventory', config: request.config, clients: withBuckets(served.server.config.config, served.server.inventory(INVENTORY_SHOWN)), total: served.server.inventorySize });
      }
    }
  }

  private async startServer(options: ServeOptions): Promise<WorkbenchResult> {
    const running = this.servers.get(options.config);
    if (running) return { type: 'server-started', server: running.tracker.listening };
    let server: UpgradeServer;
    try {
      server = await startUpgradeServer({ configPath: options.config, port: options.port, host: options.host });
    } catch (err) {
      if (err instanceof ConfigErrorsError) return { type: 'server-failed', config: options.config, reason: 'config', message: `${options.config} has errors: the upgrade server does not run a config with errors`, problems: err.problems };
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EADDRINUSE') return { type: 'server-failed', config: options.config, reason: 'port-in-use', message: portInUse(e) };
      const why = e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR' ? cannotRead(options.config, e) : e.message;
      return { type: 'server-failed', config: options.config, reason: 'other', message: why };
    }
    const a = server.address();
    const tracker = new ServerTracker(
      { config: options.config, host: a.host, port: a.port, pid: this.options.pid },
      () => ({ text: server.config.text, currentVersion: server.config.config.upgrade.currentVersion?.text ?? '', files: server.filesInForce }),
      () => server.transfers,
      () => ({ status: server.rolloutStatus(), inventoryByVersion: server.inventoryByVersion(), configured: server.config.config.rollout !== null }),
    );
    server.on('event', (e) => {
      tracker.track(e);
      this.changed();
    });
    this.servers.set(options.config, { server, tracker });
    return { type: 'server-started', server: tracker.listening };
  }

  /**
   * Checks the file first when it is served: a file with errors (or one that
   * cannot be read) leaves the running server as it was, and says so; only a
   * good file stops it and starts it afresh (a new port from the settings too).
   */
  private async restartServer(options: ServeOptions): Promise<WorkbenchResult> {
    const served = this.servers.get(options.config);
    if (served) {
      const since = served.tracker.loadedAt;
      const keeps = `the running server keeps the config loaded at ${since}`;
      let loaded: LoadedConfig;
      try {
        loaded = await loadConfig(options.config);
      } catch (err) {
        return { type: 'server-failed', config: options.config, reason: 'other', message: `${cannotRead(options.config, err)}; ${keeps}`, kept: true };
      }
      if (!loaded.ok) {
        const n = loaded.errorCount;
        return { type: 'server-failed', config: options.config, reason: 'config', message: `${options.config} has ${n} error${n === 1 ? '' : 's'}: not restarted; ${keeps}`, problems: configProblems(loaded), kept: true };
      }
      await this.stopServer(options.config);
    }
    return this.startServer(options);
  }

  private async stopServer(config: string): Promise<WorkbenchResult> {
    const served = this.servers.get(config);
    this.servers.delete(config);
    await served?.server.close();
    return { type: 'server-stopped', config };
  }

  private async simulate(id: number, options: SimulateRunOptions): Promise<WorkbenchResult> {
    const served = this.servers.get(options.config);
    const abort = new AbortController();
    const view: RunView = { id, config: options.config, done: 0, total: 0, outcomes: {} };
    this.runs.set(id, { abort, view });
    try {
      // A server bound to every address is reached on loopback.
      const target = served ? { host: loopback(served.tracker.listening.host), port: served.tracker.listening.port } : { configPath: options.config };
      const report = await simulateFleet({
        target,
        clients: options.clients,
        seed: options.seed,
        concurrency: options.concurrency,
        timeoutMs: options.timeoutMs,
        signal: abort.signal,
        onProgress: ({ done, total, client }) => {
          view.done = done;
          view.total = total;
          if (client) view.outcomes[client.outcome] = (view.outcomes[client.outcome] ?? 0) + 1;
          this.changed();
        },
      });
      return { type: 'simulated', report: simulationView(report, options.config, !served) };
    } catch (err) {
      if (err instanceof ConfigErrorsError) return { type: 'simulation-failed', message: err.message, cancelled: false };
      return { type: 'simulation-failed', message: (err as Error).message, cancelled: abort.signal.aborted };
    } finally {
      this.runs.delete(id);
    }
  }

  /** Something the views show changed: a snapshot goes out within SNAPSHOT_MS. */
  private changed(): void {
    this.dirty = true;
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.dirty) this.flush();
    }, this.options.snapshotMs ?? SNAPSHOT_MS);
  }

  /** Sends the state now. */
  flush(): void {
    this.dirty = false;
    const activity = [];
    let dropped = 0;
    const servers = [];
    for (const { tracker } of this.servers.values()) {
      const drained = tracker.drainActivity();
      activity.push(...drained.activity);
      dropped += drained.dropped;
      servers.push(tracker.view());
    }
    activity.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    if (!this.offersTimer && !this.closed && servers.some((v) => v.rollout.offeredLastHour > 0)) {
      this.offersTimer = setTimeout(() => {
        this.offersTimer = null;
        this.changed();
      }, this.options.offersRefreshMs ?? OFFERS_REFRESH_MS);
      // Never what keeps a process alive: the IPC channel (or a test) does that.
      this.offersTimer.unref();
    }
    this.send({ type: 'snapshot', state: { seq: ++this.seq, servers, runs: [...this.runs.values()].map((r) => ({ ...r.view, outcomes: { ...r.view.outcomes } })), activity, activityDropped: dropped } });
  }

  /** Cancels every run and stops every server; a last snapshot says so. */
  async close(): Promise<void> {
    if (this.closed) return;
    for (const r of this.runs.values()) r.abort.abort();
    await Promise.all([...this.servers.values()].map((s) => s.server.close()));
    this.servers.clear();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.offersTimer) clearTimeout(this.offersTimer);
    this.offersTimer = null;
  }
}

/** The clients as the views show them: what a client sent escaped (as in the snapshots), with its
 *  bucket for the CurrentVersion in force (spec 7, from the name as sent) when the config has a [Rollout] section. */
function withBuckets(config: UpgradeConfig, clients: InventoryEntry[]): InventoryClientView[] {
  const current = config.rollout ? config.upgrade.currentVersion : null;
  return clients.map((c) => {
    const view: InventoryClientView = { ...c, name: escapeControl(c.name), version: escapeControl(c.version) };
    if (current) view.bucket = bucketOf(current, c.name);
    return view;
  });
}

function loopback(host: string): string {
  return host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
}

/** The report with at most CLIENTS_PER_OUTCOME clients of each outcome (all counts kept). */
export function simulationView(report: SimulationReport, config: string, privateServer: boolean): SimulationView {
  const kept = new Map<string, number>();
  const clients: ClientReport[] = [];
  for (const c of report.clients) {
    const n = kept.get(c.outcome) ?? 0;
    if (n >= CLIENTS_PER_OUTCOME) continue;
    kept.set(c.outcome, n + 1);
    clients.push(c);
  }
  return { ...report, clients, clientCount: report.clients.length, config, privateServer };
}
