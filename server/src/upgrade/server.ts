// The upgrade server: one TCP port, one Session per connection, a shared
// transfer queue, and a config that live-reloads atomically (a bad new config
// is refused with its diagnostics and the old one stays in force).
import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { watch, type FSWatcher } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createHashCache, loadConfig, type LoadedConfig } from '../config';
import { DEFAULT_LIMITS, encodeControl, type CodecLimits } from './codec';
import { toConfigProblems, type ConfigProblem, type InventoryEntry, type RolloutStatus, type ServerEvent } from './events';
import { RolloutState } from './rolloutState';
import { isStateFileName, readStateFile, StateSaver } from './stateFile';
import { burstFor, TokenBucket } from './rateLimit';
import { Session, type ActiveConfig } from './session';
import { FileChangedError, SnapshotStore } from './snapshots';
import { TransferQueue } from './transferQueue';

export interface UpgradeServerOptions {
  configPath: string;
  /** Overrides [Server] Port (0: any free port). */
  port?: number;
  /** Overrides [Server] Bind. */
  host?: string;
  /** Reload when the config or its files change (default true). */
  watch?: boolean;
  /** Most connections at once; one more is told `server-busy` and closed. */
  maxConnections?: number;
  limits?: Partial<CodecLimits>;
  /** Bytes per DATA frame (default 64 KiB). */
  chunkBytes?: number;
  /** Overrides [Server] IdleTimeout, in milliseconds (for tests). */
  idleTimeoutMs?: number;
  /** How often at most a waiting client is told its new place (default 1 s). */
  queueUpdateMs?: number;
  /** The clock of the rollout gates (ForcedHours, MaxPerHour's 60 minutes) and
   *  the inventory; default the real one. Tests and simulations in simulated
   *  time pass their own. */
  now?: () => Date;
  /** Overrides [Server] StateFile: a path, or null to keep the state in memory only
   *  (a simulation against a config must not count in the real rollout). */
  stateFile?: string | null;
}

export class ConfigErrorsError extends Error {
  constructor(
    readonly loaded: LoadedConfig,
    readonly problems: ConfigProblem[],
  ) {
    super(`${loaded.path} has ${loaded.errorCount} error${loaded.errorCount === 1 ? '' : 's'}: the upgrade server does not run a config with errors`);
  }
}

/** "the port 8767 on 0.0.0.0 is already in use", from listen's EADDRINUSE error (it carries the port and address). */
export function portInUse(err: NodeJS.ErrnoException & { port?: number; address?: string }): string {
  const where = err.port === undefined ? '' : ` ${err.port}${err.address ? ` on ${err.address.includes(':') ? `[${err.address}]` : err.address}` : ''}`;
  return `the port${where} is already in use`;
}

export function configProblems(loaded: LoadedConfig): ConfigProblem[] {
  return toConfigProblems(loaded.text, loaded.diagnostics.filter((d) => d.severity === 'error'));
}

const SERVER_NAME = 'nsupgrade/0.1';

export class UpgradeServer extends EventEmitter {
  private readonly server: Server;
  private readonly sessions = new Set<Session>();
  private readonly sockets = new Set<Socket>();
  private readonly queue: TransferQueue;
  private readonly store = new SnapshotStore();
  private readonly hashes = createHashCache();
  private readonly watchers: FSWatcher[] = [];
  private active!: ActiveConfig;
  private loaded!: LoadedConfig;
  private nextId = 1;
  private reloadTimer: NodeJS.Timeout | null = null;
  private reloading: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly now: () => Date;
  private readonly rollout: RolloutState;
  /** The state file in use (fixed at start: a reload that names another takes effect at the next start). */
  private statePath: string | null = null;
  private saver: StateSaver | null = null;
  /** [Server] MaxRate: one bucket for every transfer; null without a cap. */
  private bucket: TokenBucket | null = null;
  /** Events of the state from before `start` returned, when nobody could listen yet. */
  private early: ServerEvent[] | null = [];

  private constructor(private readonly options: UpgradeServerOptions) {
    super();
    this.now = options.now ?? (() => new Date());
    this.rollout = new RolloutState(
      (e) => this.emitState(e),
      () => this.saver?.changed(),
    );
    this.queue = new TransferQueue(1, options.queueUpdateMs ?? 1000);
    this.server = createServer((socket) => this.onConnection(socket));
  }

  /** Loads the config (refusing one with errors), copies its files and listens. */
  static async start(options: UpgradeServerOptions): Promise<UpgradeServer> {
    const server = new UpgradeServer({ ...options, configPath: resolve(options.configPath) });
    const { loaded, active } = await server.load();
    if (!loaded.ok || !active) {
      await server.store.close();
      throw new ConfigErrorsError(loaded, configProblems(loaded));
    }
    await server.openState(loaded);
    server.install(loaded, active);
    try {
      await server.listen();
    } catch (err) {
      await server.store.close();
      throw err;
    }
    server.watchFiles();
    // Whoever started the server listens once `start` resolves: tell them then.
    setImmediate(() => {
      const early = server.early ?? [];
      server.early = null;
      for (const e of early) server.emitEvent(e);
    });
    return server;
  }

