// Resume Rollout and Show Inventory (spec 8), through the workbench child's
// `resume-rollout` and `inventory` requests: the host decides nothing, it
// asks the server that counts and says what came of it.
import * as vscode from 'vscode';
import type { WorkbenchHost } from '../workbenchHost';
import { inventoryText } from '../views/inventoryText';

export const INVENTORY_SCHEME = 'nsupgrade-inventory';

/** The running server's config, or null after saying that nothing is served. */
function served(host: WorkbenchHost, what: string): string | null {
  const s = host.state;
  if (s.kind === 'running') return s.config;
  void vscode.window.showWarningMessage(`${what}: the upgrade server is not running. Start it first (Net Server Upgrade: Start Upgrade Server).`);
  return null;
}

export async function resumeRollout(host: WorkbenchHost, log: vscode.LogOutputChannel): Promise<void> {
  const config = served(host, 'Resume Rollout');
  if (!config) return;
  const r = await host.resumeRollout(config);
  if (!r) {
    void vscode.window.showWarningMessage('Resume Rollout: the upgrade server stopped meanwhile; nothing was resumed.');
    return;
  }
  const v = r.rollout.currentVersion || 'CurrentVersion';
  const again = r.rollout.pauseAfterFailures !== null ? ` It pauses again after ${r.rollout.pauseAfterFailures} failed upgrade${r.rollout.pauseAfterFailures === 1 ? '' : 's'}.` : '';
  const message = r.wasPaused
    ? `Resumed the rollout of ${v}: out-of-date desks in the rollout are offered the upgrade again at their next login; the failure count starts from 0.${again}`
    : `The rollout of ${v} was not paused; its failure count starts again from 0.`;
  log.info(message);
  void vscode.window.showInformationMessage(message);
}

/** Show Inventory's documents: read-only, one per call (the text as of that call). */
export class InventoryDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private count = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This inventory is gone: run Net Server Upgrade: Show Inventory again.\n';
  }

  add(text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: INVENTORY_SCHEME, path: `/Inventory ${++this.count}.txt` });
    // Only the last few stay (each may be a few MB).
    if (this.texts.size >= 5) this.texts.delete(this.texts.keys().next().value as string);
    this.texts.set(uri.toString(), text);
    return uri;
  }

  dispose(): void {
    this.texts.clear();
  }
}

export async function showInventory(host: WorkbenchHost, docs: InventoryDocuments): Promise<void> {
  const config = served(host, 'Show Inventory');
  if (!config) return;
  const inv = await host.inventory(config);
  if (!inv) {
    void vscode.window.showWarningMessage('Show Inventory: the upgrade server stopped meanwhile.');
    return;
  }
  const view = host.snapshot.servers.find((v) => v.config === config);
  const uri = docs.add(inventoryText({ config, ...inv }, view, Date.now()));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
}
