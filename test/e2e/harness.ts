// Shared steps for the end-to-end tests in a real VS Code (code-server +
// Playwright + Debian's Chromium): package the .vsix once per test file,
// start code-server and the browser, and the few UI moves every test needs.
// Every wait is on DOM state and bounded by Playwright's timeouts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, ROOT, ensureEnvironment, startCodeServer, type RunningCodeServer } from '../../scripts/vscode/codeServer';

export const SHOTS = join(ROOT, process.env.NSU_SCREENSHOTS === 'docs' ? 'docs/screenshots' : '.cache/e2e-screenshots');

/**
 * Builds dist/ and packages it into a .vsix of this test's own, under the
 * build lock the team shares, so that test files running side by side never
 * read a dist/ another one is writing.
 */
export function packageVsix(options: { replace?: Record<string, string> } = {}): string {
  const tmp = mkdtempSync(join(tmpdir(), 'nsu-vsix-'));
  const out = join(tmp, 'netserver-upgrade.vsix');
  process.once('exit', () => rmSync(tmp, { recursive: true, force: true }));
  const vsce = join(ROOT, 'node_modules', '.bin', 'vsce');
  const pack = (): string => `"${vsce}" package --no-dependencies --no-rewrite-relative-links --allow-missing-repository --out "${out}"`;
  if (!options.replace) {
    const r = spawnSync('flock', ['/tmp/build.lock', 'sh', '-c', `node scripts/build.mjs && ${pack()}`], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `packaging the extension failed:\n${r.stdout}\n${r.stderr}`);
    return out;
  }
  // A changed copy of the package (a fault on purpose): what the .vsix holds, with some files replaced.
  const copy = join(tmp, 'package');
  const built = spawnSync('flock', ['/tmp/build.lock', 'sh', '-c', 'node scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  for (const f of ['package.json', 'README.md', 'LICENSE', 'language-configuration.json', '.vscodeignore', 'syntaxes', 'media', 'dist', 'docs/upgrade-ini.md']) cpSync(join(ROOT, f), join(copy, f), { recursive: true });
  for (const [f, text] of Object.entries(options.replace)) writeFileSync(join(copy, f), text);
  const r = spawnSync('sh', ['-c', pack()], { cwd: copy, encoding: 'utf8' });
  assert.equal(r.status, 0, `packaging the changed extension failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}

export interface Session {
  cs: RunningCodeServer;
  browser: Browser;
  page: Page;
  /** Stops the browser and code-server; removes code-server's temp folder unless `keepLogs` (a failed test). */
  close(keepLogs?: boolean): Promise<void>;
}

/** code-server with the .vsix installed, `folder` open in Chromium, the workbench ready. */
export async function openVsCode(options: { vsix: string; folder: string; settings?: Record<string, unknown> }): Promise<Session> {
  ensureEnvironment();
  mkdirSync(SHOTS, { recursive: true });
  const cs = await startCodeServer(options);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.setDefaultTimeout(30_000);
    await page.goto(cs.url);
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    const b = browser;
    return {
      cs,
      browser: b,
      page,
      close: async (keepLogs = false) => {
        await b.close().catch(() => undefined);
        await cs.stop();
        if (!keepLogs) rmSync(dirname(cs.userDataDir), { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await cs.stop();
    throw err;
  }
}

export class Ui {
  constructor(readonly page: Page) {}

  async shot(name: string): Promise<void> {
    // Toasts slide in: finish CSS transitions so the picture shows them whole.
    await this.page.screenshot({ path: join(SHOTS, `${name}.png`), animations: 'disabled' });
  }

  /** Runs `fn`; on failure keeps a screenshot named after the step. */
  async step<T>(name: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      await this.shot(`failed-${name}`).catch(() => undefined);
      throw err;
    }
  }

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  /**
   * The input box a command opened, once it shows `text` (its title or
   * prompt). Waiting on the bare input is not enough: right after the palette
   * it is still the palette's own box, and text typed there is lost.
   */
  async input(text: string): Promise<Locator> {
    await this.page.locator('.quick-input-widget', { hasText: text }).waitFor();
    return this.quickInput;
  }

  /** Runs a command from the palette by its full title. */
  async palette(title: string): Promise<void> {
    // F1 is lost now and then while the workbench moves focus (a quick input
    // closing, a tab being activated): press it again until the palette shows.
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('F1');
      try {
        await this.quickInput.waitFor({ state: 'visible', timeout: 5_000 });
        break;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
    await this.quickInput.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** Opens a workspace file with Quick Open by its relative path. */
  async open(relPath: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    await this.quickInput.fill(relPath);
    const parts = relPath.split('/');
    const name = parts.pop() ?? relPath;
    // The list first shows recently opened files: wait until the focused row
    // is this file (its name, and its folder in the description).
    let row = this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name });
    if (parts.length) row = row.filter({ hasText: parts.join('/') });
    await row.waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await this.page.locator('.tab.active', { hasText: name }).waitFor();
    if (parts.length) await this.page.locator('.breadcrumbs-control', { hasText: parts[parts.length - 1] }).first().waitFor();
  }

  /** A code lens of the active editor. */
  codeLens(title: string): Locator {
    return this.page.locator('.editor-group-container.active .codelens-decoration a', { hasText: title });
  }

  toast(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast', { hasText: text });
  }

  statusItem(text: string | RegExp): Locator {
    return this.page.locator('.statusbar-item', { hasText: text });
  }

  /** Waits until the active editor's text contains `needle` (VS Code renders spaces as no-break spaces). */
  async editorContains(needle: string): Promise<void> {
    await this.page.waitForFunction(
      (n) => {
        const doc = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document;
        return doc.querySelector('.editor-group-container.active .monaco-editor .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes(n) === true;
      },
      needle,
    );
  }

  /** Rows of the extension's tree view (its activity-bar container opened first). */
  async treeRows(): Promise<Locator> {
    const pane = this.page.locator('.pane:has(.pane-header[aria-label*="Upgrades"])');
    if (!(await pane.isVisible())) await this.page.locator('.activitybar .action-item a[aria-label*="Net Server Upgrade"]').click();
    await pane.waitFor();
    return pane.locator('.monaco-list-row');
  }
}
