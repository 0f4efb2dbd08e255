// The protocol fuzz campaign as a script (bench/fuzzCampaign.ts says what it
// tries and checks). The server is a real `nsupgrade serve` process (dist/,
// so `npm run build` first), its memory read from /proc; the clients run here.
//   npm run fuzz -- [--seed N] [--sessions N] [--concurrency N] [--fleet N] [--json] [--cli PATH]
//   npm run fuzz -- --flood N      (issue 10's memory attack alone: N clients, each a DATA header and 1 MiB)
// (--cli: another build's dist/cli.js, to run the same campaign against it).
// Exit 1 when any session broke a promise of the protocol.
import { join, resolve } from 'node:path';
import { sha256 } from '../test/upgrade/helpers';
import { formatReport, runCampaign, runFlood } from './fuzzCampaign';
import { fuzzFixture, startServeProcess } from './fuzzServer';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} needs a whole number`);
  return n;
}

async function main(): Promise<number> {
  const seed = flag('seed', 1);
  const sessions = flag('sessions', 5000);
  const concurrency = flag('concurrency', 300);
  const fleet = flag('fleet', 8);
  const root = resolve(__dirname, '..');
  // A full setup bigger than loopback buffers, so a client that stops reading really stalls.
  const fx = fuzzFixture(8 * 1024 * 1024);
  const cliAt = process.argv.indexOf('--cli');
  const cli = cliAt === -1 ? join(root, 'dist/cli.js') : resolve(process.argv[cliAt + 1]);
  const server = await startServeProcess(process.execPath, [cli], fx.ini);
  const target = { host: '127.0.0.1', port: server.port, rss: server.rss, alive: server.alive, secrets: [fx.dir], files: new Set([sha256(fx.full), sha256(fx.patch)]), idleTimeoutMs: 1000 };
  try {
    const flood = flag('flood', 0);
    if (flood > 0) {
      const f = await runFlood(target, flood);
      const outcomes = Object.entries(f.outcomes).map(([o, n]) => `${o} ${n}`).join(', ');
      process.stdout.write(`${flood} clients, each a DATA header and 1 MiB: ${outcomes}; server RSS ${f.baselineMiB?.toFixed(0)} MiB before, peak ${f.peakMiB?.toFixed(0)} MiB, in ${(f.ms / 1000).toFixed(1)} s\n`);
      return 0;
    }
    const report = await runCampaign(
      target,
      { seed, sessions, concurrency, fleet, log: (l) => process.stderr.write(`${l}\n`) },
    );
    process.stdout.write(process.argv.includes('--json') ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
    return report.violationCount === 0 ? 0 : 1;
  } finally {
    await server.stop();
  }
}

void main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`fuzz: ${err.stack ?? err.message}\n`);
    process.exit(2);
  },
);
