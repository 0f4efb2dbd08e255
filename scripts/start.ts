// `npm start`: builds and packages the extension, then opens it in a real
// VS Code (code-server on 127.0.0.1) with examples/ open, and prints the URL.
// Ctrl+C stops it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, startCodeServer, ensureEnvironment } from './vscode/codeServer';

async function main(): Promise<void> {
  const pack = spawnSync('npm', ['run', 'package', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (pack.status !== 0) throw new Error('packaging the extension failed');
  ensureEnvironment();
  const cs = await startCodeServer({ vsix: join(ROOT, 'netserver-upgrade.vsix'), folder: join(ROOT, 'examples') });
  process.stdout.write(`\nNet Server Upgrade is running in VS Code (code-server) at:\n\n  ${cs.url}\n\nOpen it in a browser. Ctrl+C stops it.\n`);
  const stop = (): void => {
    void cs.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: Error) => {
  process.stderr.write(`npm start: ${err.message}\n`);
  process.exit(1);
});
