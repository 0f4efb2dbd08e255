// The upgrade server: one TCP port, one Session per connection, a shared
// transfer queue, and a config that live-reloads atomically (a bad new config
// is refused with its diagnostics and the old one stays in force).
import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname, resolve } from 'node:path';
import { createHashCache, loadConfig, type LoadedConfig } from '../config';
import { DEFAULT_LIMITS, encodeControl, type CodecLimits } from './codec';
import { toConfigProblems, type ConfigProblem, type InventoryEntry, type RolloutStatus, type ServerEvent } from './events';
import { RolloutState } from './rolloutState';
import { isStateFileName, readStateFile, StateSaver } from './stateFile';
import { burstFor, TokenBucket } from './rateLimit';
import { Session, type ActiveConfig, type SessionContext } from './session';
import { FileChangedError, SnapshotStore } from './snapshots';
import { TransferQueue } from './transferQueue';
import { FolderWatch } from './folderWatch';
import { fileHandleBudget, RESERVED_HANDLES, type FileHandleBudget } from './fileHandles';

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
  /** Where the private copies of the setup files go (a new folder is made in
   *  it); default the system's temp folder. */
  snapshotDir?: string;
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
  /** One per open connection, from accept until its socket closes. */
  private readonly sessions = new Set<Session>();
  private readonly queue: TransferQueue;
  private readonly store: SnapshotStore;
  private readonly hashes = createHashCache();
  /** The config's folder and FileRoot, for live reload. */
  private readonly folders = new FolderWatch({
    changed: (folder, name) => {
      // Our own saves of the state file are no change of the config.
      if (name && this.statePath && dirname(this.statePath) === folder && isStateFileName(this.statePath, name)) return;
      this.scheduleReload();
    },
    failed: (folder, message) => this.emitEvent({ type: 'watch-error', folder, message }),
    restored: () => this.scheduleReload(),
  });
  private active!: ActiveConfig;
  private loaded!: LoadedConfig;
  private nextId = 1;
  /** The last reload was refused: the next good one is told even when it equals the config in force. */
  private refusedLast = false;
  private reloadTimer: NodeJS.Timeout | null = null;
  /** The reload queue: reloads (the watcher's and reload()'s) run one at a
   *  time in the order asked, so an older config is never installed last. */
  private reloads: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly now: () => Date;
  private readonly rollout: RolloutState;
  /** The state file in use (fixed at start: a reload that names another takes effect at the next start). */
  private statePath: string | null = null;
  private saver: StateSaver | null = null;
  /** [Server] MaxRate: one bucket for every transfer; null without a cap. */
  private bucket: TokenBucket | null = null;
  /** The open-file limit's budget (Linux); null where it is unknown. */
  private readonly handles: FileHandleBudget | null;
  /** Refusals not yet told in a `server-busy` event, and whether one was told in the last 10 s. */
  private busy = { refused: 0, why: 'connections' as 'connections' | 'file-handles', timer: null as NodeJS.Timeout | null };
  /** Events of the state from before `start` returned, when nobody could listen yet. */
  private early: ServerEvent[] | null = [];

  private constructor(private readonly options: UpgradeServerOptions) {
    super();
    this.now = options.now ?? (() => new Date());
    this.store = new SnapshotStore(options.snapshotDir);
    this.rollout = new RolloutState(
      (e) => this.emitState(e),
      () => this.saver?.changed(),
    );
    this.queue = new TransferQueue(1, options.queueUpdateMs ?? 1000);
    this.server = createServer((socket) => this.onConnection(socket));
    // Handles for transfers about to start (each opens its file) stay free too.
    this.handles = fileHandleBudget(() => RESERVED_HANDLES + Math.min(Math.max(0, (this.loaded?.config.server.maxTransfers ?? 4) - this.queue.running), 256));
  }

  private get maxConnections(): number {
    return this.options.maxConnections ?? 10000;
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

  /** The setup files in force: the private copies clients are sent (for views). */
  get filesInForce(): { key: 'PatchFile' | 'FullSetup'; name: string; size: number; sha256: string }[] {
    const out: { key: 'PatchFile' | 'FullSetup'; name: string; size: number; sha256: string }[] = [];
    const { patch, full } = this.active.snapshots;
    if (patch) out.push({ key: 'PatchFile', name: patch.name, size: patch.size, sha256: patch.sha256 });
    if (full) out.push({ key: 'FullSetup', name: full.name, size: full.size, sha256: full.sha256 });
    return out;
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
        // A failed accept (out of file handles, say) is told, never a crash.
        this.server.on('error', (err: NodeJS.ErrnoException) => this.emitEvent({ type: 'error', code: 'internal', message: `accepting a connection failed: ${err.code ?? err.message}` }));
        const a = this.address();
        this.emitEvent({ type: 'listening', host: a.host, port: a.port, config: this.options.configPath });
        this.tellFileLimit();
        resolvePromise();
      });
    });
  }

  /** Loads and snapshots the config; a file that changes mid-load is retried. */
  private async load(): Promise<{ loaded: LoadedConfig; active: ActiveConfig | null }> {
    for (let attempt = 0; ; attempt++) {
      const loaded = await loadConfig(this.options.configPath, this.hashes);
      if (!loaded.ok) return { loaded, active: null };
      const snapshots: ActiveConfig['snapshots'] = {};
      try {
        if (loaded.files.patchFile) snapshots.patch = await this.store.take(loaded.files.patchFile, loaded.fileRoot);
        if (loaded.files.fullSetup) snapshots.full = await this.store.take(loaded.files.fullSetup, loaded.fileRoot);
        return { loaded, active: { config: loaded.config, files: loaded.files, snapshots } };
      } catch (err) {
        // The attempt's snapshots are nobody's: a retry takes its own.
        this.releaseSnapshots(snapshots);
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
    if (previous) this.releaseSnapshots(previous.snapshots);
  }

  private useMaxRate(rate: number | null): void {
    const burst = rate === null ? 0 : burstFor(rate, this.options.chunkBytes ?? 64 * 1024);
    if (rate === null) this.bucket = null;
    else if (this.bucket) this.bucket.setRate(rate, burst);
    else this.bucket = new TokenBucket(rate, burst);
  }

  /** Watches the config's folder and the FileRoot in force (and no other: a moved FileRoot's old folder is let go). */
  private watchFiles(): void {
    if (this.options.watch === false || this.closed) return;
    this.folders.set([dirname(this.options.configPath), this.loaded.fileRoot]);
  }

  /** The folders live reload watches now (for views and tests). */
  get watchedFolders(): string[] {
    return this.folders.folders;
  }

  private scheduleReload(): void {
    if (this.closed) return;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = null;
      void this.reload();
    }, 150);
  }

  /**
   * Re-reads the config, after the reloads asked before it. Never rejects: a
   * reload that throws (a listener of its event, say) is said as an error
   * event and the next reload runs as usual. After each one, the watched
   * folders follow the FileRoot in force, and a folder that went away is
   * watched again when it is back.
   */
  reload(): Promise<boolean> {
    const run = this.reloads
      .then(() => this.reloadNow())
      .catch((err: unknown) => {
        try {
          this.emitEvent({ type: 'error', code: 'internal', message: `live reload failed: ${(err as Error).message ?? String(err)}` });
        } catch {
          // A listener that throws again must not stop the queue either.
        }
        return false;
      })
      .then((ok) => {
        this.watchFiles();
        return ok;
      });
    this.reloads = run.catch(() => undefined);
    return run;
  }

  private async reloadNow(): Promise<boolean> {
    if (this.closed) return false;
    let result: { loaded: LoadedConfig; active: ActiveConfig | null };
    try {
      result = await this.load();
    } catch (err) {
      this.refusedLast = true;
      this.emitEvent({ type: 'config-rejected', config: this.options.configPath, problems: [{ line: 1, column: 1, severity: 'error', code: 'file-unreadable', message: (err as Error).message }] });
      return false;
    }
    if (this.closed) {
      if (result.active) this.releaseSnapshots(result.active.snapshots);
      return false;
    }
    if (!result.active) {
      this.refusedLast = true;
      this.emitEvent({ type: 'config-rejected', config: this.options.configPath, problems: configProblems(result.loaded) });
      return false;
    }
    const before = this.active;
    const same =
      result.loaded.text === this.loaded.text &&
      before.snapshots.patch?.sha256 === result.active.snapshots.patch?.sha256 &&
      before.snapshots.full?.sha256 === result.active.snapshots.full?.sha256;
    this.install(result.loaded, result.active);
    // A file put back as it was after a refused change: the disk and the config
    // in force agree again, which the log and the views must say.
    const tell = !same || this.refusedLast;
    this.refusedLast = false;
    if (tell) this.emitEvent({ type: 'config-reloaded', config: this.options.configPath, currentVersion: result.loaded.config.upgrade.currentVersion?.text ?? '' });
    return true;
  }

  private releaseSnapshots(snapshots: ActiveConfig['snapshots']): void {
    if (snapshots.patch) this.store.release(snapshots.patch);
    if (snapshots.full) this.store.release(snapshots.full);
  }

  /** Says at start when the open-file limit allows fewer connections than maxConnections. */
  private tellFileLimit(): void {
    if (!this.handles) return;
    const open = this.handles.measure();
    const connections = this.handles.limit - open - RESERVED_HANDLES - Math.min(this.loaded.config.server.maxTransfers, 256);
    if (connections < this.maxConnections) this.emitState({ type: 'file-limit', limit: this.handles.limit, open, connections: Math.max(0, connections), maxConnections: this.maxConnections });
  }

  /** A refused connection: told at once the first time, then counted into one event per 10 s. */
  private refused(why: 'connections' | 'file-handles'): void {
    this.busy.refused++;
    this.busy.why = why;
    if (this.busy.timer) return;
    const tell = (): void => {
      if (this.busy.refused === 0) {
        this.busy.timer = null;
        return;
      }
      const limit = this.busy.why === 'connections' ? this.maxConnections : (this.handles?.limit ?? 0);
      this.emitEvent({ type: 'server-busy', why: this.busy.why, connections: this.sessions.size, refused: this.busy.refused, limit });
      this.busy.refused = 0;
      this.busy.timer = setTimeout(tell, 10_000);
      this.busy.timer.unref();
    };
    tell();
  }

  private onConnection(socket: Socket): void {
    const why = this.closed ? null : this.sessions.size >= this.maxConnections ? 'connections' : this.handles?.short() ? 'file-handles' : null;
    if (this.closed || why) {
      socket.on('error', () => undefined);
      // Read and drop what the client sent (closing with unread bytes would
      // reset the connection and lose the answer), and let the handle go as
      // soon as the answer is out: a flood of refused clients must not use up
      // the handles kept in reserve.
      socket.resume();
      socket.end(encodeControl({ type: 'error', code: this.closed ? 'shutting-down' : 'server-busy', message: this.closed ? 'the upgrade server is stopping' : 'too many connections; try again later' }), () => setImmediate(() => socket.destroy()));
      if (why) this.refused(why);
      return;
    }
    const id = this.nextId++;
    // Looking up the peer's address costs a system call: only when someone listens.
    if (this.listenerCount('event') > 0) this.emitEvent({ type: 'connection', id, remote: `${socket.remoteAddress}:${socket.remotePort}` });
    const session = new Session(id, socket, this.sessionContext);
    this.sessions.add(session);
  }

  /** What every session is given: one object for all of them (a login is a few
   *  microseconds of work, and a dozen closures per connection showed in it). */
  private get sessionContext(): SessionContext {
    this.context ??= {
      config: () => this.active,
      queue: this.queue,
      limits: { ...DEFAULT_LIMITS, ...this.options.limits },
      chunkBytes: this.options.chunkBytes ?? 64 * 1024,
      idleTimeoutMs: () => this.options.idleTimeoutMs ?? this.loaded.config.server.idleTimeout * 1000,
      serverName: SERVER_NAME,
      emit: (e) => this.emitEvent(e),
      acquire: (s) => this.store.acquire(s),
      release: (s) => this.store.release(s),
      now: this.now,
      rollout: this.rollout,
      rate: () => this.bucket,
      gone: (session) => this.sessions.delete(session),
    };
    return this.context;
  }
  private context: SessionContext | undefined;

  /** Stops listening, tells every client, and removes the file snapshots. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    if (this.busy.timer) clearTimeout(this.busy.timer);
    this.folders.close();
    const closing = new Promise<void>((r) => this.server.close(() => r()));
    // Empty the line first, so no waiter starts a transfer during the shutdown.
    this.queue.clear();
    for (const s of this.sessions) s.shutdown();
    // Give clients a moment to read the shutdown error, then cut what is left.
    const deadline = Date.now() + 500;
    while (this.sessions.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const session of this.sessions) session.destroy();
    await closing;
    await this.reloads;
    // The last results of the clients just closed are in the state: save it now.
    await this.saver?.flush();
    await this.store.close();
    this.emitEvent({ type: 'stopped' });
  }
}

export function startUpgradeServer(options: UpgradeServerOptions): Promise<UpgradeServer> {
  return UpgradeServer.start(options);
}

