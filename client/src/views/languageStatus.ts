// On upgrade.ini files: whether this one is valid (the language server's
// summary) and whether it is the config being served.
import * as vscode from 'vscode';
import type { ConfigSummary, ServerView } from '../../../server/src/views/messages';
import type { HostState } from '../workbenchHost';
import { clock, refusedLine } from './inForce';
import { plural } from './tree/node';

export function createLanguageStatus(): { item: vscode.LanguageStatusItem; update(config: ConfigSummary | null, server: HostState, failure?: string | null, view?: ServerView): void } {
  const item = vscode.languages.createLanguageStatusItem('nsupgrade.config', { language: 'netserver-upgrade-ini' });
  item.name = 'upgrade.ini';
  const update = (config: ConfigSummary | null, server: HostState, failure: string | null = null, view?: ServerView): void => {
    if (!config) {
      item.text = 'upgrade.ini';
      item.detail = failure ? `not checked: the language server did not start (${failure})` : 'not checked yet';
      item.severity = failure ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
      item.command = failure ? { title: 'Show Log', command: 'nsupgrade.showLog' } : undefined;
      return;
    }
    const errors = config.counts.error;
    const served = server.kind === 'running' && config.path !== null && server.config === config.path;
    item.text = config.ok ? `$(pass) upgrade.ini valid` : `$(error) ${errors} error${errors === 1 ? '' : 's'}`;
    // Which config is in force when this file is served: the one loaded at a time, which may not be this text.
    const inForce = view ? `: the config loaded at ${clock(view.inForce.loadedAt)} (CurrentVersion ${view.inForce.currentVersion}, config ${view.inForce.hash})` : '';
    const refused = view ? refusedLine(view) : null;
    item.detail = served && server.kind === 'running' ? (refused ?? `in force on ${server.host}:${server.port}${inForce}${config.ok ? '' : '; this text is not'}`) : config.ok ? `CurrentVersion ${config.upgrade.currentVersion ?? '?'}; not being served` : 'the upgrade server will not run it';
    item.severity = config.ok ? vscode.LanguageStatusSeverity.Information : vscode.LanguageStatusSeverity.Error;
    item.command = config.ok ? { title: served ? 'Stop' : 'Serve', command: served ? 'nsupgrade.stopServer' : 'nsupgrade.startServer' } : { title: 'Show problems', command: 'workbench.actions.view.problems' };
    // A paused rollout is what this file's served state most needs to say, with its way out.
    if (served && view?.rollout.paused) {
      const r = view.rollout;
      // Short: VS Code cuts a long detail in the hover.
      item.detail = `${r.currentVersion}${view.rolloutPausedAt ? ` since ${clock(view.rolloutPausedAt)}` : ''}, ${plural(r.failures, 'failed upgrade')}`;
      item.text = '$(debug-pause) rollout paused';
      item.severity = vscode.LanguageStatusSeverity.Warning;
      item.command = { title: 'Resume Rollout', command: 'nsupgrade.resumeRollout' };
    }
  };
  return { item, update };
}
