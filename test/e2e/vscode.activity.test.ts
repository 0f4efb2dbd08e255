// End to end in a real VS Code (issue 11): what an administrator sees of the
// running server. Its own log ("Net Server Upgrade: Server") shows a reload
// within 2 s of a save and a refused change; the status bar and the tree say
// which config is in force and that a refused change (or a deleted setup
// file) leaves the loaded snapshot served; desks from a terminal and a garbage
// connection leave counts and recent activity in the tree; the tree follows a
// file put back or a config closed and opened again, and keeps each config's
// last simulation to itself; the code
// lens says Stop while it serves, Start again says it is already running;
// Simulate on a stopped server runs on a private server and says so, and on
// a config with errors says so first; Restart with a broken file keeps the
// server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, freePort } from '../../scripts/vscode/codeServer';
import { Ui, openVsCode, packageVsix, type Session } from './harness';

let session: Session | undefined;
let ui: Ui;
let workspace: string;
let port: number;
let passed = false;
const EXAMPLE = readFileSync(join(ROOT, 'examples', 'upgrade.ini'), 'utf8');

function configFolder(name: string, text: string): void {
  const d = name ? join(workspace, name) : workspace;
  mkdirSync(join(d, 'files'), { recursive: true });
  for (const f of ['Netphone_520.exe', 'NP_Update.exe']) copyFileSync(join(ROOT, 'examples', 'files', f), join(d, 'files', f));
  writeFileSync(join(d, 'upgrade.ini'), text);
}

before(async () => {
  const vsix = packageVsix();
  workspace = mkdtempSync(join(tmpdir(), 'nsu-e2e-activity-'));
  configFolder('', EXAMPLE);
  configFolder('other', EXAMPLE.replace(/^CurrentVersion = .*$/m, 'CurrentVersion = 5.10.3').replace(/^Patchable = .*$/m, 'Patchable = 5.0'));
  mkdirSync(join(workspace, 'bad'));
  copyFileSync(join(ROOT, 'examples', 'broken.ini'), join(workspace, 'bad', 'upgrade.ini'));
  port = await freePort();
  session = await openVsCode({ vsix, folder: workspace, settings: { 'nsupgrade.server.port': port } });
  ui = new Ui(session.page);
});

after(async () => {
  await session?.close(!passed);
  if (passed) rmSync(workspace, { recursive: true, force: true });
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

/** `nsupgrade simulate 127.0.0.1:PORT` from a terminal: desks that are not the extension's own. */
async function terminalFleet(clients: string): Promise<string> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'simulate', `127.0.0.1:${port}`, '--clients', clients], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  assert.equal(code, 0, out);
  return out;
}

