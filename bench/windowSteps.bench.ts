// How the upgrade server sees a slow reader's progress (docs/protocol.md,
// "Limits"): a transfer must have the client take MIN_PROGRESS_BYTES per
// IdleTimeout, and the server counts what the kernel took from its socket.
// With the buffers full, the kernel takes more only when the receiver opens
// its window again, which it does in steps. This measures those steps on
// 127.0.0.1: a server writes DATA-sized chunks as the upgrade server does, a
// client reads 64 KiB every 50 ms after letting the buffers fill, and the
// steps of "taken" are printed against MIN_PROGRESS_BYTES (the baseline).
//   npm run bench -- windowSteps
import { readFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { MIN_PROGRESS_BYTES } from '../server/src/upgrade/session';

const CHUNK = Buffer.alloc(64 * 1024 + 5);
const READ_EVERY_MS = 50;
const READ_BYTES = 64 * 1024;
const RUN_MS = 8000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const steps: { at: number; taken: number }[] = [];
  let reading = false;
  const server = createServer((s) => {
    s.setNoDelay(true);
    const pump = (): void => {
      while (s.write(CHUNK));
      s.once('drain', pump);
    };
    pump();
    let last = -1;
    // Sampled as the server's progress check reads it: written less still queued in Node.
    const timer = setInterval(() => {
      const taken = s.bytesWritten - s.writableLength;
      if (taken !== last && reading) steps.push({ at: Date.now(), taken });
      last = taken;
    }, 5);
    s.on('close', () => clearInterval(timer));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const client = new Socket();
  await new Promise<void>((r) => client.connect(port, '127.0.0.1', r));
  client.pause();
  // Let every buffer between the two fill, as with a client that stopped reading.
  await new Promise((r) => setTimeout(r, 1000));
  reading = true;
  const start = Date.now();
  let read = 0;
  while (Date.now() - start < RUN_MS) {
    let got = 0;
    for (let b = client.read() as Buffer | null; b; b = client.read() as Buffer | null) {
      got += b.length;
      if (got >= READ_BYTES) break;
    }
    read += got;
    await new Promise((r) => setTimeout(r, READ_EVERY_MS));
  }
  client.destroy();
  server.close();

  const sizes = steps.slice(1).map((s, i) => s.taken - steps[i].taken);
  const gaps = steps.slice(1).map((s, i) => s.at - steps[i].at);
  const rmem = (() => {
    try {
      return readFileSync('/proc/sys/net/ipv4/tcp_rmem', 'utf8').trim();
    } catch {
      return 'unknown';
    }
  })();
  console.log(`tcp_rmem (min default max): ${rmem}`);
  console.log(`reader: ${(read / (RUN_MS / 1000) / 1e6).toFixed(2)} MB/s (${READ_BYTES / 1024} KiB every ${READ_EVERY_MS} ms); the server's writes completed ${steps.length} times in ${RUN_MS / 1000} s`);
  if (sizes.length === 0) {
    console.log('no step seen: the reader never freed a window');
    return;
  }
  const step = median(sizes);
  console.log(`window step (what the kernel took at once): median ${(step / 1e6).toFixed(2)} MB (${(Math.min(...sizes) / 1e6).toFixed(2)}-${(Math.max(...sizes) / 1e6).toFixed(2)}), every ${median(gaps)} ms`);
  console.log(`ratio to the minimum progress per IdleTimeout (${MIN_PROGRESS_BYTES / 1024} KiB): ${(step / MIN_PROGRESS_BYTES).toFixed(1)}x; a client must read about one step per IdleTimeout (${(step / 30 / 1000).toFixed(0)} KB/s at the default 30 s) to be seen moving`);
}

void main();
