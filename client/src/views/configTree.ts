// The "Net Server Upgrade" tree: Config (what the file says, read with the
// shared model), Server (state, clients, transfers, queue) and Last
// simulation (outcomes with counts; each client's story on expand).
import * as vscode from 'vscode';
import { loadConfigText, type LoadedConfig } from '../../../server/src/config';
import { describeItem } from '../../../server/src/config/versionSet';
import type { SimulationReport, ClientReport } from '../../../server/src/simulator';
import type { UpgradeServerHost } from '../upgradeServerHost';

// Every node has an id that changes when the node turns from a leaf into a
// parent (server started, first simulation): VS Code then inserts a new row
// instead of updating one, which it sometimes rendered stale.
type Node = { id: string; label: string; description?: string; tooltip?: string; icon?: string; children?: () => Node[]; contextValue?: string; command?: vscode.Command };

export class UpgradeTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private loaded: LoadedConfig | null = null;
  private configUri: vscode.Uri | null = null;
  private simulation: SimulationReport | null = null;
  private simulationCount = 0;
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly host: UpgradeServerHost) {}

  /** Redraws the tree at most 4 times a second: events come by the thousand, and
   *  frequent whole-tree refreshes make VS Code draw stale rows. */
  refresh(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.changed.fire(undefined);
    }, 250);
  }

  /** Re-reads the config the views show (the active upgrade.ini, or the one found in the workspace). */
  async setConfig(uri: vscode.Uri | null, text?: string): Promise<void> {
    this.configUri = uri;
    if (!uri) this.loaded = null;
    else {
      const body = text ?? Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
      this.loaded = await loadConfigText(body.replace(/^\uFEFF/, ''), uri.fsPath);
    }
    void vscode.commands.executeCommand('setContext', 'nsupgrade.hasConfig', uri !== null);
    this.refresh();
  }

  get config(): LoadedConfig | null {
    return this.loaded;
  }

  get configPath(): string | null {
    return this.configUri?.fsPath ?? null;
  }

  setSimulation(report: SimulationReport): void {
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
    if (n.children && n.contextValue === 'client') item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
    return item;
  }

  getChildren(n?: Node): Node[] {
    if (n) return n.children ? n.children() : [];
    if (!this.loaded && !this.simulation && this.host.state.kind === 'stopped') return [];
    return [this.configNode(), this.serverNode(), this.simulationNode()];
  }

  private configNode(): Node {
    const l = this.loaded;
    if (!l) return { id: 'config:none', label: 'Config', description: 'no upgrade.ini', icon: 'settings-gear' };
    const c = l.config;
    const name = vscode.workspace.asRelativePath(l.path);
    const kids: Node[] = [
      { id: 'config/current', label: 'Current version', description: c.upgrade.currentVersion?.text ?? '(missing)', icon: 'tag' },
      { id: 'config/mode', label: 'Mode', description: c.upgrade.enabled ? (c.upgrade.mode === 'forced' ? 'Forced ("Upgrade in progress")' : 'Optional (users may decline)') : 'upgrades disabled', icon: 'shield' },
      {
        id: 'config/patchable',
        label: 'Patchable',
        description: `${c.upgrade.patchable.items.length} item${c.upgrade.patchable.items.length === 1 ? '' : 's'}`,
        icon: 'versions',
        children: () => c.upgrade.patchable.items.slice(0, 200).map((it, i) => ({ id: `config/patchable/${i}`, label: it.text, description: describeItem(it), icon: 'symbol-number' })),
      },
      {
        id: 'config/files',
        label: 'Files',
        icon: 'files',
        children: () => {
          const out: Node[] = [];
          for (const [key, rel, info, pinned] of [
            ['FullSetup', c.upgrade.fullSetup, l.files.fullSetup, c.upgrade.fullSetupSha256],
            ['PatchFile', c.upgrade.patchFile, l.files.patchFile, c.upgrade.patchFileSha256],
          ] as const) {
            if (!rel) continue;
            const hash = !info ? 'missing' : pinned === null ? 'hash not pinned' : pinned === info.sha256 ? 'hash matches' : 'HASH MISMATCH';
            out.push({ id: `config/files/${key}`, label: `${key}: ${rel}`, description: info ? `${info.size.toLocaleString('en-US')} bytes, ${hash}` : 'not found', tooltip: info ? `SHA-256 ${info.sha256}` : undefined, icon: info && hash !== 'HASH MISMATCH' ? 'file-binary' : 'warning' });
          }
          return out;
        },
      },
    ];
    return { id: `config:${l.path}`, label: 'Config', description: `${name}${l.ok ? '' : ` (${l.errorCount} error${l.errorCount === 1 ? '' : 's'})`}`, icon: l.ok ? 'pass' : 'error', children: () => kids };
  }

  private serverNode(): Node {
    const s = this.host.state;
    if (s.kind !== 'running') {
      return { id: 'server:stopped', label: 'Server', description: s.kind === 'failed' ? `failed: ${s.message}` : s.kind, icon: s.kind === 'failed' ? 'error' : 'debug-stop', contextValue: 'serverStopped' };
    }
    const clients = [...this.host.clients.values()];
    const transfers = clients.filter((c) => c.state === 'downloading');
    const queue = clients.filter((c) => c.state === 'queued').sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
    return {
      id: `server:${s.pid}`,
      label: 'Server',
      description: `listening on ${s.host}:${s.port}`,
      icon: 'broadcast',
      contextValue: 'serverRunning',
      children: () => [
        { id: 'server/clients', label: 'Clients', description: String(clients.length), icon: 'device-desktop', children: () => clients.map((c) => ({ id: `server/clients/${c.id}`, label: `#${c.id} ${c.version ?? '(logging in)'}`, description: c.state, icon: 'person' })) },
        { id: 'server/transfers', label: 'Transfers', description: String(transfers.length), icon: 'cloud-download', children: () => transfers.map((c) => ({ id: `server/transfers/${c.id}`, label: `#${c.id} ${c.file}`, description: c.size ? `${Math.round(((c.sent ?? 0) / c.size) * 100)}%` : '', icon: 'arrow-down' })) },
        { id: 'server/queue', label: 'Queue', description: String(queue.length), icon: 'list-ordered', children: () => queue.map((c) => ({ id: `server/queue/${c.id}`, label: `${c.position}. #${c.id} ${c.version ?? ''}`, icon: 'watch' })) },
      ],
    };
  }

  private simulationNode(): Node {
    const r = this.simulation;
    if (!r) return { id: 'simulation:none', label: 'Last simulation', description: 'none yet', icon: 'beaker' };
    const groups = new Map<string, ClientReport[]>();
    for (const c of r.clients) groups.set(c.outcome, [...(groups.get(c.outcome) ?? []), c]);
    const sim = `simulation:${this.simulationCount}`;
    return {
      id: sim,
      label: 'Last simulation',
      description: `${r.clients.length} client${r.clients.length === 1 ? '' : 's'}${r.failures ? `, ${r.failures} failed` : ''}`,
      icon: r.failures ? 'error' : 'beaker',
      children: () =>
        [...groups.entries()].map(([outcome, list]) => ({
          id: `${sim}/${outcome}`,
          label: outcome,
          description: String(list.length),
          icon: ['hash-mismatch', 'size-mismatch', 'loop', 'error'].includes(outcome) ? 'error' : outcome === 'let-in' ? 'pass' : 'check',
          children: () =>
            list.slice(0, 200).map((c) => ({
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
