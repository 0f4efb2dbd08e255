// End to end in a real VS Code (issue 11): the What If view on
// examples/upgrade.ini shows every version that matters with what it gets,
// as spec section 5 says (worked out by hand below, not read from the code);
// Decide... answers as the built `nsupgrade decide` prints; a fleet's
// results are grouped by version and said in words; a cancelled fleet keeps
// what finished; the walkthrough opens with its steps and pictures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, freePort } from '../../scripts/vscode/codeServer';
import { nsupgrade } from '../cli/run';
import { Ui, openVsCode, packageVsix, type Session } from './harness';

let session: Session | undefined;
let ui: Ui;
let workspace: string;
let passed = false;
const FULL = statSync(join(ROOT, 'examples', 'files', 'Netphone_520.exe')).size.toLocaleString('en-US');
const PATCH = statSync(join(ROOT, 'examples', 'files', 'NP_Update.exe')).size.toLocaleString('en-US');

before(async () => {
  const vsix = packageVsix();
  // The examples as an administrator has them: upgrade.ini, its files, a fleet file beside it.
  workspace = mkdtempSync(join(tmpdir(), 'nsu-e2e-whatif-'));
  cpSync(join(ROOT, 'examples', 'upgrade.ini'), join(workspace, 'upgrade.ini'));
  cpSync(join(ROOT, 'examples', 'fleet.csv'), join(workspace, 'fleet.csv'));
  cpSync(join(ROOT, 'examples', 'files'), join(workspace, 'files'), { recursive: true });
  // Never the configured 8767: someone else may hold it.
  session = await openVsCode({ vsix, folder: workspace, settings: { 'nsupgrade.server.port': await freePort() } });
  ui = new Ui(session.page);
});

after(async () => {
  await session?.close(!passed);
  if (passed) rmSync(workspace, { recursive: true, force: true });
});

/** Each row of a pane as "label description", blanks collapsed. */
async function rowTexts(pane: string): Promise<string[]> {
  const rows = ui.page.locator(`.pane:has(.pane-header[aria-label*="${pane}"]) .monaco-list-row`);
  type El = { querySelector(s: string): { textContent: string | null } | null };
  const texts = await rows.evaluateAll((els) => els.map((e) => [(e as unknown as El).querySelector('.label-name')?.textContent ?? '', (e as unknown as El).querySelector('.label-description')?.textContent ?? ''].join(' ')));
  return texts.map((t) => t.replace(/\s+/g, ' ').trim());
}

