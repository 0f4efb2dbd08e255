// End to end in a real VS Code (issue 13): Plan Rollout... on the example
// rollout.ini with the example fleet.csv opens the Plan panel beside the
// editor; its chart canvas is drawn and its totals are the planner's (the
// test plans the same config, fleet and options itself); the page runs under
// its Content-Security-Policy without a violation; editing and saving the
// config plans again (the time every desk is back changes); the code lens
// over [Rollout] shows the headline, before and after the save, and opens
// the panel again with the remembered choice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { ROOT } from '../../scripts/vscode/codeServer';
import { loadConfig } from '../../server/src/config';
import { desksOfFleet, planHeadline, planRollout, toChartData, zonedInstant, type Plan } from '../../server/src/plan';
import { parseFleetSpec } from '../../server/src/simulator/fleet';
import { Ui, openVsCode, packageVsix, type Session } from './harness';

let session: Session | undefined;
let ui: Ui;
let workspace: string;
let passed = false;
const consoleLines: string[] = [];

before(async () => {
  const vsix = packageVsix();
  workspace = mkdtempSync(join(tmpdir(), 'nsu-e2e-plan-'));
  for (const f of ['rollout.ini', 'upgrade.ini', 'fleet.csv', 'files', '.vscode']) cpSync(join(ROOT, 'examples', f), join(workspace, f), { recursive: true });
  session = await openVsCode({ vsix, folder: workspace });
  ui = new Ui(session.page);
  session.page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
});

after(async () => {
  // A failed run shows what the pages said (a script that did not load, a CSP violation).
  if (!passed) for (const l of consoleLines.filter((x) => /^(error|warning)/.test(x))) console.log(l);
  await session?.close(!passed);
  if (passed) rmSync(workspace, { recursive: true, force: true });
});

/** The plan the panel should show: the same config text, fleet and options, planned here. */
async function expected(configText: string): Promise<Plan> {
  const path = join(workspace, 'expected.ini');
  writeFileSync(path, configText);
  try {
    const loaded = await loadConfig(path);
    assert.ok(loaded.ok, 'the config is valid');
    return planRollout({
      config: loaded.config,
      files: loaded.files,
      desks: desksOfFleet(parseFleetSpec(`@${join(workspace, 'fleet.csv')}`)),
      start: zonedInstant(2025, 12, 1, 8, 25, 'Europe/Berlin'),
      loginsOverSeconds: 0,
      linkBytesPerSecond: loaded.config.server.maxRate!,
      clientLinkBytesPerSecond: null,
      setupSeconds: 60,
      restartSeconds: 120,
      seed: 1,
    });
  } finally {
    rmSync(path);
  }
}

/** The page inside the Plan panel's webview (VS Code nests it in two iframes), within 30 s. */
async function planFrame(): Promise<Frame> {
  const page = ui.page;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      if (await f.locator('#plan').count().catch(() => 0)) return f;
    }
    // A new frame is the only thing that can change the answer.
    await page.waitForEvent('frameattached', { timeout: 1000 }).catch(() => undefined);
  }
  throw new Error('no webview frame with the plan page within 30 s');
}

/** The value of a figure card of the panel ("Desks", "All back at work by", ...). */
function figure(frame: Frame, label: string): ReturnType<Frame['locator']> {
  return frame.locator('.nsplan-figure', { has: frame.locator('.label', { hasText: label }) }).locator('.value');
}

