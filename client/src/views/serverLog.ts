// "Net Server Upgrade: Server": the running upgrade server's own log, apart
// from the extension's. Each line is the server's own text (formatEvent, the
// lines `nsupgrade serve` prints, peer-controlled text already escaped) at the
// level the workbench child gave it: a login's facts and reloads at info, a
// refused change at warn, errors at error, a session's steps at debug.
import * as vscode from 'vscode';
import type { WorkbenchState } from '../../../server/src/views/messages';
import type { WorkbenchHost } from '../workbenchHost';

export const SERVER_LOG_NAME = 'Net Server Upgrade: Server';

export function createServerLog(host: WorkbenchHost): vscode.LogOutputChannel {
  const channel = vscode.window.createOutputChannel(SERVER_LOG_NAME, { log: true });
  host.on('snapshot', (s: WorkbenchState) => {
    // At most a few snapshots a second, each with a bounded activity list.
    for (const a of s.activity) channel[a.level](a.text);
    if (s.activityDropped) channel.warn(`(${s.activityDropped} more server events left out of this log: too many at once)`);
  });
  return channel;
}
