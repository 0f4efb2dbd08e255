// The server's state in the status bar; a click starts or stops it.
import * as vscode from 'vscode';
import type { HostState } from '../workbenchHost';

export function createStatusBar(): { item: vscode.StatusBarItem; update(s: HostState): void } {
  const item = vscode.window.createStatusBarItem('nsupgrade.server', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Net Server Upgrade';
  const update = (s: HostState): void => {
    switch (s.kind) {
      case 'running':
        item.text = `$(broadcast) Upgrade ${s.host}:${s.port}`;
        item.tooltip = `Upgrade server running on ${s.host}:${s.port}, serving ${s.config}. Click to stop.`;
        item.command = 'nsupgrade.stopServer';
        item.backgroundColor = undefined;
        break;
      case 'starting':
        item.text = '$(sync~spin) Upgrade server starting';
        item.command = undefined;
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
  return { item, update };
}