  address(): { host: string; port: number } {
    const a = this.server.address();
    if (a === null || typeof a === 'string') throw new Error('the upgrade server is not listening');
    return { host: a.address, port: a.port };
  }

  /** The config in force (for views and tests). */
  get config(): LoadedConfig {
    return this.loaded;
  }

  get connections(): number {
    return this.sessions.size;
  }

  get transfers(): { running: number; queued: number } {
    return { running: this.queue.running, queued: this.queue.queued };
  }

  /** The rollout counts now (spec section 8). */
  rolloutStatus(): RolloutStatus {
    return this.rollout.status(this.now());
  }

  /** The clients seen, by name, least recently seen first; `last`: only the most recent that many. */
  inventory(last?: number): InventoryEntry[] {
    return this.rollout.inventory(last);
  }

  get inventorySize(): number {
    return this.rollout.inventorySize;
  }

  /** How many clients logged in last with each version ("who is still on 5.10?"). */
  inventoryByVersion(): Record<string, number> {
    return this.rollout.inventoryByVersion();
  }

  /** Resumes a rollout paused by failures (the failure count starts again); false when it was not paused. */
  resumeRollout(): boolean {
    return this.rollout.resume();
  }

  private emitEvent(event: ServerEvent): void {
    this.emit('event', event);
  }

  /** State events before `start` returned wait until someone can listen. */
  private emitState(event: ServerEvent): void {
    if (this.early) this.early.push(event);
    else this.emitEvent(event);
  }

  /** Reads the state file (spec section 8) into the rollout state; never fatal. */
  private async openState(loaded: LoadedConfig): Promise<void> {
    const path = this.options.stateFile !== undefined ? (this.options.stateFile === null ? null : resolve(this.options.stateFile)) : loaded.stateFile;
    if (path === null) return;
    this.statePath = path;
    const read = await readStateFile(path, this.now());
    if (read.kind === 'ok') this.rollout.restore(read.data, this.now());
    else if (read.kind === 'corrupt') this.emitState({ type: 'state-file-corrupt', path, setAside: read.setAside, message: read.message });
    this.saver = new StateSaver({
      path,
      snapshot: () => this.rollout.toData(this.now()),
      onError: (message) => this.emitEvent({ type: 'state-file-error', path, message }),
    });
    // The set-aside file is replaced by a good one at once.
    if (read.kind === 'corrupt') this.saver.changed();
  }

  private listen(): Promise<void> {
    const cfg = this.loaded.config.server;
    const port = this.options.port ?? cfg.port;
    const host = this.options.host ?? cfg.bind;
    return new Promise((resolvePromise, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen({ port, host, backlog: 1024 }, () => {
        this.server.off('error', onError);
        const a = this.address();
        this.emitEvent({ type: 'listening', host: a.host, port: a.port, config: this.options.configPath });
        resolvePromise();
      });
    });
  }

  /** Loads and snapshots the config; a file that changes mid-load is retried. */
  private async load(): Promise<{ loaded: LoadedConfig; active: ActiveConfig | null }> {
    for (let attempt = 0; ; attempt++) {
      const loaded = await loadConfig(this.options.configPath, this.hashes);
      if (!loaded.ok) return { loaded, active: null };
      try {
        const snapshots: ActiveConfig['snapshots'] = {};
        if (loaded.files.patchFile) snapshots.patch = await this.store.take(loaded.files.patchFile);
        if (loaded.files.fullSetup) snapshots.full = await this.store.take(loaded.files.fullSetup);
        return { loaded, active: { config: loaded.config, files: loaded.files, snapshots } };
      } catch (err) {
        if (!(err instanceof FileChangedError) || attempt >= 3) throw err;
      }
    }
  }

  private install(loaded: LoadedConfig, active: ActiveConfig): void {
    const previous = this.active;
    this.loaded = loaded;
    this.active = active;
    this.queue.setLimit(loaded.config.server.maxTransfers);
    this.useMaxRate(loaded.config.server.maxRate);
    this.rollout.useConfig(loaded.config, this.now());
    // The config held the old snapshots; sessions that pinned them keep them.
    if (previous?.snapshots.patch) this.store.release(previous.snapshots.patch);
    if (previous?.snapshots.full) this.store.release(previous.snapshots.full);
  }

  private useMaxRate(rate: number | null): void {
    const burst = rate === null ? 0 : burstFor(rate, this.options.chunkBytes ?? 64 * 1024);
    if (rate === null) this.bucket = null;
    else if (this.bucket) this.bucket.setRate(rate, burst);
    else this.bucket = new TokenBucket(rate, burst);
  }

