// The extension host's side of the workbench child (dist/workbench.js): it
// forks the child on first use, sends typed requests, and keeps the latest
// state snapshot; the upgrade server and the simulations never run on the
// extension host's event loop. Imports no `vscode`, so tests run it in plain
// Node exactly as the extension does.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { ConfigProblem } from '../../server/src/upgrade/events';
import type { PlanResult, PlanRunOptions } from '../../server/src/views/planMessages';
import type { RolloutStatus } from '../../server/src/upgrade/events';
import type { InventoryClientView, ServeOptions, SimulateRunOptions, SimulationView, WorkbenchMessage, WorkbenchRequest, WorkbenchResult, WorkbenchState, RunView } from '../../server/src/views/messages';

/** The upgrade server the views show (the host serves one config at a time). */
export type HostState =
  | { kind: 'stopped' }
  | { kind: 'starting'; config: string }
  | { kind: 'running'; config: string; host: string; port: number; pid: number }
  | { kind: 'failed'; config: string; reason: 'config' | 'port-in-use' | 'crash' | 'other'; message: string; problems?: ConfigProblem[] };

/** What a start answers: the state, or that another config is being served (the caller asks the user). */
export type StartResult = HostState | { kind: 'busy'; config: string; serving: string };

/** What a restart answers: as a start, or `kept`: the file has errors, the running server goes on as it was. */
export type RestartResult = StartResult | { kind: 'kept'; config: string; reason: 'config' | 'other'; message: string; problems: ConfigProblem[] };

function stateOf(r: WorkbenchResult, config: string): HostState {
  if (r.type === 'server-started') return { kind: 'running', config: r.server.config, host: r.server.host, port: r.server.port, pid: r.server.pid };
  if (r.type === 'server-failed') return { kind: 'failed', config: r.config, reason: r.reason, message: r.message, problems: r.problems };
  return { kind: 'failed', config, reason: 'crash', message: r.type === 'error' ? r.message : `unexpected reply ${r.type}` };
}

export class SimulationError extends Error {
  constructor(
    message: string,
    readonly cancelled: boolean,
  ) {
    super(message);
  }
}

type Request = WorkbenchRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

const EMPTY: WorkbenchState = { seq: 0, servers: [], runs: [], activity: [], activityDropped: 0 };

/**
 * Events: 'state' (HostState) when the served config starts, stops or fails;
 * 'snapshot' (WorkbenchState) a few times a second while anything changes.
 */
export class WorkbenchHost extends EventEmitter {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private nextId = 1;
  private readonly pending = new Map<number, (r: WorkbenchResult) => void>();
  private stderr = '';
  private _state: HostState = { kind: 'stopped' };
  private _snapshot: WorkbenchState = EMPTY;
  /** The start in progress, for a start() called while one runs. */
  private starting: Promise<HostState> | null = null;
  /** What the child said last before it failed, if it could. */
  private fatal: string | null = null;

  constructor(
    private readonly script: string,
    private readonly execArgv: string[] = [],
  ) {
    super();
  }

  get state(): HostState {
    return this._state;
  }

  /** The latest snapshot (servers, runs; its activity is that snapshot's only). */
  get snapshot(): WorkbenchState {
    return this._snapshot;
  }

  private setState(s: HostState): void {
    this._state = s;
    this.emit('state', s);
  }

