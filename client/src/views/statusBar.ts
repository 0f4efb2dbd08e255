// The server's state in the status bar, and which config is in force (loaded
// when, CurrentVersion, hash; a refused change on disk said plainly); a click
// starts it, or, while it runs, asks whether to stop, restart or show the log
// (never a silent stop). While the rollout is paused it says so, with a
// warning background and a tooltip saying how to resume (a click shows the
// view with the Resume button).
import * as vscode from 'vscode';
import type { WorkbenchState } from '../../../server/src/views/messages';
import type { HostState } from '../workbenchHost';
import { inForceTooltip, refusedLine } from './inForce';

type Paused = { text: string; tooltip: string } | null;

export function createStatusBar(): { item: vscode.StatusBarItem; update(s: HostState, snapshot?: WorkbenchState): void; paused(p: Paused): void } {
  const item = vscode.window.createStatusBarItem('nsupgrade.server', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Net Server Upgrade';
  let last: HostState = { kind: 'stopped' };
  let lastSnapshot: WorkbenchState | undefined;
  let pause: Paused = null;
  const update = (s: HostState, snapshot?: WorkbenchState): void => {
    last = s;
    lastSnapshot = snapshot;
    item.accessibilityInformation = undefined;
    if (s.kind === 'running' && pause) {
      item.text = pause.text;
      item.tooltip = pause.tooltip;
      item.command = 'nsupgrade.view.focus';
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      item.show();
      return;
    }
    switch (s.kind) {
      case 'running': {
        const view = snapshot?.servers.find((v) => v.config === s.config);
        const refused = view ? refusedLine(view) : null;
        item.text = `$(${refused ? 'warning' : 'broadcast'}) Upgrade ${s.host}:${s.port}${refused ? ' (change refused)' : ''}`;
        const lines = view ? inForceTooltip(view, vscode.workspace.asRelativePath(s.config)) : [`Upgrade server running on ${s.host}:${s.port}, serving ${s.config}.`];
        item.tooltip = [...lines, 'Click to stop, restart or show the log.'].join('\n');
        // Screen readers (and the tests) read the same facts as the tooltip.
        item.accessibilityInformation = { label: `Upgrade server on ${s.host}:${s.port}. ${refused ?? ''} ${lines.join(' ')}` };
        // Asks first (commands/server.ts serverMenu): a click never stops the server silently.
        item.command = 'nsupgrade.serverMenu';
        item.backgroundColor = refused ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
        break;
      }
      case 'starting':
        item.text = '$(sync~spin) Upgrade server starting';
        item.command = undefined;
        item.backgroundColor = undefined;
        break;
      case 'failed':
        item.text = '$(error) Upgrade server failed';
        item.tooltip = s.message;
        item.command = 'nsupgrade.startServer';
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
      default:
        item.text = '$(debug-stop) Upgrade server stopped';
        item.tooltip = 'Click to start the upgrade server for this upgrade.ini';
        item.command = 'nsupgrade.startServer';
        item.backgroundColor = undefined;
    }
    item.show();
  };
  const paused = (p: Paused): void => {
    if (p?.text === pause?.text && p?.tooltip === pause?.tooltip) return;
    pause = p;
    update(last, lastSnapshot);
  };
  return { item, update, paused };
}
