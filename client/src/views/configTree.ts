// The "Net Server Upgrade" tree: its sections (tree/*Node.ts) are pure
// functions of what the host knows; this provider keeps one Node object per id
// and redraws at most 4 times a second.
import * as vscode from 'vscode';
import type { ConfigSummary, SimulationView } from '../../../server/src/views/messages';
import type { WorkbenchHost } from '../workbenchHost';
import type { ConfigSummaries } from '../summaries';
import type { Node } from './tree/node';
import { treeItemOf } from './tree/treeItem';
import { configNode } from './tree/configNode';
import { serverNode } from './tree/serverNode';
import { simulationNode } from './tree/simulationNode';
import { configRolloutNode, serverRolloutNode, withChild } from './tree/rolloutNode';
import type { InventoryShown } from '../inventory';

export class UpgradeTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private configUri: vscode.Uri | null = null;
  /** The last simulation of each config (by path): the tree shows the one of the config it shows. */
  private readonly simulations = new Map<string, SimulationView>();
  private simulationCount = 0;
  private pending: NodeJS.Timeout | undefined;
  /** The served config's clients, for the Rollout row's inventory (set by the extension). */
  inventory: InventoryShown | null = null;

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
    this.simulations.set(report.config, report);
    this.simulationCount++;
    this.refresh();
  }

  getTreeItem(n: Node): vscode.TreeItem {
    // A client's row (its story) starts folded: a fleet has many.
    return treeItemOf(n, n.collapsed === true || n.contextValue === 'client');
  }

  getChildren(n?: Node): Node[] {
    if (n) return (n.children ? n.children() : []).map((c) => this.keep(c));
    // Another config's simulation is not this one's (issue 11 observation 4).
    const simulation = this.configUri ? (this.simulations.get(this.configUri.fsPath) ?? null) : null;
    if (!this.configUri && this.host.state.kind === 'stopped') return [];
    return [this.withRollout(configNode(this.configUri, this.config, this.summaries.failure)), this.withServerRollout(serverNode(this.host.state, this.host.snapshot)), simulationNode(simulation, this.simulationCount)].map((c) => this.keep(c));
  }

  /** The Config section with the file's [Rollout] (before its problems). */
  private withRollout(config: Node): Node {
    const r = this.config?.rollout;
    return r ? withChild(config, configRolloutNode(r), 'config/problems') : config;
  }

  /** The running server's section with its Rollout row. */
  private withServerRollout(server: Node): Node {
    const s = this.host.state;
    if (s.kind !== 'running') return server;
    const view = this.host.snapshot.servers.find((v) => v.config === s.config);
    return withChild(server, serverRolloutNode(view, this.inventory?.config === s.config ? this.inventory : null, Date.now()));
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
}
