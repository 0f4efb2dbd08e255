// Show Inventory's read-only document: every client the served config's
// server knows (at most the most recent INVENTORY_SHOWN), one line each, in
// columns: name, version, last seen, last result, the decision, the bucket.
// Pure: the tests call it directly.
import type { InventoryClientView, ServerView } from '../../../server/src/views/messages';
import type { InventoryShown } from '../inventory';
import { ago } from './tree/rolloutNode';

const COLUMNS = ['NAME', 'VERSION', 'LAST SEEN', 'AGO', 'LAST RESULT', 'DECISION', 'BUCKET', 'ADDRESS'] as const;

function row(c: InventoryClientView, now: number): string[] {
  const d = c.decision;
  return [c.name, c.version, c.lastLogin, ago(c.lastLogin, now), c.outcome ?? '-', `${d.action} (${d.reason}${d.mode ? `, ${d.mode}` : ''})`, c.bucket === undefined ? '-' : String(c.bucket), c.address];
}

/** The document's text; `view` gives the counts by version and the rollout as of the last snapshot. */
export function inventoryText(inv: InventoryShown, view: ServerView | undefined, now: number): string {
  const clients = [...inv.clients].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true, sensitivity: 'base' }));
  const lines: string[] = [];
  lines.push(`Inventory of ${inv.config}${view ? `, served on ${view.host}:${view.port}` : ''}, as of ${new Date(now).toISOString()}`);
  lines.push(
    inv.total === clients.length
      ? `${inv.total} client${inv.total === 1 ? '' : 's'}, by name.`
      : `${inv.total} clients; the ${clients.length} seen most recently, by name (the server keeps the rest).`,
  );
  if (view) {
    const versions = Object.entries(view.inventoryByVersion).sort(([a], [b]) => b.localeCompare(a, 'en', { numeric: true }));
    if (versions.length) lines.push(`By version: ${versions.map(([v, n]) => `${v}: ${n}`).join(', ')}`);
    const r = view.rollout;
    lines.push(
      `Rollout of ${r.currentVersion || '(no CurrentVersion)'}: ${r.paused ? `PAUSED after ${r.failures} failure${r.failures === 1 ? '' : 's'}` : 'not paused'}; ${r.offeredLastHour} offered in the last hour${r.maxPerHour !== null ? ` (MaxPerHour ${r.maxPerHour})` : ''}; ${r.failures} failure${r.failures === 1 ? '' : 's'}${r.pauseAfterFailures !== null ? ` (PauseAfterFailures ${r.pauseAfterFailures})` : ''}.`,
    );
  }
  if (clients.some((c) => c.bucket !== undefined)) lines.push('BUCKET: 0-99, for the CurrentVersion in force; a desk is in the rollout when it is a pilot or its bucket is below Percent.');
  lines.push('');
  const table = [[...COLUMNS], ...clients.map((c) => row(c, now))];
  const widths = COLUMNS.map((_, i) => Math.max(...table.map((r) => r[i].length)));
  for (const r of table) lines.push(r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  '));
  return lines.join('\n') + '\n';
}
