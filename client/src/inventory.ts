// The served config's inventory (spec 8), followed for the views: asked of
// the workbench child again when a snapshot says it changed (its
// `inventoryChanges` grew), at most once every INTERVAL_MS, so the tree can
// list the clients of each version and the language server can offer their
// names in Pilot/Exclude. Imports no `vscode`: tests run it in plain Node.
import { EventEmitter } from 'node:events';
import type { InventoryClientView, ServerView } from '../../server/src/views/messages';
import type { WorkbenchHost } from './workbenchHost';

/** The most names sent to the language server (the most recently seen): completion stays quick. */
export const KNOWN_NAMES_SENT = 10_000;
const INTERVAL_MS = 1000;

export interface InventoryShown {
  config: string;
  /** Least recently seen first (as the child sends them). */
  clients: InventoryClientView[];
  /** All the server knows; `clients` may hold only the most recent of them. */
  total: number;
}

/** The names to offer for completion: the most recently seen first, each once (names compare without regard to case), at most `max`. */
export function knownNames(clients: readonly InventoryClientView[], max = KNOWN_NAMES_SENT): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = clients.length - 1; i >= 0 && out.length < max; i--) {
    const name = clients[i].name;
    const key = name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out;
}

type Host = Pick<WorkbenchHost, 'inventory' | 'state' | 'snapshot' | 'on' | 'off'>;

/** Events: 'changed' (InventoryShown | null) when the clients known change or the server stops. */
export class InventoryFollower extends EventEmitter {
  private shown: InventoryShown | null = null;
  /** The served config followed, and its `inventoryChanges` the last answer covers (-1: none yet). */
  private config: string | null = null;
  private covered = -1;
  private asking = false;
  private timer: NodeJS.Timeout | null = null;
  private lastAsk = 0;
  private readonly onHost = (): void => this.check();

  constructor(
    private readonly host: Host,
    private readonly intervalMs = INTERVAL_MS,
  ) {
    super();
    host.on('snapshot', this.onHost);
    host.on('state', this.onHost);
  }

  /** The inventory last fetched for the served config; null when nothing is served. */
  get current(): InventoryShown | null {
    return this.shown;
  }

  private served(): ServerView | undefined {
    const s = this.host.state;
    return s.kind === 'running' ? this.host.snapshot.servers.find((v) => v.config === s.config) : undefined;
  }

  private check(): void {
    const s = this.host.state;
    const config = s.kind === 'running' ? s.config : null;
    if (config !== this.config) {
      // Stopped, or another config served: what was known is no more.
      this.config = config;
      this.covered = -1;
      const had = this.shown !== null;
      this.shown = null;
      if (had) this.emit('changed', null);
    }
    const view = this.served();
    if (!view || view.inventoryChanges === this.covered) return;
    if (this.asking || this.timer) return;
    const wait = Math.max(0, this.lastAsk + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.ask();
    }, wait);
  }

  private async ask(): Promise<void> {
    const view = this.served();
    const config = this.config;
    if (!view || !config) return;
    this.asking = true;
    this.lastAsk = Date.now();
    try {
      const r = await this.host.inventory(config);
      // Stopped (or switched) while the answer was on its way: it is stale.
      if (r && this.config === config) {
        this.covered = view.inventoryChanges;
        this.shown = { config, clients: r.clients, total: r.total };
        this.emit('changed', this.shown);
      }
    } catch {
      // The child failed: its 'state' says so; the next snapshot asks again.
    } finally {
      this.asking = false;
    }
    this.check();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.host.off('snapshot', this.onHost);
    this.host.off('state', this.onHost);
  }
}
