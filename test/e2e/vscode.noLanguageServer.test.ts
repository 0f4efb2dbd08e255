// End to end in a real VS Code with a language server that cannot start (its
// bundle replaced by one that exits at once): the extension says so, and its
// commands still exist and work, because they are registered before the
// language client starts (they were registered after it, so a failed start
// left Start Upgrade Server missing).
import { test, before, after } from 'node:test';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, freePort } from '../../scripts/vscode/codeServer';
import { Ui, openVsCode, packageVsix, type Session } from './harness';
import { tempDir } from '../tempDir';

let session: Session | undefined;
let ui: Ui;
let port: number;
let passed = false;

before(async () => {
  const vsix = packageVsix({ replace: { 'dist/languageServer.js': "process.stderr.write('this language server cannot start\\n');\nprocess.exit(3);\n" } });
  const workspace = tempDir('nsu-e2e-nols-');
  mkdirSync(join(workspace, 'files'));
  for (const f of ['Netphone_520.exe', 'NP_Update.exe']) copyFileSync(join(ROOT, 'examples', 'files', f), join(workspace, 'files', f));
  writeFileSync(join(workspace, 'upgrade.ini'), readFileSync(join(ROOT, 'examples', 'upgrade.ini')));
  port = await freePort();
  session = await openVsCode({ vsix, folder: workspace, settings: { 'nsupgrade.server.port': port } });
  ui = new Ui(session.page);
});

after(async () => {
  await session?.close(!passed);
});

test('the language server fails to start: a message says so, and Start Upgrade Server still works', { timeout: 300_000 }, async () => {
  await ui.step('open', async () => {
    await ui.open('upgrade.ini');
    await ui.toast('The upgrade.ini language server did not start').waitFor({ timeout: 60_000 });
  });
  await ui.step('start-without-ls', async () => {
    await ui.palette('Net Server Upgrade: Start Upgrade Server');
    await ui.statusItem(`Upgrade 127.0.0.1:${port}`).waitFor();
  });
  await ui.step('simulate-without-ls', async () => {
    // examples/upgrade.ini: Mode = Optional, 5.10.3 in Patchable.
    await ui.palette('Net Server Upgrade: Simulate Client Login...');
    await (await ui.input('The Net Phone version the simulated client reports')).fill('5.10.3');
    await ui.page.keyboard.press('Enter');
    await ui.toast('Simulated login 5.10.3: patch (optional) -> upgraded').waitFor();
  });
  passed = true;
});
