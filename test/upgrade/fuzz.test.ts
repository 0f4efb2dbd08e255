// A short seeded run of the protocol fuzz campaign (bench/fuzzCampaign.ts;
// the long one is `npm run fuzz`): malformed, mutated, slow and idle sessions
// against a real `nsupgrade serve` process, beside a correct fleet. Every
// session must keep the protocol's promises, the fleet must all succeed, and
// the server's memory must stay bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { formatReport, KINDS, runCampaign } from '../../bench/fuzzCampaign';
import { fuzzFixture, startServeProcess } from '../../bench/fuzzServer';
import { sha256 } from './helpers';

const ROOT = resolve(__dirname, '../..');

test('seeded fuzz: 300 hostile sessions beside a correct fleet break no promise of the protocol', async () => {
  const fx = fuzzFixture();
  const server = await startServeProcess(process.execPath, ['--import', 'tsx', join(ROOT, 'server/src/cli.ts')], fx.ini);
  try {
    const report = await runCampaign(
      { host: '127.0.0.1', port: server.port, rss: server.rss, alive: server.alive, secrets: [fx.dir], files: new Set([sha256(fx.full), sha256(fx.patch)]), idleTimeoutMs: 1000 },
      { seed: 20261128, sessions: 300, concurrency: 100, fleet: 3 },
    );
    const text = formatReport(report);
    assert.equal(report.violationCount, 0, text);
    assert.deepEqual(
      report.kinds.filter((k) => k.cases === 0).map((k) => k.kind),
      [],
      `every kind of session ran:\n${text}`,
    );
    assert.equal(report.kinds.reduce((n, k) => n + k.cases, 0), 300);
    assert.equal(report.kinds.length, KINDS.length);
    assert.ok(report.fleet.sessions > 0 && report.fleet.ok === report.fleet.sessions, text);
    assert.ok(report.fleet.downloads > 0, text);
    assert.ok(report.alive, text);
    // 100 hostile sessions at once may cost the server little: each is refused by a frame's header.
    if (report.memory.baselineMiB !== null) assert.ok((report.memory.peakMiB ?? 0) - report.memory.baselineMiB < 64, text);
  } finally {
    await server.stop();
  }
});
