// The HTML report (spec section 9, --report) opened as a person would: in
// headless Chromium, from a file, with every host name unresolvable. The
// charts are drawn (pixels on the canvases), the table sorts, nothing is
// fetched, nothing is logged as an error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, ensureEnvironment } from '../../scripts/vscode/codeServer';
import { tempDir } from '../tempDir';
import { loadReportAssets, planReportHtml, planRollout, toChartData } from '../../server/src/plan';
import { desks, input } from './helpers';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const SHOTS = join(ROOT, process.env.NSU_SCREENSHOTS === 'docs' ? 'docs/screenshots' : '.cache/e2e-screenshots');
const DESKS = 300;
let browser: Browser;
let report = '';
let planned: { clients: { name: string; downMinutes: number }[]; totals: { makespanSeconds: number } };

before(async () => {
  ensureEnvironment();
  const dir = tempDir('nsupgrade-plan-report-');
  report = join(dir, 'plan.html');
  // The worked example of docs/plan.md: 300 desks of a branch office log in
  // at 08:25, five minutes before ForcedHours end, on a 256 Kbit share of the line.
  const r = spawnSync(
    process.execPath,
    [CLI, 'plan', join(ROOT, 'examples', 'rollout.ini'), '--clients', '4.90:60,5.10.3:200,5.11.40:20,5.20.12:20', '--start', '2025-12-01T08:25', '--report', report, '--format', 'json'],
    { encoding: 'utf8', timeout: 30_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  planned = JSON.parse(r.stdout) as typeof planned;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
});

test('the report is one file: scripts and styles inline, nothing to load', () => {
  const html = readFileSync(report, 'utf8');
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|@import|url\(\s*['"]?(https?:|\/\/)/i);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
});

test('text from the plan never ends the script element early', () => {
  const data = { ...toChartData(planRollout(input({ desks: desks(2) })), '</script><script>alert(1)</script>'), subtitle: '<!--' };
  const html = planReportHtml(data, { script: 'var s = "</script>";', css: 'a::after { content: "</style>"; }' });
  assert.equal(html.match(/<\/script>/gi)?.length, 2, 'only the data and the page script elements end');
  assert.equal(html.match(/<\/style>/gi)?.length, 1);
  const json = /<script type="application\/json" id="plan-data">(.*?)<\/script>/s.exec(html)![1];
  assert.deepEqual(JSON.parse(json), data);
});

test('in Chromium: charts drawn, totals shown, the table sorts, no request, no error', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1040 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  const url = pathToFileURL(report).href;
  await page.goto(url);
  await page.waitForSelector('.nsplan-timeline canvas');

  // Both charts have drawn pixels (a canvas that stayed blank is all zero alpha).
  const inked = await page.$$eval('.nsplan-chart canvas', (canvases) =>
    canvases.map((c) => {
      // The page's own canvas (this file is type-checked without the DOM's types).
      const canvas = c as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) n++;
      return { width: canvas.width, height: canvas.height, inked: n };
    }),
  );
  assert.equal(inked.length, 2);
  for (const c of inked) {
    assert.ok(c.width > 300 && c.height > 100, JSON.stringify(c));
    assert.ok(c.inked > (c.width * c.height) / 50, `a chart has too few drawn pixels: ${JSON.stringify(c)}`);
  }
  // The legend names the four states.
  const legend = await page.$$eval('.nsplan-timeline .u-legend .u-label', (ls) => ls.map((l) => l.textContent));
  for (const s of ['Waiting for a slot', 'Downloading', 'Installing', 'Back at work']) assert.ok(legend.includes(s), `${s} in ${legend.join(', ')}`);

  const figures = await page.$$eval('.nsplan-figure', (fs) => fs.map((f) => f.textContent ?? ''));
  assert.ok(figures.some((f) => f.startsWith('Desks') && f.includes(String(DESKS))), figures.join(' | '));
  const makespanEnd = new Date(Date.parse('2025-12-01T07:25:00Z') + planned.totals.makespanSeconds * 1000);
  const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(makespanEnd);
  assert.ok(figures.some((f) => f.startsWith('All back at work by') && f.includes(hhmm)), `${hhmm} in ${figures.join(' | ')}`);

  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'plan-report.png') });

  // Every desk has a row; a click on a header sorts by it, twice reverses.
  assert.equal(await page.locator('.nsplan-table tbody tr').count(), DESKS);
  assert.equal(await page.locator('.nsplan-more').isVisible(), false, 'no "show all" for 300 desks');
  const header = page.locator('.nsplan-table th', { hasText: 'Desk' }).first();
  await header.click();
  const names = [...planned.clients.map((c) => c.name)].sort();
  assert.equal(await page.locator('.nsplan-table tbody tr').first().locator('td').first().textContent(), names[0]);
  await header.click();
  assert.equal(await page.locator('.nsplan-table tbody tr').first().locator('td').first().textContent(), names[names.length - 1]);
  assert.equal(await header.getAttribute('aria-sort'), 'descending');

  await page.close();
  assert.deepEqual(errors, []);
  assert.deepEqual(requests, [url], 'the page loads nothing but itself');
});

test('a large plan draws the first 500 rows of the order; "Show all" draws the rest', async () => {
  const plan = planRollout(input({ desks: desks(1200), loginsOverSeconds: 3600 }));
  const file = join(tempDir('nsupgrade-plan-large-'), 'large.html');
  writeFileSync(file, planReportHtml(toChartData(plan, 'large.ini'), loadReportAssets()));
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(file).href);
  const rows = page.locator('.nsplan-table tbody tr');
  assert.equal(await rows.count(), 500);
  // Sorted by down time, longest first: the worst desk of all 1,200 is on screen.
  const down = page.locator('.nsplan-table th', { hasText: 'Down (min)' });
  await down.click();
  await down.click();
  const worst = Math.max(...plan.clients.map((c) => c.downSeconds / 60));
  assert.equal(await rows.first().locator('td').last().textContent(), worst.toFixed(1));
  await page.locator('.nsplan-more').click();
  assert.equal(await rows.count(), 1200);
  assert.equal(await page.locator('.nsplan-more').isVisible(), false);
  await page.close();
  assert.deepEqual(errors, []);
});
