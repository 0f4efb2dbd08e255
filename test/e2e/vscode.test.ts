// End to end in a real VS Code: code-server with the packaged .vsix,
// driven by Playwright in Debian's Chromium. What an admin does: open a
// broken upgrade.ini, see the problems, complete inside Patchable, apply a
// quick fix, start the server, simulate a login, read the tree, stop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, ROOT, ensureEnvironment, freePort, startCodeServer, type RunningCodeServer } from '../../scripts/vscode/codeServer';
import { tempDir } from '../tempDir';
import { Ui } from './harness';

const SHOTS = join(ROOT, process.env.NSU_SCREENSHOTS === 'docs' ? 'docs/screenshots' : '.cache/e2e-screenshots');
const VSIX = join(ROOT, 'netserver-upgrade.vsix');

let cs: RunningCodeServer;
let browser: Browser;
let page: Page;
let workspace: string;
let serverPort: number;

// One error only, with a quick fix: ">=5.12" reaches CurrentVersion.
const BROKEN = `; An upgrade config with one mistake
[Server]
FileRoot = files

[Upgrade]
CurrentVersion = 5.20.12
Mode = Forced
FullSetup = Netphone_520.exe
PatchFile = NP_Update.exe
Patchable = 5.10.*, 5.11.1 - 5.11.9, >=5.12
`;