test('the server in VS Code: its log, the config in force against the disk, clients from elsewhere, Stop, Simulate and Restart', { timeout: 600_000 }, async () => {
  const page = ui.page;
  const ini = join(workspace, 'upgrade.ini');
  /** Text of the panel's editor (the Output view). */
  const panelHas = (needle: string, timeout?: number): Promise<unknown> =>
    page.waitForFunction(
      (n) => {
        const doc = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document;
        return doc.querySelector('.part.panel .monaco-editor .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes(n) === true;
      },
      needle,
      { timeout },
    );
  const statusLabel = async (): Promise<string> => {
    const item = ui.statusItem(`Upgrade 127.0.0.1:${port}`);
    await item.waitFor();
    return item.evaluate((el) => (el.querySelector('[aria-label]') ?? el).getAttribute('aria-label') ?? '');
  };
  /** Replaces line `n` of the active editor and saves. */
  const replaceLine = async (n: number, text: string): Promise<void> => {
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+G');
    await ui.quickInput.waitFor();
    await page.keyboard.type(String(n));
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.type(text);
    await page.keyboard.press('Control+S');
    await page.locator('.tab.active.dirty').waitFor({ state: 'detached' });
  };
  /** The workspace's own upgrade.ini, by its tab (Quick Open may offer other/upgrade.ini first). */
  const showRoot = async (): Promise<void> => {
    await page.locator('.tab', { hasText: 'upgrade.ini' }).filter({ hasNotText: 'other' }).click();
    await page.locator('.tab.active', { hasText: 'upgrade.ini' }).filter({ hasNotText: 'other' }).waitFor();
  };
  const lineOf = (key: string): number => EXAMPLE.split('\n').findIndex((l) => l.startsWith(`${key} =`)) + 1;

  await ui.step('lens-stop', async () => {
    // A wider side bar, so the tree's rows read whole in the screenshots (a drag of its edge).
    const side = await page.locator('.part.sidebar').boundingBox();
    if (side) {
      const y = side.y + side.height / 2;
      await page.mouse.move(side.x + side.width - 1, y);
      await page.mouse.down();
      await page.mouse.move(side.x + side.width + 260, y, { steps: 8 });
      await page.mouse.up();
    }
    await ui.open('upgrade.ini');
    await ui.codeLens('Start upgrade server').click();
    await ui.statusItem(`Upgrade 127.0.0.1:${port}`).waitFor();
    // Observation 5: while it serves this file, the lens says where and Stop.
    await ui.codeLens(`Serving on 127.0.0.1:${port}`).filter({ hasText: 'Stop upgrade server' }).waitFor();
    await ui.codeLens('Start upgrade server').waitFor({ state: 'detached' });
    await ui.palette('Net Server Upgrade: Start Upgrade Server');
    await ui.toast(`The upgrade server is already running on 127.0.0.1:${port} for upgrade.ini.`).waitFor();
    await ui.palette('Notifications: Clear All Notifications');
  });

  await ui.step('server-log-reload', async () => {
    await ui.palette('Net Server Upgrade: Show Server Log');
    await panelHas(`listening on 127.0.0.1:${port}`);
    // Observation 1: a save that changes the config shows in the server log, within 2 s of reaching the disk.
    await replaceLine(lineOf('Mode'), 'Mode = Forced');
    await fileMatches(ini, /^Mode = Forced$/m);
    await panelHas('config reloaded: CurrentVersion 5.20.12', 2_000);
    assert.match(await statusLabel(), /CurrentVersion 5\.20\.12, config [0-9a-f]{8}/);
  });

  await ui.step('refused-change', async () => {
    await replaceLine(lineOf('CurrentVersion'), 'CurrentVersion = 5.20.x');
    await fileMatches(ini, /^CurrentVersion = 5\.20\.x$/m);
    await panelHas('config change refused, the previous config stays in force', 2_000);
    await panelHas('5.20.x');
    await ui.statusItem('(change refused)').waitFor();
    assert.match(await statusLabel(), /serving the snapshot loaded at \d\d:\d\d:\d\d; the change at \d\d:\d\d:\d\d was refused: 1 error/);
    const rows = await ui.treeRows();
    await rows.filter({ hasText: `listening on 127.0.0.1:${port} (change refused)` }).waitFor();
    await rows.filter({ hasText: 'On disk' }).filter({ hasText: 'was refused: 1 error' }).waitFor();
    await rows.filter({ hasText: 'In force' }).filter({ hasText: 'CurrentVersion 5.20.12' }).waitFor();
    await ui.shot('server-log');
  });

  await ui.step('put-back', async () => {
    await page.locator('.tab.active', { hasText: 'upgrade.ini' }).click();
    await replaceLine(lineOf('CurrentVersion'), 'CurrentVersion = 5.20.12');
    await fileMatches(ini, /^CurrentVersion = 5\.20\.12$/m);
    await ui.statusItem('(change refused)').waitFor({ state: 'detached' });
    const rows = await ui.treeRows();
    await rows.filter({ hasText: 'On disk' }).filter({ hasText: 'the config in force (reloaded at' }).waitFor();
  });

  await ui.step('clients-from-elsewhere', async () => {
    // Observation 13: five desks from a terminal and a garbage connection leave a trace after they are gone.
    assert.match(await terminalFleet('5.20.12:5'), /Simulated 5 Net Phone clients/);
    const garbage = connect(port, '127.0.0.1');
    garbage.on('error', () => undefined);
    garbage.resume();
    await once(garbage, 'connect');
    garbage.write(Buffer.from([0x7f, 0xff, 0xff, 0xff, 0x01]));
    await once(garbage, 'close');
    const rows = await ui.treeRows();
    await rows.filter({ hasText: 'Since start' }).filter({ hasText: '5 logins' }).filter({ hasText: '1 error' }).waitFor();
    await rows.filter({ hasText: 'Clients' }).filter({ hasText: '0 connected' }).waitFor();
    await rows.filter({ hasText: 'Since start' }).click();
    await rows.filter({ hasText: /^errors/ }).filter({ hasText: '1' }).waitFor();
    await rows.filter({ hasText: 'Recent activity' }).click();
    await rows.filter({ hasText: 'frame-too-large' }).first().waitFor();
    await rows.filter({ hasText: /\(127\.0\.0\.1\) on 5\.20\.12: allow \(current\) -> let-in/ }).first().waitFor();
    await ui.shot('server-node');
    // Folded again: the rows below stay in view.
    await rows.filter({ hasText: 'Since start' }).click();
    await rows.filter({ hasText: 'Recent activity' }).click();
    await rows.filter({ hasText: 'frame-too-large' }).first().waitFor({ state: 'detached' });
  });

  await ui.step('deleted-setup-file', async () => {
    // Observation 3: the deleted file goes on being served from the snapshot, and the views say so.
    const setup = join(workspace, 'files', 'NP_Update.exe');
    rmSync(setup);
    const rows = await ui.treeRows();
    await rows.filter({ hasText: 'On disk' }).filter({ hasText: /serving the snapshot loaded at \d\d:\d\d:\d\d; the change at .* was refused/ }).waitFor();
    await ui.statusItem('(change refused)').waitFor();
    assert.match(await statusLabel(), /served from the loaded snapshot/);
    assert.match(await statusLabel(), /NP_Update\.exe/);
    await rows.filter({ hasText: /^Config/ }).filter({ hasText: '1 error' }).waitFor();
    await ui.palette('Net Server Upgrade: Simulate Client Login...');
    await ui.quickInput.fill('5.10.3');
    await page.keyboard.press('Enter');
    await ui.toast('Simulated login 5.10.3: patch (forced) -> upgraded').waitFor();
    // Observation 4: put back, the tree follows without another editor being focused.
    copyFileSync(join(ROOT, 'examples', 'files', 'NP_Update.exe'), setup);
    await ui.statusItem('(change refused)').waitFor({ state: 'detached' });
    await rows.filter({ hasText: /^Config/ }).filter({ hasText: 'upgrade.ini' }).first().waitFor();
    await page.waitForFunction(() => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } }).document;
      const texts = Array.from(doc.querySelectorAll('.pane .monaco-list-row')).map((r) => r.textContent ?? '');
      return texts.some((t) => t.startsWith('Config')) && !texts.some((t) => t.startsWith('Config') && t.includes('error'));
    });
  });

  await ui.step('simulation-per-config', async () => {
    const rows = await ui.treeRows();
    await rows.filter({ hasText: 'Last simulation' }).filter({ hasText: '1 client' }).waitFor();
    // Another config shown: not the first one's simulation.
    await ui.open('other/upgrade.ini');
    await rows.filter({ hasText: 'Current version' }).filter({ hasText: '5.10.3' }).waitFor();
    await rows.filter({ hasText: 'Last simulation' }).filter({ hasText: 'none yet' }).waitFor();
    await showRoot();
    await rows.filter({ hasText: 'Last simulation' }).filter({ hasText: '1 client' }).waitFor();
  });

  await ui.step('reopened-config', async () => {
    // Observation 4: a config closed while the tree showed another and opened
    // again starts its editor versions again; the tree must show its new text,
    // not the summary of the closed editor's higher version.
    await ui.open('other/upgrade.ini');
    await replaceLine(lineOf('Mode'), 'Mode = Forced');
    const rows = await ui.treeRows();
    await rows.filter({ hasText: 'Current version' }).filter({ hasText: '5.10.3' }).waitFor();
    await rows.filter({ hasText: /^Mode/ }).filter({ hasText: 'Forced' }).waitFor();
    await showRoot();
    await rows.filter({ hasText: 'Current version' }).filter({ hasText: '5.20.12' }).waitFor();
    const otherTab = page.locator('.tab', { hasText: 'other' });
    await otherTab.click({ button: 'middle' });
    await otherTab.waitFor({ state: 'detached' });
    const other = join(workspace, 'other', 'upgrade.ini');
    writeFileSync(other, readFileSync(other, 'utf8').replace(/^CurrentVersion = .*$/m, 'CurrentVersion = 5.10.4'));
    await ui.open('other/upgrade.ini');
    await rows.filter({ hasText: 'Current version' }).filter({ hasText: '5.10.4' }).waitFor();
    await showRoot();
  });

  await ui.step('restart-broken', async () => {
    // Observation 12: Restart with a broken file on disk keeps the working server.
    writeFileSync(ini, readFileSync(ini, 'utf8').replace(/^Port = .*$/m, 'Port = 87670'));
    await ui.statusItem('(change refused)').waitFor();
    await ui.palette('Net Server Upgrade: Restart Upgrade Server');
    await ui.toast(`Not restarted: upgrade.ini has 1 error. The upgrade server keeps running on 127.0.0.1:${port} with the config loaded at`).waitFor();
    await ui.statusItem(`Upgrade 127.0.0.1:${port}`).waitFor();
    assert.equal(await ui.statusItem('Upgrade server stopped').count(), 0);
    writeFileSync(ini, readFileSync(ini, 'utf8').replace(/^Port = .*$/m, 'Port = 8767'));
    await ui.statusItem('(change refused)').waitFor({ state: 'detached' });
    await ui.palette('Notifications: Clear All Notifications');
  });

  await ui.step('simulate-stopped', async () => {
    await page.locator('.tab.active', { hasText: 'upgrade.ini' }).click();
    await ui.codeLens('Stop upgrade server').click();
    await ui.statusItem('Upgrade server stopped').waitFor();
    await ui.codeLens('Start upgrade server').waitFor();
    // Observation 6: not the real server on the configured port: a private one, and said so.
    await ui.palette('Net Server Upgrade: Simulate Client Login...');
    await ui.quickInput.fill('5.10.3');
    await page.keyboard.press('Enter');
    await ui.toast('(on a private server on a free port: the upgrade server is not running)').waitFor();
    await ui.statusItem('Upgrade server stopped').waitFor();
    // A config with errors is said first, before the version is asked.
    await ui.open('bad/upgrade.ini');
    await ui.codeLens('Simulate login').waitFor();
    await ui.palette('Net Server Upgrade: Simulate Client Login...');
    await ui.toast(/bad\/upgrade\.ini has \d+ errors?: fix/).waitFor();
    assert.equal(await page.locator('.quick-input-widget', { hasText: 'Net Phone version' }).isVisible(), false, 'no version asked for a config with errors');
  });
  passed = true;
});
