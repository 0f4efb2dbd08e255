// The plan as one self-contained HTML file: the page script and styles
// (dist/planReport.js and .css, built by scripts/build.mjs) and the plan's
// data inlined, a Content-Security-Policy that allows nothing from outside,
// so it opens from a mail attachment or a USB stick with no network.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { PlanChartData } from './chartTypes';
import { planPageHtml } from './pageHtml';

export interface ReportAssets {
  script: string;
  css: string;
}

const SCRIPT = 'planReport.js';

/** The built page script: beside the running bundle (dist/), or in dist/ when run from source. */
export function loadReportAssets(): ReportAssets {
  const dirs = [__dirname, resolve(__dirname, '..', '..', '..', 'dist')];
  const dir = dirs.find((d) => existsSync(join(d, SCRIPT)));
  if (!dir) throw new Error(`the report page script ${SCRIPT} is not built (looked in ${dirs.join(' and ')}): run npm run build`);
  return { script: readFileSync(join(dir, SCRIPT), 'utf8'), css: readFileSync(join(dir, 'planReport.css'), 'utf8') };
}

const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Text inside <script> or <style> must never close it early. */
const safeInline = (s: string, tag: 'script' | 'style'): string => s.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');

export function planReportHtml(data: PlanChartData, assets: ReportAssets): string {
  const nonce = randomBytes(16).toString('base64');
  // JSON with every '<' escaped is still the same JSON, and never ends the script element.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return planPageHtml({
    csp: `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src data:`,
    title: escapeHtml(data.title),
    head: `<style nonce="${nonce}">body { margin: 0; }\n${safeInline(assets.css, 'style')}</style>`,
    body: `<main id="plan"><noscript>This report draws its charts with JavaScript.</noscript></main>
<script type="application/json" id="plan-data">${json}</script>
<script nonce="${nonce}">${safeInline(assets.script, 'script')}</script>`,
  });
}

/** Writes `text` whole or not at all: a temporary file beside it, then a rename. */
export function writeFileWhole(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