  private watchFiles(): void {
    // Editors replace files by rename, so watch folders, not the file itself.
    this.watchFolder(dirname(this.options.configPath));
    this.watchFolder(this.loaded.fileRoot);
  }

  private readonly watched = new Set<string>();

  private watchFolder(folder: string): void {
    if (!folder || this.watched.has(folder) || this.options.watch === false) return;
    this.watched.add(folder);
    try {
      const w = watch(folder, { persistent: false }, (_event, name) => {
        // Our own saves of the state file are no change of the config.
        if (name && this.statePath && dirname(this.statePath) === folder && isStateFileName(this.statePath, name.toString())) return;
        this.scheduleReload();
      });
      w.on('error', () => undefined);
      this.watchers.push(w);
    } catch {
      // A folder that cannot be watched only loses live reload.
    }
  }

  private scheduleReload(): void {
    if (this.closed) return;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = null;
      this.reloading = this.reloading.then(async () => {
        await this.reload();
      });
    }, 150);
  }

  /** Re-reads the config; exposed so a host (VS Code) can ask for it explicitly. */
  async reload(): Promise<boolean> {
    if (this.closed) return false;
    let result: { loaded: LoadedConfig; active: ActiveConfig | null };
    try {
      result = await this.load();
    } catch (err) {
      this.emitEvent({ type: 'config-rejected', config: this.options.configPath, problems: [{ line: 1, column: 1, severity: 'error', code: 'file-unreadable', message: (err as Error).message }] });
      return false;
    }
    if (this.closed) {
      this.releaseActive(result.active);
      return false;
    }
    if (!result.active) {
      this.emitEvent({ type: 'config-rejected', config: this.options.configPath, problems: configProblems(result.loaded) });
      return false;
    }
    const before = this.active;
    const same =
      result.loaded.text === this.loaded.text &&
      before.snapshots.patch?.sha256 === result.active.snapshots.patch?.sha256 &&
      before.snapshots.full?.sha256 === result.active.snapshots.full?.sha256;
    this.install(result.loaded, result.active);
    // A reload may have moved FileRoot: its files must be watched too.
    this.watchFolder(result.loaded.fileRoot);
    if (!same) this.emitEvent({ type: 'config-reloaded', config: this.options.configPath, currentVersion: result.loaded.config.upgrade.currentVersion?.text ?? '' });
    return true;
  }

  private releaseActive(active: ActiveConfig | null): void {
    if (active?.snapshots.patch) this.store.release(active.snapshots.patch);
    if (active?.snapshots.full) this.store.release(active.snapshots.full);
  }

  private onConnection(socket: Socket): void {
    const max = this.options.maxConnections ?? 10000;
    if (this.closed || this.sessions.size >= max) {
      socket.on('error', () => undefined);
      socket.end(encodeControl({ type: 'error', code: this.closed ? 'shutting-down' : 'server-busy', message: this.closed ? 'the upgrade server is stopping' : 'too many connections; try again later' }));
      return;
    }
    const id = this.nextId++;
    this.sockets.add(socket);
    // Looking up the peer's address costs a system call: only when someone listens.
    if (this.listenerCount('event') > 0) this.emitEvent({ type: 'connection', id, remote: `${socket.remoteAddress}:${socket.remotePort}` });
    const limits = { ...DEFAULT_LIMITS, ...this.options.limits };
    const session = new Session(id, socket, {
      config: () => this.active,
      queue: this.queue,
      limits,
      chunkBytes: this.options.chunkBytes ?? 64 * 1024,
      idleTimeoutMs: () => this.options.idleTimeoutMs ?? this.loaded.config.server.idleTimeout * 1000,
      serverName: SERVER_NAME,
      emit: (e) => this.emitEvent(e),
      acquire: (s) => this.store.acquire(s),
      release: (s) => this.store.release(s),
      now: this.now,
      rollout: this.rollout,
      rate: () => this.bucket,
    });
    this.sessions.add(session);
    socket.on('close', () => {
      this.sessions.delete(session);
      this.sockets.delete(socket);
    });
  }

  /** Stops listening, tells every client, and removes the file snapshots. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    for (const w of this.watchers) w.close();
    const closing = new Promise<void>((r) => this.server.close(() => r()));
    // Empty the line first, so no waiter starts a transfer during the shutdown.
    this.queue.clear();
    for (const s of this.sessions) s.shutdown();
    // Give clients a moment to read the shutdown error, then cut what is left.
    const deadline = Date.now() + 500;
    while (this.sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const socket of this.sockets) socket.destroy();
    await closing;
    await this.reloading.catch(() => undefined);
    // The last results of the clients just closed are in the state: save it now.
    await this.saver?.flush();
    await this.store.close();
    this.emitEvent({ type: 'stopped' });
  }
}

export function startUpgradeServer(options: UpgradeServerOptions): Promise<UpgradeServer> {
  return UpgradeServer.start(options);
}

