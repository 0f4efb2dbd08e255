// `nsupgrade simulate` as a user runs it: the built CLI (dist/cli.js, `npm run
// build` first) in its own process, on the shipped examples, in both formats,
// agreeing with `nsupgrade decide`; its exit codes; and runSimulate in-process
// for what depends on the terminal (the progress bar).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../server/src/cli';
import { parseFleetSpec } from '../../server/src/simulator';
import { bytes, makeFixture } from '../upgrade/helpers';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

function nsupgrade(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT, timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonReport {
  clients: { id: number; name: string; version: string; action: string; outcome: string; finalVersion: string; bytes: number; resumes: number }[];
  totals: Record<string, number>;
  bytes: number;
  times: { p50: number; p95: number };
  failures: number;
}

test('the issue\'s command on examples/upgrade.ini: JSON agrees with nsupgrade decide, text says the same', () => {
  const spec = '5.10.3:20,4.0:10,5.20.12:10';
  const json = nsupgrade('simulate', 'examples/upgrade.ini', '--clients', spec, '--format', 'json');
  assert.equal(json.status, 0, json.stderr);
  const report = JSON.parse(json.stdout) as JsonReport;
  assert.equal(report.clients.length, 40);
  assert.deepEqual(Object.keys(report.clients[0]).slice(0, 4), ['id', 'version', 'action', 'outcome']);
  for (const version of ['5.10.3', '4.0', '5.20.12']) {
    const d = nsupgrade('decide', 'examples/upgrade.ini', '--client-version', version, '--format', 'json');
    const decision = JSON.parse(d.stdout) as { action: string; size?: number };
    const desks = report.clients.filter((c) => c.version === version);
    assert.ok(desks.every((c) => c.action === decision.action), `${version}: ${decision.action}`);
    assert.ok(desks.every((c) => c.bytes === (decision.size ?? 0)), `${version}: each desk downloads the decided file once`);
    assert.ok(desks.every((c) => c.outcome === (decision.action === 'allow' ? 'let-in' : 'upgraded')));
  }
  assert.deepEqual([report.totals.allow, report.totals.patch, report.totals.full, report.totals.reject], [10, 20, 10, 0]);
  assert.deepEqual([report.totals['let-in'], report.totals.upgraded, report.failures], [10, 30, 0]);
  assert.equal(report.bytes, report.clients.reduce((n, c) => n + c.bytes, 0));
  assert.ok(report.times.p50 <= report.times.p95);

  const text = nsupgrade('simulate', 'examples/upgrade.ini', '--clients', spec);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^Simulated 40 Net Phone clients against examples\/upgrade\.ini/);
  assert.match(text.stdout, /^ {2}5\.10\.3\s+20\s+patch\s+upgraded 20$/m);
  assert.match(text.stdout, /^ {2}4\.0\s+10\s+full\s+upgraded 10$/m);
  assert.match(text.stdout, /^ {2}5\.20\.12\s+10\s+allow\s+let-in 10$/m);
  assert.match(text.stdout, /p50 \d+ ms, p95 \d+ ms/);
  assert.equal(text.stderr, '', 'no progress bar when stderr is not a terminal');
});

test('examples/fleet.csv: every column, and each row ends as it says', () => {
  const header = readFileSync(join(ROOT, 'examples', 'fleet.csv'), 'utf8').split('\n')[0].trim();
  assert.deepEqual(header.split(',').sort(), ['apps', 'count', 'decline', 'dropAt', 'keepOpen', 'name', 'version']);
  const entries = parseFleetSpec(`@${join(ROOT, 'examples', 'fleet.csv')}`);
  assert.ok(entries.some((e) => e.decline > 0) && entries.some((e) => e.apps.length > 1) && entries.some((e) => e.keepOpen === 1) && entries.some((e) => e.dropAt !== undefined) && entries.some((e) => e.name !== undefined));
  const r = nsupgrade('simulate', 'examples/upgrade.ini', '--clients', '@examples/fleet.csv', '--seed', '7', '--format', 'json');
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as JsonReport;
  const outcomes = (v: string): string[] => [...new Set(report.clients.filter((c) => c.version === v).map((c) => c.outcome))].sort();
  assert.deepEqual(outcomes('5.20.12'), ['let-in']);
  assert.deepEqual(outcomes('5.10.3'), ['declined', 'restart-required', 'upgraded'], 'decline 0.2 and keepOpen 0.5 give all three');
  assert.deepEqual(outcomes('5.11.40'), ['upgraded'], 'keepOpen no: the user exits Chat and DSS');
  assert.deepEqual(outcomes('4.90'), ['restart-required'], 'keepOpen yes with DSS running');
  assert.ok(report.clients.filter((c) => c.version === '4.90').every((c) => c.resumes === 1), 'dropAt 50: each resumed once');
  assert.deepEqual(outcomes('unknown'), ['rejected']);
  assert.deepEqual(report.clients.filter((c) => c.version === '5.11.40' || c.version === 'unknown').map((c) => c.name), ['reception-001', 'reception-002', 'reception-003', 'reception-004', 'reception-005', 'lab-pc']);
  assert.equal(report.clients[0].name, 'desk-001');
  assert.equal(report.clients.length, entries.reduce((n, e) => n + e.count, 0));
  // The same seed, the same run; another seed, other draws.
  const again = JSON.parse(nsupgrade('simulate', 'examples/upgrade.ini', '--clients', '@examples/fleet.csv', '--seed', '7', '--format', 'json').stdout) as JsonReport;
  assert.deepEqual(again.clients.map((c) => c.outcome), report.clients.map((c) => c.outcome));
});

