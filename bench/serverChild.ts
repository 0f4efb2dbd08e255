// An upgrade server in a child process, for benchmarks that must tell the
// server's CPU and memory from the clients'. The bench re-runs its own bundle
// with `child-server CONFIG` (see runChildServerIfAsked).
import { spawn, type ChildProcess } from 'node:child_process';
import { startUpgradeServer } from '../server/src/upgrade/server';

type Request = { type: 'cpu' } | { type: 'stop' };

/** In the bench's entry: when started as the child, run the server and return true. */
export function runChildServerIfAsked(): boolean {
  if (process.argv[2] !== 'child-server') return false;
  void childServer(process.argv[3]).catch((err) => {
    console.error(err);
    process.exit(2);
  });
  return true;
}

async function childServer(configPath: string): Promise<void> {
  const server = await startUpgradeServer({ configPath, port: 0, host: '127.0.0.1', watch: false });
  process.on('message', (m: Request) => {
    if (m.type === 'cpu') {
      const c = process.cpuUsage();
      process.send!({ type: 'cpu', us: c.user + c.system, rss: process.memoryUsage.rss() });
    } else if (m.type === 'stop') void server.close().then(() => process.exit(0));
  });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
  process.send!({ type: 'listening', port: server.address().port });
}

export class ServerChild {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static start(configPath: string): Promise<ServerChild> {
    const child = spawn(process.execPath, ['--expose-gc', __filename, 'child-server', configPath], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error('the server child did not start within 60 s'));
      }, 60000);
      child.once('message', (m: { port: number }) => {
        clearTimeout(timer);
        resolve(new ServerChild(child, m.port));
      });
      child.once('exit', (code) => reject(new Error(`the server child exited with ${code}`)));
    });
  }

  /** The child's user + system CPU time so far (microseconds) and its resident memory. */
  cpu(): Promise<{ us: number; rss: number }> {
    return new Promise((resolve) => {
      this.child.once('message', (m: { us: number; rss: number }) => resolve(m));
      this.child.send({ type: 'cpu' } satisfies Request);
    });
  }

  async cpuMs(): Promise<number> {
    return (await this.cpu()).us / 1000;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 15000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.send({ type: 'stop' } satisfies Request);
    });
  }
}