before(async () => {
  ensureEnvironment();
  // Under the team's build lock: another test file may be building dist/.
  const pack = spawnSync('flock', ['/tmp/build.lock', 'npm', 'run', 'package', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr);
  workspace = tempDir('nsu-e2e-');
  mkdirSync(join(workspace, 'files'));
  copyFileSync(join(ROOT, 'examples', 'files', 'Netphone_520.exe'), join(workspace, 'files', 'Netphone_520.exe'));
  copyFileSync(join(ROOT, 'examples', 'files', 'NP_Update.exe'), join(workspace, 'files', 'NP_Update.exe'));
  writeFileSync(join(workspace, 'upgrade.ini'), BROKEN);
  serverPort = await freePort();
  mkdirSync(SHOTS, { recursive: true });
  cs = await startCodeServer({ vsix: VSIX, folder: workspace, settings: { 'nsupgrade.server.port': serverPort } });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  page.setDefaultTimeout(30_000);
  await page.goto(cs.url);
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
});

after(async () => {
  await browser?.close();
  await cs?.stop();
});

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Runs a command from the palette by its title and waits for the palette to close. */
async function palette(title: string): Promise<void> {
  await new Ui(page).palette(title);
}

async function editorText(): Promise<string> {
  return (await page.locator('.monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

async function waitForEditorText(needle: string): Promise<void> {
  // VS Code renders spaces as no-break spaces.
  await page.waitForFunction(
    (n) => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('.monaco-editor .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes(n) === true,
    needle,
  );
}

async function goToLine(line: number): Promise<void> {
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget .quick-input-box input').waitFor();
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    await shot(`failed-${name}`).catch(() => undefined);
    throw err;
  }
}

test('an admin checks, fixes, serves and simulates an upgrade.ini in VS Code', { timeout: 600_000 }, async () => {
  await step('open', async () => {
    await page.keyboard.press('Control+P');
    await page.fill('.quick-input-widget .quick-input-box input', 'upgrade.ini');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'upgrade.ini' }).waitFor();
    await page.keyboard.press('Enter');
    await page.locator('#status\\.editor\\.mode', { hasText: 'upgrade.ini' }).waitFor();
  });

  await step('problems', async () => {
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'also matches CurrentVersion 5.20.12 or newer' });
    await row.waitFor();
    await shot('problems');
  });

  await step('quick-fix', async () => {
    // The cursor on the problem (line 10, end of the item), focus in the editor.
    await goToLine(10);
    await page.keyboard.press('End');
    await page.keyboard.press('Control+.');
    // The preferred fix is focused first; the menu takes keys, not clicks.
    const fix = page.locator('.action-widget .monaco-list-row.focused', { hasText: 'Bound it below CurrentVersion' });
    await fix.waitFor();
    await shot('quick-fix');
    await page.keyboard.press('Enter');
    await waitForEditorText('>=5.12 <5.20.12');
    await page.locator('.markers-panel', { hasText: 'No problems have been detected' }).waitFor();
  });

  await step('completion', async () => {
    // End of the Patchable line, a new item, and the completion list: only
    // items that add something (issue 10 item 14), each saying what it adds.
    await goToLine(10);
    await page.keyboard.press('End');
    await page.keyboard.type(', ');
    await page.keyboard.press('Control+Space');
    const item = page.locator('.suggest-widget .monaco-list-row', { hasText: 'comparators' });
    await item.waitFor();
    const labels = await page.locator('.suggest-widget .monaco-list-row .label-name').allInnerTexts();
    assert.ok(!labels.some((l) => l.startsWith('5.20.12')), `never CurrentVersion: ${labels.join(', ')}`);
    assert.ok(!labels.some((l) => /^5\.1[01]/.test(l)), `nothing the list covers already: ${labels.join(', ')}`);
    await shot('completion');
    await page.keyboard.type('compar');
    await page.locator('.suggest-widget .monaco-list-row.focused', { hasText: 'comparators' }).waitFor();
    await page.keyboard.press('Enter');
    // The one stretch below CurrentVersion that no item covers.
    await waitForEditorText('<5.20.12, >5.11.9 <5.12');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+S');
    assert.match(await editorText(), /Patchable = 5\.10\.\*, 5\.11\.1 - 5\.11\.9, >=5\.12 <5\.20\.12, >5\.11\.9 <5\.12/);
  });

  await step('start-server', async () => {
    await palette('Net Server Upgrade: Start Upgrade Server');
    await page.locator('.statusbar-item', { hasText: `Upgrade 127.0.0.1:${serverPort}` }).waitFor();
  });

  await step('simulate', async () => {
    await palette('Net Server Upgrade: Simulate Client Login...');
    // The version box, not the palette's box it replaces (typing there is lost).
    await page.locator('.quick-input-widget', { hasText: 'The Net Phone version the simulated client reports' }).waitFor();
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.fill('5.x');
    await page.locator('.quick-input-widget', { hasText: 'Up to four numbers' }).waitFor();
    await input.fill('5.10.3');
    await page.keyboard.press('Enter');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Simulated login 5.10.3: patch (forced) -> upgraded' });
    await toast.waitFor();
  });

  await step('tree', async () => {
    await page.locator('.activitybar .action-item a[aria-label*="Net Server Upgrade"]').click();
    const rows = page.locator('.pane:has(.pane-header[aria-label*="Upgrades"]) .monaco-list-row');
    await rows.filter({ hasText: 'Current version' }).waitFor();
    await rows.filter({ hasText: 'Last simulation' }).waitFor();
    await page.getByRole('treeitem', { name: '#1 5.10.3 patch, forced -> upgraded' }).waitFor();
    await rows.filter({ hasText: `listening on 127.0.0.1:${serverPort}` }).waitFor();
    await shot('tree-view');
    const text = (await rows.allInnerTexts()).join('\n');
    assert.match(text, /5\.20\.12/);
    assert.match(text, /Last simulation\s*1 client/);
  });

  await step('stop-server', async () => {
    await palette('Net Server Upgrade: Stop Upgrade Server');
    await page.locator('.statusbar-item', { hasText: 'Upgrade server stopped' }).waitFor();
  });

  assert.ok(existsSync(join(SHOTS, 'tree-view.png')));
  assert.match(readFileSync(join(workspace, 'upgrade.ini'), 'utf8'), />=5\.12 <5\.20\.12, >5\.11\.9 <5\.12/, 'the saved file has both edits');
});
