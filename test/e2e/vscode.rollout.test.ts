// End to end in a real VS Code, the rollout (issue 12): the Config section
// says the file's [Rollout] in words; with the server running, a simulated
// fleet fills the inventory, and Pilot completion offers a desk name only
// the server's inventory knows; a desk reports a failed upgrade over a real
// socket (the simulator itself never fails Setup: it reports `failed` only
// when the bytes do not match the offer, which the server's snapshots rule
// out), so with PauseAfterFailures = 1 the rollout pauses: the status bar and
// the tree say so, Resume Rollout (the tree's inline action) resumes, Show
// Inventory lists every client; once the server stops, completion no longer
// offers the inventory's names.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, freePort } from '../../scripts/vscode/codeServer';
import { failedUpgrade } from '../upgrade/helpers';
import type { Locator } from 'playwright-core';
import { Ui, openVsCode, packageVsix, type Session } from './harness';

let session: Session | undefined;
let ui: Ui;
let workspace: string;
let port: number;
let passed = false;

/** The example config, forced, with a [Rollout] that pauses after one failed upgrade. */
function config(): string {
  const example = readFileSync(join(ROOT, 'examples', 'upgrade.ini'), 'utf8')
    .replace('IdleTimeout = 30', 'IdleTimeout = 30\nStateFile = None')
    .replace('Mode = Optional', 'Mode = Forced');
  return `${example}
[Rollout]
Pilot = pilot-pc
Percent = 50
Exclude = reception*
MaxPerHour = 100
PauseAfterFailures = 1
ForcedHours = Mon-Fri 18:00-07:00
TimeZone = Europe/Berlin
`;
}

before(async () => {
  const vsix = packageVsix();
  workspace = mkdtempSync(join(tmpdir(), 'nsu-e2e-rollout-'));
  mkdirSync(join(workspace, 'files'));
  for (const f of ['Netphone_520.exe', 'NP_Update.exe']) copyFileSync(join(ROOT, 'examples', 'files', f), join(workspace, 'files', f));
  writeFileSync(join(workspace, 'upgrade.ini'), config());
  port = await freePort();
  session = await openVsCode({ vsix, folder: workspace, settings: { 'nsupgrade.server.port': port } });
  ui = new Ui(session.page);
});

after(async () => {
  // A failed run keeps code-server's logs and the workspace to look at.
  await session?.close(!passed);
  if (passed) rmSync(workspace, { recursive: true, force: true });
});

const PILOT_LINE = config().split('\n').findIndex((l) => l.startsWith('Pilot =')) + 1;

/** Opens (or folds) a tree row by its twistie (a click on the row may land while a refresh redraws it).
 *  A whole-tree refresh that lands while VS Code asks for the row's children drops the expansion, and
 *  one that lands with a fold undoes it (both seen under load, with the server's events redrawing the
 *  tree): click again, at most three times. */
