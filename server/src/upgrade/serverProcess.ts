// Entry of dist/upgradeServer.js: `node dist/upgradeServer.js CONFIG [--port N] [--host H]`,
// forked by the VS Code extension with an IPC channel. It exits when told to
// stop or when its parent goes away.
import { startUpgradeServer, ConfigErrorsError, type UpgradeServer } from './server';
import type { ChildMessage, ParentMessage } from './ipc';
import { parseServeArgs } from './serveCommand';

function send(message: ChildMessage): void {
  // After the parent went away there is nobody to tell; sending would throw
  // ERR_IPC_CHANNEL_CLOSED and cut the shutdown short.
  if (!process.send) process.stdout.write(`${JSON.stringify(message)}\n`);
  else if (process.connected) process.send(message);
}

async function main(): Promise<void> {
  let server: UpgradeServer | null = null;
  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await server?.close();
    process.exit(code);
  };
  process.on('disconnect', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('message', (m: ParentMessage) => {
    if (m.type === 'stop') void stop(0);
    else if (m.type === 'reload') void server?.reload();
  });
  let args;
  try {
    args = parseServeArgs(process.argv.slice(2));
  } catch (err) {
    send({ type: 'fatal', code: 'usage', message: (err as Error).message });
    process.exit(2);
  }
  try {
    server = await startUpgradeServer({ configPath: args.file, port: args.port, host: args.host });
  } catch (err) {
    if (err instanceof ConfigErrorsError) {
      send({ type: 'config-error', problems: err.problems });
      process.exit(1);
    }
    const e = err as NodeJS.ErrnoException;
    send({ type: 'fatal', code: e.code, message: e.message });
    process.exit(2);
  }
  server.on('event', (event) => send({ type: 'event', event }));
  const a = server.address();
  send({ type: 'listening', host: a.host, port: a.port });
}

void main();
