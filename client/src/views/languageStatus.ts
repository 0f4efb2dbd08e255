// On upgrade.ini files: which config is in force (served) and whether this
// one is valid.
import * as vscode from 'vscode';
import type { LoadedConfig } from '../../../server/src/config';
import type { HostState } from '../upgradeServerHost';

export function createLanguageStatus(): { item: vscode.LanguageStatusItem; update(config: LoadedConfig | null, server: HostState): void } {
  const item = vscode.languages.createLanguageStatusItem('nsupgrade.config', { language: 'netserver-upgrade-ini' });
  item.name = 'upgrade.ini';
  const update = (config: LoadedConfig | null, server: HostState): void => {
    if (!config) {
      item.text = 'upgrade.ini';
      item.detail = 'not checked yet';
      item.severity = vscode.LanguageStatusSeverity.Information;
      return;
    }
    const served = server.kind === 'running' && server.config === config.path;
    item.text = config.ok ? `$(pass) upgrade.ini valid` : `$(error) ${config.errorCount} error${config.errorCount === 1 ? '' : 's'}`;
    item.detail = served ? `in force on ${server.kind === 'running' ? `${server.host}:${server.port}` : ''}` : config.ok ? `CurrentVersion ${config.config.upgrade.currentVersion?.text ?? '?'}; not being served` : 'the upgrade server will not run it';
    item.severity = config.ok ? vscode.LanguageStatusSeverity.Information : vscode.LanguageStatusSeverity.Error;
    item.command = config.ok ? { title: served ? 'Stop' : 'Serve', command: served ? 'nsupgrade.stopServer' : 'nsupgrade.startServer' } : { title: 'Show problems', command: 'workbench.actions.view.problems' };
  };
  return { item, update };
}