async function expand(row: Locator, open = true): Promise<void> {
  const twistie = (opened: boolean): Locator => row.locator(opened ? '.monaco-tl-twistie.collapsible:not(.collapsed)' : '.monaco-tl-twistie.collapsible.collapsed');
  for (let attempt = 1; ; attempt++) {
    if (await twistie(open).isVisible()) return;
    await twistie(!open).click();
    try {
      await twistie(open).waitFor({ timeout: 10_000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

/** The config's editor, focused: the palette and its input boxes close when focus moves, and the
 *  tree, clicked last, may take it back when it redraws (it does a few times a second while the server runs). */
async function focusEditor(): Promise<void> {
  const page = ui.page;
  await page.locator('.tab', { hasText: 'upgrade.ini' }).click();
  await page.locator('.tab.active', { hasText: 'upgrade.ini' }).waitFor();
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
  await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor();
}

/** Completion at the end of the Pilot line after ", ": the labels offered (the typing is undone after). */
async function pilotCompletion(waitFor: string | null): Promise<string[]> {
  const page = ui.page;
  await focusEditor();
  await page.keyboard.press('Control+G');
  await ui.quickInput.waitFor();
  await page.keyboard.type(String(PILOT_LINE));
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.keyboard.press('End');
  await page.keyboard.type(', ');
  const widget = page.locator('.editor-widget.suggest-widget.visible');
  // The list shows once the language server answered: rows, or "No suggestions.".
  const answered = widget.locator('.monaco-list-row').first().or(widget.locator('.message', { hasText: 'No suggestions' }));
  let labels: string[] = [];
  // Asked again when the widget went away before it could be read (focus moved for a moment).
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.keyboard.press('Control+Space');
    try {
      if (waitFor) await widget.locator('.monaco-list-row', { hasText: waitFor }).first().waitFor({ timeout: 10_000 });
      else await answered.waitFor({ timeout: 10_000 });
    } catch {
      await page.keyboard.press('Escape');
      continue;
    }
    labels = await widget.locator('.monaco-list-row .label-name').allInnerTexts();
    break;
  }
  await page.keyboard.press('Escape');
  // Typing and completion may be one undo step or two; nothing before them is unsaved.
  await page.keyboard.press('Control+Z');
  await page.keyboard.press('Control+Z');
  await page.locator('.tab.active.dirty').waitFor({ state: 'detached' });
  return labels;
}

test('the rollout in the tree and the status bar; a pause, Resume Rollout, Show Inventory; inventory names in completion', { timeout: 600_000 }, async () => {
  const page = ui.page;

  await ui.step('config-rows', async () => {
    await ui.open('upgrade.ini');
    await ui.codeLens('Start upgrade server').waitFor();
    const rows = await ui.treeRows();
    await rows.filter({ hasText: 'Rollout' }).filter({ hasText: 'pilot 1, 50%, 1 excluded, 100/h' }).waitFor();
    await rows.filter({ hasText: 'Pilot' }).filter({ hasText: 'pilot-pc: always first' }).waitFor();
    await rows.filter({ hasText: 'Share' }).filter({ hasText: '50% of the desks besides the pilot' }).waitFor();
    await rows.filter({ hasText: 'Excluded' }).filter({ hasText: 'reception*: never offered' }).waitFor();
    await rows.filter({ hasText: 'Pause after' }).filter({ hasText: '1 failed upgrade' }).waitFor();
    await rows.filter({ hasText: 'Forced hours' }).filter({ hasText: 'weekdays from 18:00 to 07:00 the next morning (Europe/Berlin)' }).waitFor();
    // Not paused (nothing served): the palette does not offer Resume Rollout.
    await page.keyboard.press('F1');
    await ui.quickInput.fill('>Net Server Upgrade: Resume Rollout');
    // The palette falls back on similar commands; Resume Rollout is not among them.
    const first = page.locator('.quick-input-list .monaco-list-row.focused');
    await first.waitFor();
    assert.doesNotMatch(await page.locator('.quick-input-list').innerText(), /Resume Rollout/);
    await page.keyboard.press('Escape');
  });

  await ui.step('start-and-fleet', async () => {
    await focusEditor();
    await ui.palette('Net Server Upgrade: Start Upgrade Server');
    await ui.statusItem(`Upgrade 127.0.0.1:${port}`).waitFor();
    await ui.palette('Net Server Upgrade: Simulate Fleet...');
    await page.locator('.quick-input-widget', { hasText: 'VERSION[:COUNT]' }).waitFor();
    await ui.quickInput.fill('5.10.3:3,5.20.12:1');
    await page.keyboard.press('Enter');
    await ui.toast('Fleet simulated: 4 desks').waitFor();
    const rows = await ui.treeRows();
    // The desks in the rollout (their bucket below 50) upgraded to 5.20.12; the others are still on 5.10.3.
    await rows.filter({ hasText: 'Inventory' }).filter({ hasText: /4 clients, [12] versions?/ }).waitFor();
    await rows.filter({ hasText: 'Rollout' }).filter({ hasText: 'offered in the last hour, 0 failures' }).waitFor();
    // desk-004 came with CurrentVersion: its version's row opens on it, by name, let in.
    await expand(rows.filter({ hasText: /^5\.20\.12/ }).filter({ hasText: '(current)' }));
    await rows.filter({ hasText: 'desk-004' }).filter({ hasText: 'let-in' }).waitFor();
  });

  await ui.step('completion-from-inventory', async () => {
    // desk-002 is in no file of the workspace: only the running server's inventory knows it.
    const labels = await pilotCompletion('desk-002');
    assert.ok(labels.includes('desk-002'), labels.join(', '));
  });

  await ui.step('pause', async () => {
    // A pilot desk whose Setup failed reports it over the real protocol.
    await failedUpgrade(port, '4.0', 'pilot-pc');
    await ui.statusItem('Upgrade server paused: 1 failure').waitFor();
    // The file's language status says it too, with Resume Rollout as its action.
    // The {} beside the language name: its hover lists the file's language status items.
    await page.locator('[id="status.languageStatus"]').hover();
    await page.getByText(/5\.20\.12 since \d\d:\d\d(:\d\d)?, 1 failed upgrade/).waitFor();
    await ui.shot('language-status-paused');
    await page.keyboard.press('Escape');
    const rows = await ui.treeRows();
    const rollout = rows.filter({ hasText: 'Rollout' }).filter({ hasText: 'paused: 1 failure since' });
    await rollout.waitFor();
    await rows.filter({ hasText: 'Paused' }).filter({ hasText: 'after 1 failed upgrade (PauseAfterFailures = 1): out-of-date desks are let in' }).waitFor();
    // Paused: now the palette offers Resume Rollout.
    await focusEditor();
    await page.keyboard.press('F1');
    await ui.quickInput.fill('>Net Server Upgrade: Resume Rollout');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Net Server Upgrade: Resume Rollout' }).waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await rows.filter({ hasText: 'Failures' }).filter({ hasText: '1 of 1 before a pause' }).waitFor();
    await rows.filter({ hasText: 'Inventory' }).filter({ hasText: /5 clients, [23] versions/ }).waitFor();
    // The version 4.0 row opens on its client: name, last result, when.
    await expand(rows.filter({ hasText: /^4\.0/ }));
    await rows.filter({ hasText: 'pilot-pc' }).filter({ hasText: 'failed' }).waitFor();
    // The simulation's rows would push the rollout out of the picture: fold them.
    await expand(rows.filter({ hasText: 'Last simulation' }), false);
    await focusEditor();
    await ui.palette('Notifications: Clear All Notifications');
    await ui.toast('Fleet simulated').waitFor({ state: 'detached' });
    // A wider side bar, so the rows are read whole in the picture.
    const box = await page.locator('#workbench\\.parts\\.sidebar').boundingBox();
    if (box) {
      // The sash lies on the side bar's right edge.
      await page.mouse.move(box.x + box.width, 400);
      await page.mouse.down();
      await page.mouse.move(720, 400, { steps: 5 });
      await page.mouse.up();
    }
    await page.mouse.move(1300, 800);
    await ui.shot('rollout');
  });

  await ui.step('resume', async () => {
    const rows = await ui.treeRows();
    const rollout = rows.filter({ hasText: 'Rollout' }).filter({ hasText: 'paused: 1 failure since' });
    await rollout.hover();
    await rollout.locator('.action-label[aria-label="Resume Rollout"]').click();
    await ui.toast('Resumed the rollout of 5.20.12').waitFor();
    await ui.statusItem(`Upgrade 127.0.0.1:${port}`).waitFor();
    await rows.filter({ hasText: 'Rollout' }).filter({ hasText: 'offered in the last hour, 0 failures' }).waitFor();
    await rows.filter({ hasText: 'Offering' }).filter({ hasText: '5.20.12 to the desks in the rollout' }).waitFor();
  });

  await ui.step('show-inventory', async () => {
    await focusEditor();
    await ui.palette('Net Server Upgrade: Show Inventory');
    await page.locator('.tab.active', { hasText: 'Inventory 1.txt' }).waitFor();
    await ui.editorContains('5 clients, by name.');
    const text = (await page.locator('.editor-group-container.active .monaco-editor .view-lines').innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /NAME +VERSION +LAST SEEN +AGO +LAST RESULT +DECISION +BUCKET +ADDRESS/);
    assert.match(text, /pilot-pc +4\.0 +\S+ +\d+ (s|min) ago +failed +full \(not-patchable, (forced|optional)\) +\d+ +127\.0\.0\.1/);
    for (const desk of ['desk-001', 'desk-002', 'desk-003', 'desk-004']) assert.match(text, new RegExp(`${desk} +5\\.(10\\.3|20\\.12) `), text);
    // Read-only: typing is refused.
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
    await page.keyboard.type('x');
    await page.locator('.monaco-editor-overlaymessage', { hasText: 'Cannot edit in read-only editor' }).waitFor();
  });

  await ui.step('stop-clears-names', async () => {
    await focusEditor();
    await ui.palette('Net Server Upgrade: Stop Upgrade Server');
    await ui.statusItem('Upgrade server stopped').waitFor();
    const labels = await pilotCompletion(null);
    assert.ok(!labels.some((l) => /^desk-00/.test(l)), `the stopped server's names are gone: ${labels.join(', ')}`);
  });
  passed = true;
});