test('Plan Rollout... opens the plan beside the editor, re-plans on save; the [Rollout] lens shows the headline', { timeout: 600_000 }, async () => {
  const page = ui.page;
  const original = readFileSync(join(workspace, 'rollout.ini'), 'utf8');
  const first = await expected(original);
  const firstFigures = toChartData(first, 'x').figures;

  await ui.step('default-lens', async () => {
    await ui.open('rollout.ini');
    await ui.codeLens('Start upgrade server').waitFor();
    // No choice remembered yet: the workspace's one fleet file, planned from next Monday 08:00.
    await page.locator('.editor-group-container.active .codelens-decoration a', { hasText: /plan: \d+ desks back by \d\d:\d\d, \d+ desk-minutes? down in business hours/ }).waitFor();
  });

  let frame!: Frame;
  await ui.step('plan-rollout', async () => {
    await ui.palette('Net Server Upgrade: Plan Rollout...');
    await (await ui.input('the fleet')).fill('fleet.csv');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'fleet.csv' }).waitFor();
    await page.keyboard.press('Enter');
    await (await ui.input('When the logins start')).fill('2025-12-01T08:25');
    await page.keyboard.press('Enter');
    const spread = await ui.input('The logins spread evenly');
    assert.equal(await spread.inputValue(), '0s', "spec 9's default: all at once");
    await page.keyboard.press('Enter');
    const link = await ui.input("The server's uplink");
    assert.equal(await link.inputValue(), '', 'empty: [Server] MaxRate');
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'Plan: rollout.ini' }).waitFor();
    frame = await planFrame();
    await frame.locator('#plan-status', { hasText: 'Planned rollout.ini with fleet.csv, start 2025-12-01 08:25' }).waitFor();
    await frame.locator('h1', { hasText: 'rollout.ini with fleet.csv' }).waitFor();
  });

  await ui.step('totals-and-chart', async () => {
    for (const f of firstFigures) assert.equal(await figure(frame, f.label).innerText(), f.value, f.label);
    // The timeline's canvas has pixels drawn on it.
    const drawn = await frame.locator('.nsplan-timeline canvas').first().evaluate((c: { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null }) => {
      const ctx = c.getContext('2d');
      if (!ctx || c.width === 0 || c.height === 0) return 0;
      const px = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
      return n;
    });
    assert.ok(drawn > 1000, `the timeline is drawn (${drawn} pixels)`);
    assert.equal(await frame.locator('.nsplan-table tbody tr').count(), first.totals.clients, 'a row per desk');
    await ui.shot('plan-webview');
  });

  await ui.step('lens-headline', async () => {
    await page.locator('.tab', { hasText: 'rollout.ini' }).filter({ hasNotText: 'Plan' }).click();
    await ui.codeLens(planHeadline(first)).waitFor();
  });

  const edited = original.replace(/^MaxRate = 256Kbit$/m, 'MaxRate = 16Kbit');
  assert.notEqual(edited, original);
  const second = await expected(edited);
  const back = (p: Plan): string => toChartData(p, 'x').figures.find((f) => f.label === 'All back at work by')!.value;
  assert.notEqual(back(second), back(first), 'a slower link brings the desks back later');

  await ui.step('edit-save-replan', async () => {
    const line = original.split('\n').findIndex((l) => l === 'MaxRate = 256Kbit') + 1;
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+G');
    await (await ui.input('line')).fill(`:${line}`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('MaxRate = 16Kbit');
    await page.keyboard.press('Control+S');
    await page.locator('.tab.active.dirty').waitFor({ state: 'detached' });
    await frame.locator('#plan-status', { hasText: 'after rollout.ini was saved' }).waitFor();
    assert.equal(await figure(frame, 'All back at work by').innerText(), back(second));
    await ui.codeLens(planHeadline(second)).waitFor();
  });

  await ui.step('lens-opens-panel', async () => {
    // The panel closed, the lens opens it again with the remembered choice, asking nothing.
    await page.locator('.tab', { hasText: 'Plan: rollout.ini' }).locator('.codicon-close').click();
    await page.locator('.tab', { hasText: 'Plan: rollout.ini' }).waitFor({ state: 'detached' });
    await ui.codeLens(planHeadline(second)).click();
    await page.locator('.tab', { hasText: 'Plan: rollout.ini' }).waitFor();
    const again = await planFrame();
    await again.locator('#plan-status', { hasText: 'Planned rollout.ini with fleet.csv, start 2025-12-01 08:25' }).waitFor();
    assert.equal(await figure(again, 'All back at work by').innerText(), back(second));
    assert.equal(await page.locator('.quick-input-widget').isVisible(), false, 'no picker');
  });

  const csp = consoleLines.filter((l) => /Content.Security.Policy|Refused to/i.test(l));
  assert.deepEqual(csp, [], 'no Content-Security-Policy violation');
  passed = true;
});
