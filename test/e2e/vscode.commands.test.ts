// End to end in a real VS Code, the paths vscode.test.ts does not walk: a
// config with errors and a port in use each give a message with a way
// forward that works (Open Problems, Pick Another Port); Update File Hashes
// writes the SHA-256 keys; Simulate Fleet fills the tree with outcomes and
// counts; the status bar item asks, then stops the server; with no upgrade.ini the view
// welcomes with a button that opens the commented template.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, freePort } from '../../scripts/vscode/codeServer';
import { Ui, openVsCode, packageVsix, type Session } from './harness';

const FULL_SHA = '97c4ccab49825de77faf66edb4da62df016222d6610736fd19bea0567aa98880';
const PATCH_SHA = '4757583759210d53a15a97ed965228caf31d36c49f224ba6eb925808cce29768';

let session: Session | undefined;
let ui: Ui;
let workspace: string;
let empty: string;
let utf16: string;
let blocker: Server;
let blockedPort: number;
let freeServerPort: number;
let passed = false;

before(async () => {
  const vsix = packageVsix();
  workspace = mkdtempSync(join(tmpdir(), 'nsu-e2e-cmd-'));
  // good/: the example config without its hashes; bad/: the broken example.
  mkdirSync(join(workspace, 'good', 'files'), { recursive: true });
  for (const f of ['Netphone_520.exe', 'NP_Update.exe']) copyFileSync(join(ROOT, 'examples', 'files', f), join(workspace, 'good', 'files', f));
  const example = readFileSync(join(ROOT, 'examples', 'upgrade.ini'), 'utf8');
  const unpinned = example.split('\n').filter((l) => !/^\s*(FullSetup|PatchFile)Sha256\s*=/.test(l)).join('\n');
  assert.notEqual(unpinned, example, 'examples/upgrade.ini pins its hashes');
  writeFileSync(join(workspace, 'good', 'upgrade.ini'), unpinned);
  // staging/: the example with CurrentVersion 5.10.3, where a 5.10.3 desk is current (good/ patches it).
  mkdirSync(join(workspace, 'staging', 'files'), { recursive: true });
  for (const f of ['Netphone_520.exe', 'NP_Update.exe']) copyFileSync(join(ROOT, 'examples', 'files', f), join(workspace, 'staging', 'files', f));
  writeFileSync(join(workspace, 'staging', 'upgrade.ini'), example.replace(/^CurrentVersion = .*$/m, 'CurrentVersion = 5.10.3').replace(/^Patchable = .*$/m, 'Patchable = 5.0'));
  mkdirSync(join(workspace, 'bad'));
  copyFileSync(join(ROOT, 'examples', 'broken.ini'), join(workspace, 'bad', 'upgrade.ini'));
  empty = mkdtempSync(join(tmpdir(), 'nsu-e2e-empty-'));
  writeFileSync(join(empty, 'notes.txt'), 'no upgrade config here\n');
  // The example config saved as UTF-16 LE with a BOM (as Windows Notepad does), never opened in an editor.
  utf16 = mkdtempSync(join(tmpdir(), 'nsu-e2e-utf16-'));
  mkdirSync(join(utf16, 'files'));
  for (const f of ['Netphone_520.exe', 'NP_Update.exe']) copyFileSync(join(ROOT, 'examples', 'files', f), join(utf16, 'files', f));
  writeFileSync(join(utf16, 'upgrade.ini'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(example, 'utf16le')]));

  // A port someone else holds: the upgrade server is told to use it.
  blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  blockedPort = (blocker.address() as { port: number }).port;
  freeServerPort = await freePort();
  session = await openVsCode({ vsix, folder: workspace, settings: { 'nsupgrade.server.port': blockedPort } });
  ui = new Ui(session.page);
});

after(async () => {
  // A failed run keeps code-server's logs and the workspace to look at.
  await session?.close(!passed);
  await new Promise((r) => blocker?.close(r));
  if (passed) for (const d of [workspace, empty, utf16]) rmSync(d, { recursive: true, force: true });
});