test('the What If view, Decide..., a fleet by version, a cancelled fleet, the walkthrough', { timeout: 600_000 }, async () => {
  const page = ui.page;

  await ui.step('fleet-by-version', async () => {
    await ui.open('upgrade.ini');
    // A wider side bar, so the rows read whole in the screenshots.
    await ui.treeRows();
    const bar = await page.locator('.part.sidebar').boundingBox();
    assert.ok(bar);
    await page.mouse.move(bar.x + bar.width - 1, bar.y + 300);
    await page.mouse.down();
    await page.mouse.move(bar.x + bar.width + 330, bar.y + 300, { steps: 5 });
    await page.mouse.up();
    await ui.codeLens('Simulate login').waitFor();
    await ui.palette('Net Server Upgrade: Simulate Fleet...');
    await (await ui.input('VERSION[:COUNT]')).fill('@fleet.csv');
    await page.keyboard.press('Enter');
    // fleet.csv on examples/upgrade.ini: 20 desks on 5.10.3 and 5 on 5.11.40 are patchable, 10 on
    // 5.20.12 are current, 8 on 4.90 get the full setup, "unknown" is not a version (spec 5).
    await ui.toast('44 desks: 25 patched, 10 already current, 8 full setup, 1 rejected (not a version)').waitFor();
    const rows = await ui.treeRows();
    await rows.filter({ hasText: 'Last simulation' }).filter({ hasText: '44 clients' }).waitFor();
    await rows.filter({ hasText: '5.10.3' }).filter({ hasText: '20 clients · patch' }).waitFor();
    await rows.filter({ hasText: '4.90' }).filter({ hasText: '8 clients · full' }).waitFor();
    await rows.filter({ hasText: '5.20.12' }).filter({ hasText: '10 clients · allow · let-in 10' }).waitFor();
    await rows.filter({ hasText: 'unknown' }).filter({ hasText: '1 client · reject · rejected 1' }).waitFor();
    // The clients of a version under it: the 4.90 desks are the 36th to the 43rd of the file.
    await rows.filter({ hasText: '8 clients · full' }).click();
    await page.getByRole('treeitem', { name: /^#36 4\.90 full, optional -> / }).waitFor();
    await ui.shot('fleet-by-version');
  });

  await ui.step('cancelled-fleet', async () => {
    await ui.palette('Net Server Upgrade: Simulate Fleet...');
    await (await ui.input('VERSION[:COUNT]')).fill('4.0:5000');
    await page.keyboard.press('Enter');
    const progress = ui.toast('Simulating the fleet');
    // Cancel once some desks are done ("12/5000").
    await progress.filter({ hasText: /[1-9]\d*\/5000/ }).waitFor();
    await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
    const toast = ui.toast(/Fleet simulation cancelled after [\d,]+ of 5,000 desks: [\d,]+ full setup/);
    await toast.waitFor();
    const done = /cancelled after ([\d,]+) of/.exec(await toast.innerText())![1];
    assert.ok(Number(done.replace(/,/g, '')) > 0 && Number(done.replace(/,/g, '')) < 5000, done);
    const rows = await ui.treeRows();
    // Not an error: the desks that finished, marked cancelled.
    await rows.filter({ hasText: 'Last simulation' }).filter({ hasText: `cancelled after ${done} of 5,000` }).waitFor();
    await rows.filter({ hasText: '4.0' }).filter({ hasText: `${done} client` }).waitFor();
    await ui.shot('fleet-cancelled');
  });

  await ui.step('what-if', async () => {
    // The fleet ran on a private server: nothing is serving now, so the What If view reads the file alone.
    await ui.statusItem('Upgrade server stopped').waitFor();
    // The What If view starts folded (the Upgrades view first): opened, and the Upgrades view folded for room.
    await page.locator('.pane-header[aria-label*="What If"] .title').click();
    await page.locator('.pane-header[aria-label*="What If"][aria-expanded="true"]').waitFor();
    await page.locator('.pane-header[aria-label*="Upgrades"] .title').click();
    await page.locator('.pane-header[aria-label*="Upgrades"][aria-expanded="false"]').waitFor();

    const pane = page.locator('.pane:has(.pane-header[aria-label*="What If"])');
    await pane.locator('.monaco-list-row', { hasText: 'versions that matter' }).waitFor();
    await pane.locator('.monaco-list-row', { hasText: '5.20.12.1' }).waitFor();
    const texts = await rowTexts('What If');
    const got = texts.filter((t) => !t.includes('versions that matter')).map((t) => t.split(' · ')[0]);
    // examples/upgrade.ini: CurrentVersion 5.20.12, Mode Optional, Patchable = 5.10.*, 5.11.1 - 5.11.99,
    // >=5.12 <5.20, 5.20.3 (spec 3: bounds and the versions just outside them); fleet.csv's versions.
    const patch = `patch NP_Update.exe, ${PATCH} bytes, optional`;
    const full = `full Netphone_520.exe, ${FULL} bytes, optional`;
    assert.deepEqual(got, [
      `4.90 ${full}`,
      `5.9.65535.65535 ${full}`,
      `5.10 ${patch}`,
      `5.10.3 ${patch}`,
      `5.10.65535.65535 ${patch}`,
      `5.11 ${full}`,
      `5.11.0.65535 ${full}`,
      `5.11.1 ${patch}`,
      `5.11.40 ${patch}`,
      `5.11.99 ${patch}`,
      `5.11.99.1 ${full}`,
      `5.11.65535.65535 ${full}`,
      `5.12 ${patch}`,
      `5.19.65535.65535 ${patch}`,
      `5.20 ${full}`,
      `5.20.2.65535 ${full}`,
      `5.20.3 ${patch}`,
      `5.20.3.1 ${full}`,
      `5.20.11.65535 ${full}`,
      '5.20.12 allow (current)',
      '5.20.12.1 allow (newer)',
      'unknown reject (bad-version)',
    ]);
    assert.ok(texts.some((t) => t.startsWith('5.10.3 ') && t.includes('20 desks in fleet.csv')), texts.join('\n'));
    assert.ok(texts.some((t) => t.startsWith('5.11 ') && t.includes('just above Patchable 5.10.*')), texts.join('\n'));
    await ui.shot('what-if');
  });

  await ui.step('what-if-follows-edits', async () => {
    // An edit, not saved: the table follows the text (5.20.3 is no longer patchable).
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+H');
    await page.locator('.find-widget .find-part .input').fill(', 5.20.3');
    await page.locator('.find-widget .replace-part .input').fill('');
    await page.keyboard.press('Control+Alt+Enter');
    await page.keyboard.press('Escape');
    await ui.editorContains('>=5.12 <5.20');
    const rows = page.locator('.pane:has(.pane-header[aria-label*="What If"]) .monaco-list-row');
    await rows.filter({ hasText: /5\.20\.3(?![.\d])/ }).first().waitFor({ state: 'detached' });
    await rows.filter({ hasText: '5.20.11.65535' }).waitFor();
    // Undone in the editor (the find widget keeps the focus): the table is as before.
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+Z');
    await ui.editorContains('>=5.12 <5.20, 5.20.3');
    await rows.filter({ hasText: '5.20.3.1' }).waitFor();
  });

  await ui.step('decide', async () => {
    await ui.palette('Net Server Upgrade: Decide...');
    const input = await ui.input('The version the Net Phone client reports');
    await input.fill('5.x');
    await page.locator('.quick-input-widget', { hasText: 'Up to four numbers' }).waitFor();
    await input.fill('5.10.3');
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'patch (patchable): 5.10.3 matches Patchable item "5.10.*"' });
    await dialog.waitFor();
    // The same words as nsupgrade decide, line by line.
    const cli = nsupgrade('decide', join(workspace, 'upgrade.ini'), '--client-version', '5.10.3');
    assert.equal(cli.code, 0, cli.stderr);
    const shown = (await dialog.innerText()).replace(/\s+/g, ' ');
    for (const line of cli.stdout.trim().split('\n')) assert.ok(shown.includes(line.trim().replace(/\s+/g, ' ')), `"${line.trim()}" in: ${shown}`);
    await ui.shot('decide');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  await ui.step('walkthrough', async () => {
    await ui.palette('Net Server Upgrade: Get Started');
    const walk = page.locator('.gettingStartedContainer', { hasText: 'Upgrade Net Phones with Net Server' });
    await walk.waitFor();
    for (const step of ['Open or create upgrade.ini', 'Read its problems', 'Start the upgrade server', 'Simulate a fleet', 'Ask what a desk gets', 'Plan the rollout']) {
      await walk.locator('.getting-started-step', { hasText: step }).first().waitFor();
    }
    // Each step's picture: the selected one shows, and it loaded.
    await walk.locator('.getting-started-step', { hasText: 'Simulate a fleet' }).first().click();
    const img = walk.locator('.getting-started-media img[srcset*="simulate.svg"]');
    await img.waitFor();
    await page.waitForFunction(() => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): { complete: boolean; naturalWidth: number } | null } }).document;
      const el = doc.querySelector('.getting-started-media img[srcset*="simulate.svg"]');
      return el !== null && el.complete && el.naturalWidth > 0;
    });
    await ui.shot('walkthrough');
  });
  passed = true;
});
