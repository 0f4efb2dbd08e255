// One served config as the views see it, kept up to date from the server's
// events: who is connected and doing what, counts, the last reload, and the
// activity lines not yet sent. Each event costs a map update, never a JSON
// string: the host gets all of it as one snapshot a few times a second.
import { createHash } from 'node:crypto';
import { eventLevel, formatEvent, type RolloutStatus, type ServerEvent } from '../upgrade/events';
import { escapeControl } from '../upgrade/escape';
import {
  ACTIVITY_PER_SNAPSHOT,
  CLIENTS_SHOWN,
  RECENT_SHOWN,
  RELOAD_PROBLEMS_SHOWN,
  type ActivityEntry,
  type ClientView,
  type InForceView,
  type RecentLine,
  type ServerCounts,
  type ServerListening,
  type ServerView,
} from '../views/messages';

/** What the server has in force, read when it starts and after each reload applied. */
export interface InForceSource {
  text: string;
  currentVersion: string;
  files: InForceView['files'];
}

function inForceOf(source: InForceSource, at: Date): InForceView {
  return {
    loadedAt: at.toISOString(),
    currentVersion: source.currentVersion,
    hash: createHash('sha256').update(source.text).digest('hex').slice(0, 8),
    files: source.files.map((f) => ({ ...f })),
  };
}

export class ServerTracker {
  private readonly clients = new Map<number, ClientView>();
  private readonly counts: ServerCounts = { connections: 0, logins: 0, decisions: { allow: 0, reject: 0, patch: 0, full: 0 }, transfersDone: 0, bytesSent: 0, results: {}, errors: 0 };
  private activity: ActivityEntry[] = [];
  private dropped = 0;
  private lastReload: ServerView['lastReload'];
  private inventoryChanges = 0;
  /** When the rollout paused; null while it is not paused. */
  private pausedAt: string | null = null;
  private readonly startedAt = new Date().toISOString();
  private inForce: InForceView;
  /** The latest lines at info and above: what a connection that came and went leaves behind. */
  private recent: RecentLine[] = [];

  constructor(
    readonly listening: ServerListening,
    /** The config in force now (read at start and after each reload applied). */
    private readonly source: () => InForceSource,
    private readonly transfers: () => { running: number; queued: number },
    /** The server's rollout counts and inventory by version, read at each snapshot. */
    private readonly rollout: () => { status: RolloutStatus; inventoryByVersion: Record<string, number>; configured?: boolean },
  ) {
    this.inForce = inForceOf(source(), new Date());
    // The server said it listens before anyone could listen to it: the log starts with it.
    this.track({ type: 'listening', host: listening.host, port: listening.port, config: listening.config });
  }

  /** Takes one event into the clients, the counts and the activity (progress only into the clients). */
  track(e: ServerEvent): void {
    const c = 'id' in e && e.id !== undefined ? this.clients.get(e.id) : undefined;
    switch (e.type) {
      case 'connection':
        this.counts.connections++;
        this.clients.set(e.id, { id: e.id, remote: e.remote, state: 'connected' });
        break;
      case 'closed':
        this.clients.delete(e.id);
        break;
      case 'login':
        this.counts.logins++;
        if (c) {
          // Shown in the tree as they are: what a client sent is escaped.
          c.version = escapeControl(e.version);
          if (e.name) c.name = escapeControl(e.name);
        }
        break;
      case 'decision':
        this.counts.decisions[e.action]++;
        if (c) c.state = e.action === 'allow' ? 'let in' : e.action === 'reject' ? 'rejected' : `${e.action} offered`;
        break;
      case 'queued':
        if (c) {
          c.state = 'queued';
          c.position = e.position;
        }
        break;
      case 'transfer-start':
        if (c) {
          c.state = 'downloading';
          c.file = e.file;
          c.sent = e.offset;
          c.size = e.size;
          c.position = undefined;
        }
        break;
      case 'transfer-progress':
        if (c) c.sent = e.sent;
        // Progress is in the clients; as activity it would drown the rest.
        return;
      case 'inventory':
        // The login's line for the log; the snapshot carries the inventory by
        // version and a change count (a view asks for the clients when it grows).
        this.inventoryChanges++;
        break;
      case 'rollout-paused':
        this.pausedAt = e.since;
        break;
      case 'rollout-resumed':
        this.pausedAt = null;
        break;
      case 'transfer-done':
        this.counts.transfersDone++;
        this.counts.bytesSent += e.bytes;
        if (c) c.state = 'installing';
        break;
      case 'declined':
        if (c) c.state = 'declined';
        break;
      case 'result':
        this.counts.results[e.outcome] = (this.counts.results[e.outcome] ?? 0) + 1;
        break;
      case 'error':
        this.counts.errors++;
        break;
      case 'config-reloaded':
        this.inForce = inForceOf(this.source(), new Date());
        this.lastReload = { at: this.inForce.loadedAt, ok: true };
        break;
      case 'config-rejected':
        this.lastReload = { at: new Date().toISOString(), ok: false, problems: e.problems.slice(0, RELOAD_PROBLEMS_SHOWN), errorCount: e.problems.length };
        break;
    }
    const at = new Date().toISOString();
    const level = eventLevel(e);
    const text = formatEvent(e);
    if (level !== 'trace' && level !== 'debug') {
      this.recent.push({ at, level, text });
      if (this.recent.length > RECENT_SHOWN) this.recent.splice(0, this.recent.length - RECENT_SHOWN);
    }
    if (this.activity.length < ACTIVITY_PER_SNAPSHOT) this.activity.push({ at, config: this.listening.config, level, text, event: e });
    else this.dropped++;
  }

  /** The activity since the last call, and how much of it was left out. */
  drainActivity(): { activity: ActivityEntry[]; dropped: number } {
    const out = { activity: this.activity, dropped: this.dropped };
    this.activity = [];
    this.dropped = 0;
    return out;
  }

  /** When the config in force was loaded. */
  get loadedAt(): string {
    return this.inForce.loadedAt;
  }

  view(): ServerView {
    const all = [...this.clients.values()];
    const shown = all.length > CLIENTS_SHOWN ? all.slice(-CLIENTS_SHOWN).reverse() : all.reverse();
    const rollout = this.rollout();
    const view: ServerView = {
      ...this.listening,
      startedAt: this.startedAt,
      currentVersion: this.inForce.currentVersion,
      inForce: { ...this.inForce, files: this.inForce.files.map((f) => ({ ...f })) },
      recent: this.recent.map((r) => ({ ...r })),
      clients: shown.map((c) => ({ ...c })),
      clientCount: all.length,
      transfers: this.transfers(),
      rollout: rollout.status,
      rolloutConfigured: rollout.configured ?? false,
      // Versions as clients reported them: escaped like every text a client sends.
      inventoryByVersion: Object.fromEntries(Object.entries(rollout.inventoryByVersion).map(([v, n]) => [escapeControl(v), n])),
      inventoryChanges: this.inventoryChanges,
      counts: { ...this.counts, decisions: { ...this.counts.decisions }, results: { ...this.counts.results } },
    };
    if (this.lastReload) view.lastReload = this.lastReload;
    // The server's own time of the pause (kept across a restart by the state file).
    if (rollout.status.paused) view.rolloutPausedAt = rollout.status.pausedAt ?? this.pausedAt ?? this.startedAt;
    return view;
  }
}