  private ensureChild(): ChildProcess {
    if (this.child) return this.child;
    const child = fork(this.script, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: this.execArgv });
    this.child = child;
    this.stderr = '';
    child.stdout?.resume();
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    child.on('message', (m: WorkbenchMessage) => this.receive(m));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.child = null;
        this.lost(`The workbench process stopped unexpectedly (${signal ?? `exit code ${code}`}). ${this.stderr.trim().split('\n').slice(-3).join(' ')}`.trim());
        resolve();
      }),
    );
    return child;
  }

  private receive(m: WorkbenchMessage): void {
    if (m.type === 'reply') {
      const done = this.pending.get(m.id);
      this.pending.delete(m.id);
      done?.(m.result);
    } else if (m.type === 'snapshot') {
      this._snapshot = m.state;
      this.emit('snapshot', m.state);
    } else this.fatal = m.message;
  }

  /** The child is gone: every request waiting is answered, the server is no more. */
  private lost(why: string): void {
    const message = this.fatal ? `The workbench process failed: ${this.fatal}` : why;
    this.fatal = null;
    for (const [id, done] of this.pending) {
      this.pending.delete(id);
      done({ type: 'error', message });
    }
    this._snapshot = EMPTY;
    this.emit('snapshot', EMPTY);
    const s = this._state;
    if (s.kind === 'running' || s.kind === 'starting') this.setState({ kind: 'failed', config: s.config, reason: 'crash', message });
  }

  private request(r: Request): { id: number; result: Promise<WorkbenchResult> } {
    const child = this.ensureChild();
    const id = this.nextId++;
    const result = new Promise<WorkbenchResult>((resolve) => this.pending.set(id, resolve));
    child.send({ ...r, id } as WorkbenchRequest);
    return { id, result };
  }

  /**
   * Serves `options.config`. While another config is served, starts nothing
   * and answers `busy`: the caller decides (the extension asks the user).
   */
  async start(options: ServeOptions): Promise<StartResult> {
    if (this.starting) await this.starting;
    const s = this._state;
    if (s.kind === 'running') return s.config === options.config ? s : { kind: 'busy', config: options.config, serving: s.config };
    this.setState({ kind: 'starting', config: options.config });
    this.starting = this.request({ type: 'start-server', options }).result.then((r) => {
      this.starting = null;
      // A crash during the start already said so.
      if (this._state.kind === 'starting') this.setState(stateOf(r, options.config));
      return this._state;
    });
    return this.starting;
  }

  /**
   * Serves `options.config` afresh. When it is the one served, the child
   * checks the file first and keeps the running server when it has errors
   * (`kept`); otherwise this is a start.
   */
  async restart(options: ServeOptions): Promise<RestartResult> {
    if (this.starting) await this.starting;
    const s = this._state;
    if (s.kind !== 'running' || s.config !== options.config) return this.start(options);
    const r = await this.request({ type: 'restart-server', options }).result;
    if (r.type === 'server-failed' && r.kept) return { kind: 'kept', config: r.config, reason: r.reason === 'config' ? 'config' : 'other', message: r.message, problems: r.problems ?? [] };
    // A crash while it restarted already said so.
    if (this._state.kind === 'running') this.setState(stateOf(r, options.config));
    return this._state;
  }

  /** Stops the served config (the child stays for the next start or simulation). */
  async stop(): Promise<void> {
    const s = this._state;
    if (s.kind === 'starting') await this.starting;
    const now = this._state;
    if (now.kind === 'running' && this.child) await this.request({ type: 'stop-server', config: now.config }).result;
    if (this._state.kind !== 'stopped') this.setState({ kind: 'stopped' });
  }

  /**
   * Simulates a fleet against `options.config` (its server when served, else a
   * private one), reporting progress from the snapshots. Rejects with a
   * SimulationError (cancelled or not).
   */
  simulate(options: SimulateRunOptions, onProgress?: (run: RunView) => void): { run: number; report: Promise<SimulationView> } {
    const { id, result } = this.request({ type: 'simulate', options });
    const progress = (s: WorkbenchState): void => {
      const run = s.runs.find((r) => r.id === id);
      if (run) onProgress?.(run);
    };
    if (onProgress) this.on('snapshot', progress);
    const report = result
      .then((r) => {
        if (r.type === 'simulated') return r.report;
        if (r.type === 'simulation-failed') throw new SimulationError(r.message, r.cancelled);
        throw new SimulationError(r.type === 'error' ? r.message : `unexpected reply ${r.type}`, false);
      })
      .finally(() => this.off('snapshot', progress));
    return { run: id, report };
  }

  /** Resumes the served config's rollout after a pause on failures (spec 8); null when `config` is not served. */
  async resumeRollout(config: string): Promise<{ wasPaused: boolean; rollout: RolloutStatus } | null> {
    if (!this.child) return null;
    const r = await this.request({ type: 'resume-rollout', config }).result;
    if (r.type === 'rollout-resumed') return { wasPaused: r.wasPaused, rollout: r.rollout };
    if (r.type === 'not-serving') return null;
    throw new Error(r.type === 'error' ? r.message : `unexpected reply ${r.type}`);
  }

  /** The served config's inventory (the most recent INVENTORY_SHOWN clients, least recent first); null when `config` is not served. */
  async inventory(config: string): Promise<{ clients: InventoryClientView[]; total: number } | null> {
    if (!this.child) return null;
    const r = await this.request({ type: 'inventory', config }).result;
    if (r.type === 'inventory') return { clients: r.clients, total: r.total };
    if (r.type === 'not-serving') return null;
    throw new Error(r.type === 'error' ? r.message : `unexpected reply ${r.type}`);
  }

  /**
   * Plans a rollout in the child (spec 9). `id` is for `cancel(id)`; a crash
   * of the child answers `plan-failed` (other).
   */
  plan(options: PlanRunOptions): { id: number; result: Promise<PlanResult> } {
    const { id, result } = this.request({ type: 'plan', options });
    return {
      id,
      result: result.then((r): PlanResult => (r.type === 'planned' || r.type === 'plan-failed' ? r : { type: 'plan-failed', reason: 'other', message: r.type === 'error' ? r.message : `unexpected reply ${r.type}` })),
    };
  }

  cancel(run: number): void {
    if (this.child?.connected) void this.request({ type: 'cancel', run }).result;
  }

  /** Ends the child (the window closes): its servers stop, its runs are cancelled. */
  async dispose(): Promise<void> {
    const child = this.child;
    if (!child) {
      if (this._state.kind !== 'stopped') this.setState({ kind: 'stopped' });
      return;
    }
    this.setState({ kind: 'stopped' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    if (child.connected) child.disconnect();
    else child.kill('SIGTERM');
    await this.exited;
    clearTimeout(timer);
  }
}