test('exit 1 when a desk fails: an upgrade loop, listed with its story', () => {
  const fx = makeFixture();
  const old = bytes(40_000, 41);
  Buffer.from('MZ\r\nNetPhone-Version: 5.19.0\r\n').copy(old);
  writeFileSync(join(fx.dir, 'files', 'Netphone_520.exe'), old);
  const r = nsupgrade('simulate', fx.ini, '--clients', '4.0:2,5.20.12');
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^ {2}loop\s+2\s+FAILED$/m);
  assert.match(r.stdout, /2 clients failed:/);
  assert.match(r.stdout, /#1 4\.0: loop: after installing Netphone_520\.exe the desk is on 5\.19\.0/);
});

test('exit 2 when it cannot run, with a message that says why', async () => {
  const bad = nsupgrade('simulate', 'examples/upgrade.ini', '--clients', '5.10.3:20,4.0:ten');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /"4\.0:ten" at column 11: the count must be a whole number/);
  assert.equal(bad.stdout, '');

  // A port nobody listens on: bind one, note it, close it.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  const down = nsupgrade('simulate', `127.0.0.1:${port}`, '--clients', '5.10.3');
  assert.equal(down.status, 2);
  assert.match(down.stderr, new RegExp(`no upgrade server answers at 127\\.0\\.0\\.1:${port}`));

  const broken = nsupgrade('simulate', 'examples/broken.ini', '--clients', '5.10.3');
  assert.equal(broken.status, 2);
  assert.match(broken.stderr, /the upgrade server does not run a config with errors/);

  const missing = nsupgrade('simulate', 'no-such.ini', '--clients', '5.10.3');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read no-such\.ini: no such file/);

  const fleet = join(makeFixture().dir, 'fleet.csv');
  writeFileSync(fleet, 'version,count,keepOpen\n5.10.3,2,maybe\n');
  const csv = nsupgrade('simulate', 'examples/upgrade.ini', '--clients', `@${fleet}`);
  assert.equal(csv.status, 2);
  assert.match(csv.stderr, /fleet\.csv:2:10: expected yes, no or a chance from 0 to 1, not "maybe"/);

  const noClients = nsupgrade('simulate', 'examples/upgrade.ini');
  assert.equal(noClients.status, 2);
  assert.match(noClients.stderr, /required option '--clients <SPEC>' not specified/);
});

class Sink extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

test('runSimulate: a progress bar on a terminal only, and never in JSON', async () => {
  const fx = makeFixture();
  for (const [tty, format, bar] of [
    [true, 'text', true],
    [false, 'text', false],
    [true, 'json', false],
  ] as const) {
    const stdout = new Sink(false);
    const stderr = new Sink(tty);
    const code = await main(['simulate', fx.ini, '--clients', '5.20.12:3,4.0', '--format', format], { stdout, stderr });
    assert.equal(code, 0, stderr.text);
    assert.equal(/\[#+\.*\] 4\/4/.test(stderr.text), bar, `tty ${tty}, ${format}: ${JSON.stringify(stderr.text)}`);
    if (format === 'json') assert.equal((JSON.parse(stdout.text) as JsonReport).clients.length, 4);
    else assert.match(stdout.text, /Every client ended as its scenario says/);
  }
});
