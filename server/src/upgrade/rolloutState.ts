// The rollout state the server keeps (spec section 8): per CurrentVersion, the
// distinct clients offered an upgrade in the last 60 minutes and the failed
// upgrades reported; per client name, the last login (the inventory). The
// rules of a decision stay in `decide()`; this module only counts, with the
// time passed in (the server's clock, or a test's), so it needs no timers.
import { canonicalVersion, isPaused, type Decision, type RolloutCounters, type UpgradeConfig, type Version } from '../config';
import type { InventoryEntry, InventoryOutcome, ResumeReason, RolloutStatus, ServerEvent } from './events';

export const HOUR_MS = 60 * 60 * 1000;

/** Most clients the inventory remembers; the least recently seen go first. */
export const MAX_INVENTORY = 100_000;

/** The state as the state file holds it (JSON). */
export interface StateData {
  nsupgradeState: 1;
  /** `pausedAt`: when the rollout paused, while it is paused (so a restart does not move the pause to the start). */
  rollout: { currentVersion: string; failures: number; offers: [name: string, at: string][]; pausedAt?: string } | null;
  clients: InventoryEntry[];
}

/**
 * Distinct names offered an upgrade in a sliding 60-minute window. An offer
 * counts while less than 60 minutes old; offering a counted name again moves
 * it to now without counting it twice. Offers go into a line in time order;
 * the map holds each name's latest, so pruning costs only what expired.
 */
export class OfferWindow {
  private readonly latest = new Map<string, number>();
  private line: { key: string; at: number }[] = [];
  private head = 0;

  /** Forgets the offers of 60 minutes or more before `now`. */
  prune(now: number): void {
    while (this.head < this.line.length && now - this.line[this.head].at >= HOUR_MS) {
      const { key, at } = this.line[this.head++];
      // An older offer of a name offered again since is no longer its latest.
      if (this.latest.get(key) === at) this.latest.delete(key);
    }
    if (this.head > 1024 && this.head * 2 > this.line.length) {
      this.line = this.line.slice(this.head);
      this.head = 0;
    }
  }

  has(key: string): boolean {
    return this.latest.has(key);
  }

  get size(): number {
    return this.latest.size;
  }

  /** Offers must come in time order (the server's clock does not run back far: a
   *  time before the latest offer is taken as that time). */
  add(key: string, at: number): void {
    const last = this.line.length > this.head ? this.line[this.line.length - 1].at : -Infinity;
    const t = Math.max(at, last);
    this.latest.set(key, t);
    this.line.push({ key, at: t });
  }

  /** When the oldest offer leaves the window (ms), or null when empty. */
  nextExpiry(): number | null {
    for (let i = this.head; i < this.line.length; i++) {
      const { key, at } = this.line[i];
      if (this.latest.get(key) === at) return at + HOUR_MS;
    }
    return null;
  }

  clear(): void {
    this.latest.clear();
    this.line = [];
    this.head = 0;
  }

  /** Each name with its latest offer, oldest first. */
  entries(): [string, number][] {
    return [...this.latest].sort((a, b) => a[1] - b[1]);
  }
}

/** The key a client is counted and inventoried by: names match case-insensitively (spec 7). */
export function clientKey(name: string): string {
  return name.toLowerCase();
}

