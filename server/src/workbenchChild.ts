// Entry of dist/workbench.js, the child process the VS Code extension forks
// (with an IPC channel) to run its upgrade servers and simulations away from
// the extension host's event loop. Typed requests in, replies and snapshots
// out (views/messages.ts). It ends when its parent goes away or disconnects.
import { Workbench } from './workbench/workbench';
import type { WorkbenchMessage, WorkbenchRequest } from './views/messages';

function send(message: WorkbenchMessage): void {
  // After the parent went away there is nobody to tell; sending would throw
  // ERR_IPC_CHANNEL_CLOSED.
  if (process.connected) process.send?.(message);
}

/**
 * Sends the last message, then exits once it is handed to the channel:
 * `process.exit` right after `send` drops a big message (2,000 config errors
 * are about 360 KB, more than the pipe takes at once).
 */
export function sendThenExit(message: WorkbenchMessage, code: number): void {
  if (!process.connected || !process.send) process.exit(code);
  process.send(message, undefined, {}, () => process.exit(code));
}

if (require.main === module) {
  if (!process.send) {
    process.stderr.write('dist/workbench.js is forked by the VS Code extension with an IPC channel; for a server on the command line run nsupgrade serve\n');
    process.exit(2);
  }
  const workbench = new Workbench(send, { pid: process.pid });
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    void workbench.close().then(() => process.exit(0));
  };
  process.on('message', (m: WorkbenchRequest) => void workbench.handle(m));
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('uncaughtException', (err) => sendThenExit({ type: 'fatal', message: err.stack ?? err.message }, 70));
}
