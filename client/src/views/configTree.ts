// The "Net Server Upgrade" tree: Config (the language server's summary of
// the file: versions, files, the decision table, problems), Server (state,
// clients, transfers, queue) and Last simulation (outcomes with counts; each
// client's story on expand).
import * as vscode from 'vscode';
import type { ClientReport } from '../../../server/src/simulator';
import type { ConfigSummary, DecisionRow, SimulationView } from '../../../server/src/views/messages';
import type { WorkbenchHost } from '../workbenchHost';
import type { ConfigSummaries } from '../summaries';

// Every node has an id that changes when the node turns from a leaf into a
// parent (server started, first simulation): VS Code then inserts a new row
// instead of updating one, which it sometimes rendered stale.
type Node = { id: string; label: string; description?: string; tooltip?: string; icon?: string; children?: () => Node[]; contextValue?: string; command?: vscode.Command; collapsed?: boolean };

export class UpgradeTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private configUri: vscode.Uri | null = null;
  private simulation: SimulationView | null = null;
  private simulationCount = 0;
  private pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: WorkbenchHost,
    private readonly summaries: ConfigSummaries,
  ) {
    summaries.onDidChange((uri) => {
      if (uri.toString() === this.configUri?.toString()) this.refresh();
    });
  }

  /** Redraws the tree at most 4 times a second: events come by the thousand, and
   *  frequent whole-tree refreshes make VS Code draw stale rows. */
  refresh(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.changed.fire(undefined);
    }, 250);
  }

  /** Shows the config at `uri` (the active upgrade.ini, or the one found in the workspace). */
  async setConfig(uri: vscode.Uri | null): Promise<void> {
    this.configUri = uri;
    void vscode.commands.executeCommand('setContext', 'nsupgrade.hasConfig', uri !== null);
    this.refresh();
    if (uri) await this.summaries.request(uri);
  }

  /** The summary of the config shown, once the language server sent it. */
  get config(): ConfigSummary | null {
    return this.configUri ? (this.summaries.get(this.configUri) ?? null) : null;
  }

  get configUriShown(): vscode.Uri | null {
    return this.configUri;
  }

  setSimulation(report: SimulationView): void {
    this.simulation = report;
    this.simulationCount++;
    this.refresh();
  }

  getTreeItem(n: Node): vscode.TreeItem {
    const item = new vscode.TreeItem(n.label, n.children ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    item.description = n.description;
    item.tooltip = n.tooltip;
    if (n.icon) item.iconPath = new vscode.ThemeIcon(n.icon);
    item.contextValue = n.contextValue;
    item.command = n.command;
    if (n.children && (n.collapsed || n.contextValue === 'client')) item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
    return item;
  }

  getChildren(n?: Node): Node[] {
    if (n) return (n.children ? n.children() : []).map((c) => this.keep(c));
    if (!this.configUri && !this.simulation && this.host.state.kind === 'stopped') return [];
    return [this.configNode(), this.serverNode(), this.simulationNode()].map((c) => this.keep(c));
  }

  /** One object per id across refreshes: VS Code maps ids to elements, and new
   *  objects under old ids while it still draws the last refresh mixed rows. */
  private readonly nodes = new Map<string, Node>();
  private keep(n: Node): Node {
    const old = this.nodes.get(n.id);
    if (!old) {
      if (this.nodes.size > 10_000) this.nodes.clear();
      this.nodes.set(n.id, n);
      return n;
    }
    for (const k of Object.keys(old) as (keyof Node)[]) if (!(k in n)) delete old[k];
    Object.assign(old, n);
    return old;
  }

  private configNode(): Node {
    const s = this.config;
    if (!this.configUri) return { id: 'config:none', label: 'Config', description: 'no upgrade.ini', icon: 'settings-gear' };
    const name = vscode.workspace.asRelativePath(this.configUri);
    if (!s) {
      const why = this.summaries.failure ? 'the language server did not start' : 'checking...';
      return { id: 'config:waiting', label: 'Config', description: `${name}: ${why}`, icon: this.summaries.failure ? 'warning' : 'loading~spin' };
    }
    const u = s.upgrade;
    const kids: Node[] = [
      { id: 'config/current', label: 'Current version', description: u.currentVersion ?? '(missing)', icon: 'tag' },
      { id: 'config/mode', label: 'Mode', description: u.enabled ? (u.mode === 'forced' ? 'Forced ("Upgrade in progress")' : 'Optional (users may decline)') : 'upgrades disabled', icon: 'shield' },
      {
        id: 'config/patchable',
        label: 'Patchable',
        collapsed: true,
        description: `${u.patchableCount} item${u.patchableCount === 1 ? '' : 's'}`,
        icon: 'versions',
        children: () => u.patchable.map((it, i) => ({ id: `config/patchable/${i}`, label: it.text, description: it.matches, icon: 'symbol-number' })),
      },
      {
        id: 'config/files',
        label: 'Files',
        collapsed: true,
        icon: 'files',
        description: s.fileChecks ? undefined : 'not checked (unsaved)',
        children: () =>
          s.files.map((f) => {
            const hash = { matches: 'hash matches', 'not-pinned': 'hash not pinned', mismatch: 'HASH MISMATCH', missing: 'missing' }[f.hash];
            return { id: `config/files/${f.key}`, label: `${f.key}: ${f.relPath}`, description: f.size !== undefined ? `${f.size.toLocaleString('en-US')} bytes, ${hash}` : 'not found', tooltip: f.sha256 ? `SHA-256 ${f.sha256}` : undefined, icon: f.hash === 'missing' || f.hash === 'mismatch' ? 'warning' : 'file-binary' };
          }),
      },
      this.decisionsNode(s),
    ];
    if (s.problemCount > 0) {
      kids.push({
        id: 'config/problems',
        label: 'Problems',
        collapsed: true,
        description: String(s.problemCount),
        icon: s.ok ? 'warning' : 'error',
        children: () => s.problems.map((p, i) => ({ id: `config/problems/${i}`, label: `${p.line}:${p.column} ${p.message}`, description: p.code, icon: p.severity === 'error' ? 'error' : 'warning' })),
      });
    }
    const errors = s.counts.error;
    return { id: `config:${s.uri}`, label: 'Config', description: `${name}${s.ok ? '' : ` (${errors} error${errors === 1 ? '' : 's'})`}`, icon: s.ok ? 'pass' : 'error', children: () => kids };
  }

  private decisionsNode(s: ConfigSummary): Node {
    const t = s.decisions;
    // A leaf while there is no table, a parent once there is: two ids (see Node).
    if ('unavailable' in t) return { id: 'config/decisions:none', label: 'Decisions', description: t.unavailable, icon: 'law' };
    const what = (r: DecisionRow): string => {
      const d = r.decision;
      if (d.action === 'patch' || d.action === 'full') return `${d.action} ${d.file} (${d.mode})`;
      return `${d.action} (${d.reason})`;
    };
    return {
      id: 'config/decisions:rows',
      label: 'Decisions',
      collapsed: true,
      description: `${t.rows.length} kinds of desk`,
      tooltip: 'What a desk of each kind is told at login, decided now for a desk with no name',
      icon: 'law',
      children: () => t.rows.map((r, i) => ({ id: `config/decisions:rows/${i}`, label: `${r.label}: ${r.sample}`, description: what(r), icon: r.decision.action === 'allow' ? 'pass' : r.decision.action === 'reject' ? 'error' : 'cloud-download' })),
    };
  }

  private serverNode(): Node {
    const s = this.host.state;
    if (s.kind !== 'running') {
      return { id: 'server:stopped', label: 'Server', description: s.kind === 'failed' ? `failed: ${s.message}` : s.kind, icon: s.kind === 'failed' ? 'error' : 'debug-stop', contextValue: 'serverStopped' };
    }
    const view = this.host.snapshot.servers.find((v) => v.config === s.config);
    const clients = view?.clients ?? [];
    const transfers = clients.filter((c) => c.state === 'downloading');
    const queue = clients.filter((c) => c.state === 'queued').sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
    return {
      id: `server:${s.pid}:${s.port}`,
      label: 'Server',
      description: `listening on ${s.host}:${s.port}`,
      tooltip: `Serving ${s.config}`,
      icon: 'broadcast',
      contextValue: 'serverRunning',
      children: () => [
        { id: 'server/clients', label: 'Clients', description: String(view?.clientCount ?? 0), icon: 'device-desktop', children: () => clients.map((c) => ({ id: `server/clients/${c.id}`, label: `#${c.id} ${c.version ?? '(logging in)'}`, description: c.state, icon: 'person' })) },
        { id: 'server/transfers', label: 'Transfers', description: String(view?.transfers.running ?? 0), icon: 'cloud-download', children: () => transfers.map((c) => ({ id: `server/transfers/${c.id}`, label: `#${c.id} ${c.file}`, description: c.size ? `${Math.round(((c.sent ?? 0) / c.size) * 100)}%` : '', icon: 'arrow-down' })) },
        { id: 'server/queue', label: 'Queue', description: String(view?.transfers.queued ?? 0), icon: 'list-ordered', children: () => queue.map((c) => ({ id: `server/queue/${c.id}`, label: `${c.position}. #${c.id} ${c.version ?? ''}`, icon: 'watch' })) },
      ],
    };
  }

  private simulationNode(): Node {
    const r = this.simulation;
    if (!r) return { id: 'simulation:none', label: 'Last simulation', description: 'none yet', icon: 'beaker' };
    const groups = new Map<string, ClientReport[]>();
    for (const c of r.clients) {
      const list = groups.get(c.outcome);
      if (list) list.push(c);
      else groups.set(c.outcome, [c]);
    }
    const sim = `simulation:${this.simulationCount}`;
    return {
      id: sim,
      label: 'Last simulation',
      description: `${r.clientCount} client${r.clientCount === 1 ? '' : 's'}${r.failures ? `, ${r.failures} failed` : ''}${r.privateServer ? ` (${vscode.workspace.asRelativePath(r.config)}, private server)` : ''}`,
      icon: r.failures ? 'error' : 'beaker',
      children: () =>
        [...groups.entries()].map(([outcome, list]) => ({
          id: `${sim}/${outcome}`,
          label: outcome,
          // The count of all such clients; the rows are the sample the workbench sent.
          description: String(r.totals[outcome] ?? list.length),
          icon: ['hash-mismatch', 'size-mismatch', 'loop', 'error'].includes(outcome) ? 'error' : outcome === 'let-in' ? 'pass' : 'check',
          children: () =>
            list.map((c) => ({
              id: `${sim}/${outcome}/${c.id}`,
              label: `#${c.id} ${c.version}`,
              description: `${c.action}${c.mode ? `, ${c.mode}` : ''} -> ${c.outcome}`,
              icon: 'person',
              contextValue: 'client',
              children: () => c.story.map((s, i) => ({ id: `${sim}/${outcome}/${c.id}/${i}`, label: s, icon: 'circle-small' })),
            })),
        })),
    };
  }
}