/** The client's name for the rollout: the one it sent, or its address as text (spec 7). */
export function clientName(sent: string | undefined, address: string | undefined): string {
  if (sent !== undefined && sent.trim() !== '') return sent;
  // `::ffff:10.1.2.3` is how an IPv4 client shows on a dual-stack socket.
  return (address ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
}

export class RolloutState {
  private config: UpgradeConfig | null = null;
  /** Canonical CurrentVersion the counts belong to. */
  private version = '';
  private readonly window = new OfferWindow();
  private failures = 0;
  /** When it paused (ISO); null: not paused. */
  private pausedAt: string | null = null;
  /** The pause time read from the state file, for the pause the first config finds again. */
  private restoredPausedAt: string | null = null;
  private full = false;
  private readonly clients = new Map<string, InventoryEntry>();
  /** Clients by the version of their last login, kept as the inventory changes. */
  private readonly byVersion = new Map<string, number>();

  constructor(
    private readonly emit: (e: ServerEvent) => void,
    /** Something worth saving changed. */
    private readonly changed: () => void = () => undefined,
  ) {}

  /**
   * The config in force (at start and on every reload). A different
   * CurrentVersion starts a new count (and so ends a pause); a changed
   * PauseAfterFailures may pause or resume at once.
   */
  useConfig(config: UpgradeConfig, now: Date): void {
    this.config = config;
    const current = config.upgrade.currentVersion;
    const version = current ? canonicalVersion(current) : '';
    if (version !== this.version) {
      const wasPaused = this.paused;
      // Counts of another version (restored, or before a reload) are dropped: that is worth saving.
      const dropped = this.version !== '';
      this.version = version;
      this.window.clear();
      this.failures = 0;
      this.pausedAt = null;
      this.restoredPausedAt = null;
      this.full = false;
      if (dropped) this.changed();
      if (wasPaused) this.emit({ type: 'rollout-resumed', currentVersion: this.version, reason: 'new-version' });
    }
    this.checkPause('config', now);
    this.checkFull(now.getTime());
  }

  /** What `decide` needs to know of the rollout for client `name` at `now`. */
  counts(name: string, now: Date): RolloutCounters {
    this.checkFull(now.getTime());
    const alreadyOffered = this.window.has(clientKey(name));
    return { offeredLastHour: this.window.size - (alreadyOffered ? 1 : 0), alreadyOffered, failures: this.failures };
  }

  /** Records a login's decision: an offer counts in the window; the inventory gets the login. */
  decided(name: string, address: string, version: string, decision: Decision, now: Date): void {
    const key = clientKey(name);
    const at = now.getTime();
    if (decision.action === 'patch' || decision.action === 'full') {
      this.window.add(key, at);
      this.checkFull(at);
    }
    const entry: InventoryEntry = {
      name,
      lastLogin: now.toISOString(),
      address,
      version,
      decision: { action: decision.action, reason: decision.reason },
      outcome: decision.action === 'allow' ? 'let-in' : decision.action === 'reject' ? 'rejected' : 'offered',
    };
    if (decision.action === 'patch' || decision.action === 'full') {
      entry.decision.mode = decision.mode;
      if (decision.modeReason) entry.decision.modeReason = decision.modeReason;
    }
    this.remember(key, entry);
  }

  /** What came of an offer: declined, downloaded, or the client's `result`. A
   *  failed result counts against the CurrentVersion it was offered. */
  outcome(name: string, outcome: InventoryOutcome, now: Date, offeredFor?: Version | null): void {
    const key = clientKey(name);
    const entry = this.clients.get(key);
    if (entry) {
      // Entries are never changed in place: the events and views share them.
      const next = { ...entry, outcome };
      this.clients.set(key, next);
      this.emit({ type: 'inventory', client: next });
      this.changed();
    }
    if (outcome === 'failed' && offeredFor && canonicalVersion(offeredFor) === this.version) {
      this.failures++;
      this.changed();
      this.checkPause('config', now);
    }
  }

  /** Resumes a paused rollout (the host's command): the failure count starts again. */
  resume(): boolean {
    const wasPaused = this.paused;
    this.failures = 0;
    this.pausedAt = null;
    this.changed();
    if (wasPaused) this.emit({ type: 'rollout-resumed', currentVersion: this.version, reason: 'command' });
    return wasPaused;
  }

  status(now: Date): RolloutStatus {
    this.window.prune(now.getTime());
    const r = this.config?.rollout ?? null;
    return {
      currentVersion: this.version,
      offeredLastHour: this.window.size,
      maxPerHour: r?.maxPerHour ?? null,
      failures: this.failures,
      pauseAfterFailures: r?.pauseAfterFailures ?? null,
      paused: this.paused,
      ...this.pausedSince(),
    };
  }

  /** The clients known, least recently seen first; `last`: only that many, the most recent. */
  inventory(last = Infinity): InventoryEntry[] {
    const all = [...this.clients.values()];
    return all.slice(Math.max(0, all.length - last));
  }

  get inventorySize(): number {
    return this.clients.size;
  }

  /** How many clients of the inventory logged in last with each version. */
  inventoryByVersion(): Record<string, number> {
    return Object.fromEntries(this.byVersion);
  }

  toData(now: Date): StateData {
    this.window.prune(now.getTime());
    return {
      nsupgradeState: 1,
      rollout: this.version
        ? { currentVersion: this.version, failures: this.failures, offers: this.window.entries().map(([k, at]) => [k, new Date(at).toISOString()]), ...this.pausedSince() }
        : null,
      clients: [...this.clients.values()],
    };
  }

  /** Takes the state read from the state file (before the first `useConfig`). */
  restore(data: StateData, now: Date): void {
    this.clients.clear();
    this.byVersion.clear();
    for (const c of data.clients) this.remember(clientKey(c.name), c, false);
    this.window.clear();
    this.failures = 0;
    this.version = '';
    if (data.rollout) {
      this.version = data.rollout.currentVersion;
      this.failures = data.rollout.failures;
      const offers = data.rollout.offers.map(([k, at]) => [k, Date.parse(at)] as const).sort((a, b) => a[1] - b[1]);
      for (const [k, at] of offers) this.window.add(k, at);
      this.window.prune(now.getTime());
    }
    this.pausedAt = null;
    this.restoredPausedAt = data.rollout?.pausedAt ?? null;
    this.full = false;
  }

  private remember(key: string, entry: InventoryEntry, tell = true): void {
    // Delete first: the map stays in order of the last login, oldest first.
    this.forget(key);
    this.clients.set(key, entry);
    this.byVersion.set(entry.version, (this.byVersion.get(entry.version) ?? 0) + 1);
    if (this.clients.size > MAX_INVENTORY) {
      for (const k of this.clients.keys()) {
        this.forget(k);
        break;
      }
    }
    if (!tell) return;
    this.emit({ type: 'inventory', client: entry });
    this.changed();
  }

  private forget(key: string): void {
    const old = this.clients.get(key);
    if (!old) return;
    this.clients.delete(key);
    const n = (this.byVersion.get(old.version) ?? 1) - 1;
    if (n > 0) this.byVersion.set(old.version, n);
    else this.byVersion.delete(old.version);
  }

  private get paused(): boolean {
    return this.pausedAt !== null;
  }

  /** `{ pausedAt }` while paused, else nothing (the status and the state file carry it only then). */
  private pausedSince(): { pausedAt?: string } {
    return this.pausedAt === null ? {} : { pausedAt: this.pausedAt };
  }

  private checkPause(reason: ResumeReason, now: Date): void {
    const paused = this.config !== null && isPaused(this.config, { offeredLastHour: 0, alreadyOffered: false, failures: this.failures });
    // The saved time serves only the pause found again at the first config after a restart.
    const restored = this.restoredPausedAt;
    this.restoredPausedAt = null;
    if (paused === this.paused) return;
    const since = restored ?? now.toISOString();
    this.pausedAt = paused ? since : null;
    const limit = this.config?.rollout?.pauseAfterFailures ?? null;
    if (paused) this.emit({ type: 'rollout-paused', currentVersion: this.version, failures: this.failures, pauseAfterFailures: limit ?? 0, since });
    else this.emit({ type: 'rollout-resumed', currentVersion: this.version, reason });
  }

  /** Says once when MaxPerHour is reached (new clients are throttled until the oldest offer expires). */
  private checkFull(now: number): void {
    const cap = this.config?.rollout?.maxPerHour ?? null;
    this.window.prune(now);
    const full = cap !== null && this.window.size >= cap;
    if (full && !this.full) {
      this.emit({ type: 'rollout-throttled', currentVersion: this.version, maxPerHour: cap, until: new Date(this.window.nextExpiry() ?? now).toISOString() });
    }
    this.full = full;
  }
}
