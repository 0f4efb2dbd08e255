// The What If view: for the upgrade.ini the Upgrades tree shows, every
// version that matters and what it gets, as the language server computes it
// (nsupgrade/whatIf). Asked again when that config's summary changes (each
// check of an edit, a file changed on disk) and while the view is visible only.
import * as vscode from 'vscode';
import type { WhatIfTable } from '../../../server/src/views/messages';
import type { ConfigSummaries } from '../summaries';
import { requestWhatIf } from '../whatIf';
import type { Node } from './tree/node';
import { whatIfNodes } from './tree/whatIfNode';
import { treeItemOf } from './tree/treeItem';

export class WhatIfView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private table: WhatIfTable | null = null;
  private visible = false;
  private pending: NodeJS.Timeout | undefined;
  private asked = 0;
  private readonly subscriptions: vscode.Disposable[] = [];

  /** `shown`: the config the Upgrades tree shows. */
  constructor(
    private readonly summaries: ConfigSummaries,
    private readonly shown: () => vscode.Uri | null,
  ) {
    this.subscriptions.push(
      summaries.onDidChange((uri) => {
        if (uri.toString() === this.shown()?.toString()) this.update();
      }),
    );
  }

  /** Follows the view's visibility: nothing is asked while it is hidden. */
  attach(view: vscode.TreeView<Node>): void {
    this.visible = view.visible;
    this.subscriptions.push(
      view.onDidChangeVisibility((e) => {
        this.visible = e.visible;
        if (e.visible) this.update();
      }),
    );
    if (this.visible) this.update();
  }

  /** Asks for the table again (at most about 3 times a second while edits come in). */
  update(): void {
    if (!this.visible || this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.ask();
    }, 300);
  }

  private async ask(): Promise<void> {
    const uri = this.shown();
    const n = ++this.asked;
    let table: WhatIfTable | null;
    if (!uri) table = { uri: '', rows: [], unavailable: 'no upgrade.ini shown' };
    else if (this.summaries.failure) table = null;
    else {
      try {
        table = await requestWhatIf(this.summaries, uri);
      } catch (err) {
        table = { uri: uri.toString(), rows: [], unavailable: (err as Error).message };
      }
    }
    // A later question won the race: its answer is the one to draw.
    if (n !== this.asked) return;
    this.table = table;
    this.changed.fire(undefined);
  }

  getTreeItem(n: Node): vscode.TreeItem {
    return treeItemOf(n);
  }

  getChildren(n?: Node): Node[] {
    if (n) return n.children ? n.children() : [];
    return whatIfNodes(this.table, this.summaries.failure);
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
