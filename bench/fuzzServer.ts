// The server a fuzz campaign attacks: a real `nsupgrade serve` process on an
// ephemeral loopback port, with IdleTimeout = 1 s so that silent and trickling
// sessions end quickly, and its resident memory read from /proc.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { configText, makeFixture, type Fixture } from '../test/upgrade/helpers';

/** A config folder with IdleTimeout = 1 s and MaxTransfers = 64, so that stalled
 *  downloads are cut side by side (temp folder, removed at exit). */
export function fuzzFixture(fullBytes = 300_000): Fixture {
  return makeFixture(configText({ idle: 1, maxTransfers: 64 }), fullBytes);
}

export interface ServeProcess {
  port: number;
  rss(): Promise<number | null>;
  alive(): boolean;
  stop(): Promise<void>;
}

function rssOf(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Starts `node ...args serve INI --port 0` and waits for its address line (within 30 s). */
export function startServeProcess(node: string, args: string[], ini: string): Promise<ServeProcess> {
  const child = spawn(node, [...args, 'serve', ini, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let exited = false;
  const exit = new Promise<void>((r) =>
    child.once('exit', () => {
      exited = true;
      r();
    }),
  );
  let out = '';
  let err = '';
  // The log of thousands of sessions is read and dropped, so the pipe never fills.
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within 30 s: ${err}`));
    }, 30_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stdout.resume();
      const pid = child.pid ?? -1;
      resolve({
        port: Number(m[1]),
        rss: async () => rssOf(pid),
        alive: () => !exited,
        stop: async () => {
          if (!exited) child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exit;
          clearTimeout(killer);
        },
      });
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}: ${err}`));
    });
  });
}