/** The file's text once it matches `re` (the save lands on disk a little after the tab turns clean). */
async function fileMatches(path: string, re: RegExp, ms = 10_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const text = readFileSync(path, 'utf8');
    if (re.test(text) || Date.now() > deadline) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('errors with a way forward, hashes, a fleet, the status bar, the welcome view', { timeout: 600_000 }, async () => {
  const page = ui.page;

  await ui.step('config-error', async () => {
    await ui.open('bad/upgrade.ini');
    // The code lens shows once the extension host knows this editor; the
    // command then acts on it rather than asking which upgrade.ini.
    await ui.codeLens('Start upgrade server').waitFor();
    await ui.palette('Net Server Upgrade: Start Upgrade Server');
    const toast = ui.toast('has errors: the upgrade server does not run a config with errors');
    await toast.waitFor();
    await ui.statusItem('Upgrade server failed').waitFor();
    await ui.shot('server-config-error');
    await toast.locator('.monaco-button', { hasText: 'Open Problems' }).click();
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'Port = 87670 is out of range' }).waitFor();
  });

  await ui.step('port-in-use', async () => {
    await ui.open('good/upgrade.ini');
    // This time from the code lens over [Upgrade].
    await ui.codeLens('Start upgrade server').click();
    // The port and the address, in the words nsupgrade serve uses (issue 11 item 7).
    const toast = ui.toast(`The upgrade server could not start: the port ${blockedPort} on 127.0.0.1 is already in use.`);
    await toast.waitFor();
    await ui.shot('server-port-in-use');
    await toast.locator('.monaco-button', { hasText: 'Pick Another Port' }).click();
    await page.locator('.quick-input-widget', { hasText: 'Port for the upgrade server' }).waitFor();
    await ui.quickInput.fill('70000');
    await page.locator('.quick-input-widget', { hasText: 'A port is a number from 1 to 65535' }).waitFor();
    await ui.quickInput.fill(String(freeServerPort));
    await page.keyboard.press('Enter');
    // Where to save it is asked, never chosen silently (issue 11 item 2).
    await ui.input(`Save port ${freeServerPort} for the upgrade server`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'User settings' }).waitFor();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Workspace settings' }).click();
    await ui.toast(`Port ${freeServerPort} saved as nsupgrade.server.port in the workspace settings (.vscode/settings.json).`).waitFor();
    await ui.statusItem(`Upgrade 127.0.0.1:${freeServerPort}`).waitFor();
    // The port was saved for this workspace, so the next start uses it too.
    const saved = JSON.parse(readFileSync(join(workspace, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(saved['nsupgrade.server.port'], freeServerPort);
    // And the file's Port line says it is overridden (the language server learns the new setting live).
    await ui.editorContains(`overridden by settings: ${freeServerPort}`);
  });

  await ui.step('update-hashes', async () => {
    await page.locator('.tab.active', { hasText: 'upgrade.ini' }).click();
    await ui.palette('Net Server Upgrade: Update File Hashes');
    // It says what it did: the file had no other changes, so it is saved (issue 11 item 8).
    await ui.toast('Wrote both SHA-256 keys (FullSetupSha256, PatchFileSha256) to good/upgrade.ini and saved it.').waitFor();
    await ui.editorContains(`FullSetupSha256 = ${FULL_SHA}`);
    await ui.editorContains(`PatchFileSha256 = ${PATCH_SHA}`);
    assert.equal(await page.locator('.tab.active.dirty').count(), 0, 'saved, as the message says: the tab is not dirty');
    const saved = await fileMatches(join(workspace, 'good', 'upgrade.ini'), new RegExp(`PatchFileSha256 = ${PATCH_SHA}`));
    assert.match(saved, new RegExp(`^FullSetupSha256 = ${FULL_SHA}$`, 'm'));
    assert.match(saved, new RegExp(`^PatchFileSha256 = ${PATCH_SHA}$`, 'm'));
  });

  await ui.step('fleet', async () => {
    await ui.palette('Net Server Upgrade: Simulate Fleet...');
    await page.locator('.quick-input-widget', { hasText: 'VERSION[:COUNT]' }).waitFor();
    await ui.quickInput.fill('5.10.3:5,4.0:3,5.20.12:2');
    await page.keyboard.press('Enter');
    const toast = ui.toast('Fleet simulated: 10 clients');
    await toast.waitFor();
    const text = await toast.innerText();
    // examples/upgrade.ini: 5.10.3 is patchable, 4.0 gets the full setup, 5.20.12 is let in.
    assert.match(text, /patch 5/);
    assert.match(text, /full 3/);
    assert.match(text, /allow 2/);
    assert.doesNotMatch(text, /FAILED/);
    // The cancellable progress notification goes away when the fleet is done.
    await ui.toast('Simulating the fleet').waitFor({ state: 'detached' });
    const rows = await ui.treeRows();
    await rows.filter({ hasText: 'Last simulation' }).filter({ hasText: '10 clients' }).waitFor();
    await rows.filter({ hasText: 'let-in' }).filter({ hasText: '2' }).first().waitFor();
    await ui.shot('fleet');
  });

  await ui.step('second-config', async () => {
    // good/ is served. A login simulated on staging/ gets staging's decision
    // (on a private server), never good's; starting staging asks first.
    await ui.open('staging/upgrade.ini');
    await ui.codeLens('Simulate login').waitFor();
    await ui.palette('Net Server Upgrade: Simulate Client Login...');
    await (await ui.input('The Net Phone version the simulated client reports')).fill('5.10.3');
    await page.keyboard.press('Enter');
    await ui.toast('Simulated login 5.10.3: allow -> let-in (against staging/upgrade.ini on a private server; good/upgrade.ini is being served)').waitFor();
    await ui.statusItem(`Upgrade 127.0.0.1:${freeServerPort}`).waitFor();

    await ui.palette('Net Server Upgrade: Start Upgrade Server');
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'The upgrade server is serving good/upgrade.ini. Stop it and serve staging/upgrade.ini instead?' });
    await dialog.waitFor();
    await dialog.locator('.monaco-button', { hasText: 'Switch' }).click();
    await dialog.waitFor({ state: 'detached' });
    await ui.statusItem(`Upgrade 127.0.0.1:${freeServerPort}`).waitFor();
    // Now staging is the one served: the same login runs on it, not on a private server.
    await ui.palette('Notifications: Clear All Notifications');
    await ui.toast('Simulated login').waitFor({ state: 'detached' });
    await ui.palette('Net Server Upgrade: Simulate Client Login...');
    await (await ui.input('The Net Phone version the simulated client reports')).fill('5.10.3');
    await page.keyboard.press('Enter');
    const toast = ui.toast('Simulated login 5.10.3: allow -> let-in');
    await toast.waitFor();
    assert.doesNotMatch(await toast.innerText(), /private server/);
  });

  await ui.step('status-bar-stop', async () => {
    // A click asks first: Stop, Restart or Show Log; the server runs on until one is chosen (issue 11 item 16).
    await ui.statusItem(`Upgrade 127.0.0.1:${freeServerPort}`).click();
    await ui.input(`Upgrade server on 127.0.0.1:${freeServerPort}`);
    const row = (text: string) => page.locator('.quick-input-list .monaco-list-row', { hasText: text });
    await row('Restart Upgrade Server').waitFor();
    await row('Show Log').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await ui.statusItem(`Upgrade 127.0.0.1:${freeServerPort}`).waitFor();
    await ui.statusItem(`Upgrade 127.0.0.1:${freeServerPort}`).click();
    await ui.input(`Upgrade server on 127.0.0.1:${freeServerPort}`);
    await row('Stop Upgrade Server').click();
    await ui.statusItem('Upgrade server stopped').waitFor();
  });

  await ui.step('welcome', async () => {
    // The same VS Code, another folder: one without any upgrade.ini.
    await page.goto(session!.cs.url.replace(/\?folder=.*$/, `?folder=${encodeURIComponent(empty)}`));
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    await page.locator('.activitybar .action-item a[aria-label*="Net Server Upgrade"]').click();
    const welcome = page.locator('.pane:has(.pane-header[aria-label*="Upgrades"]) .welcome-view-content');
    await welcome.filter({ hasText: 'No upgrade.ini found in this workspace' }).waitFor();
    await ui.shot('welcome');
    await welcome.locator('.monaco-button', { hasText: 'New upgrade.ini' }).click();
    await ui.editorContains('[Upgrade]');
    await ui.editorContains('CurrentVersion = 5.20.12');
    await page.locator('#status\\.editor\\.mode', { hasText: 'upgrade.ini' }).waitFor();
  });

  await ui.step('utf16-tree', async () => {
    // A UTF-16 upgrade.ini on disk: the tree shows what nsupgrade check says
    // (no errors), because the language server reads the file, not the host.
    await page.goto(session!.cs.url.replace(/\?folder=.*$/, `?folder=${encodeURIComponent(utf16)}`));
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    const rows = await ui.treeRows();
    await rows.filter({ hasText: 'Current version' }).filter({ hasText: '5.20.12' }).waitFor();
    const config = rows.filter({ hasText: /^Config/ }).first();
    await config.filter({ hasText: 'upgrade.ini' }).waitFor();
    assert.doesNotMatch(await config.innerText(), /error/, 'no errors in the tree, as nsupgrade check finds none');
    await rows.filter({ hasText: 'Decisions' }).waitFor();
  });
  passed = true;
});
