// Totals, by outcome and by version, times and bytes; as a table for people
// and as JSON (the shape of issue 5) for scripts.
import { FAILED_OUTCOMES, type ClientReport, type Target } from './client';
import { plural } from '../views/plural';

export interface SimulationReport {
  target: Target;
  config?: string;
  seed: number;
  clients: ClientReport[];
  /** Counts by decision (allow, patch, full, reject) and by outcome. */
  totals: Record<string, number>;
  /** Counts by the decision's reason (`current`, `patchable`, `throttled`, `held-back`, ...). */
  reasons: Record<string, number>;
  /** The simulated time of the logins, when the run had one (`--at`). */
  at?: string;
  byVersion: VersionGroup[];
  bytes: number;
  times: { p50: number; p95: number };
  wallMs: number;
  failures: number;
  /** The run was cancelled: the report holds the desks that finished before (`done` of `total`). */
  cancelled?: { done: number; total: number };
}

/** The desks of one version: how many, the decision they got (`mixed` when not all the same), their outcomes. */
export interface VersionGroup {
  version: string;
  clients: number;
  action: string;
  outcomes: Record<string, number>;
}

/** Desks by the version they reported, in the order versions first appear: the CLI's "By version" table and the editor's tree group by this one function. */
export function groupByVersion(clients: readonly Pick<ClientReport, 'version' | 'action' | 'outcome'>[]): VersionGroup[] {
  const versions = new Map<string, VersionGroup>();
  for (const c of clients) {
    const v = versions.get(c.version) ?? { version: c.version, clients: 0, action: c.action, outcomes: {} };
    v.clients++;
    if (v.action !== c.action) v.action = 'mixed';
    v.outcomes[c.outcome] = (v.outcomes[c.outcome] ?? 0) + 1;
    versions.set(c.version, v);
  }
  return [...versions.values()];
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summarizeReport(clients: ClientReport[], meta: { target: Target; seed: number; wallMs: number; config?: string; at?: string; cancelled?: { done: number; total: number } }): SimulationReport {
  const totals: Record<string, number> = { allow: 0, patch: 0, full: 0, reject: 0 };
  const reasons: Record<string, number> = {};
  for (const c of clients) {
    if (c.action !== 'none') totals[c.action] = (totals[c.action] ?? 0) + 1;
    if (c.reason) reasons[c.reason] = (reasons[c.reason] ?? 0) + 1;
    totals[c.outcome] = (totals[c.outcome] ?? 0) + 1;
  }
  const times = clients.map((c) => c.ms).sort((a, b) => a - b);
  return {
    ...meta,
    clients,
    totals,
    reasons,
    byVersion: groupByVersion(clients),
    bytes: clients.reduce((n, c) => n + c.bytes, 0),
    times: { p50: pct(times, 50), p95: pct(times, 95) },
    failures: clients.filter((c) => FAILED_OUTCOMES.includes(c.outcome)).length,
  };
}

export function reportJson(r: SimulationReport): string {
  return `${JSON.stringify(
    {
      target: `${r.target.host}:${r.target.port}`,
      seed: r.seed,
      ...(r.at ? { at: r.at } : {}),
      clients: r.clients.map((c) => ({ ...c })),
      totals: r.totals,
      reasons: r.reasons,
      byVersion: r.byVersion,
      bytes: r.bytes,
      times: r.times,
      wallMs: r.wallMs,
      failures: r.failures,
    },
    null,
    2,
  )}\n`;
}

/** Bytes for people, powers of 1000: `2.2 MB`, `4.1 kB`, `512 B`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}

export function formatReportText(r: SimulationReport): string {
  const out: string[] = [];
  const where = r.config ? `${r.config} (served on ${r.target.host}:${r.target.port})` : `${r.target.host}:${r.target.port}`;
  out.push(`Simulated ${r.clients.length} Net Phone client${r.clients.length === 1 ? '' : 's'} against ${where}, seed ${r.seed}${r.at ? `, logins at ${r.at}` : ''}`, '');
  out.push('Decisions          clients  reasons');
  for (const a of ['allow', 'patch', 'full', 'reject']) {
    if (!r.totals[a]) continue;
    const why = [...new Set(r.clients.filter((c) => c.action === a && c.reason).map((c) => c.reason!))].map((k) => `${k} ${r.reasons[k]}`).join(', ');
    out.push(`  ${a.padEnd(16)} ${String(r.totals[a]).padStart(7)}  ${why}`);
  }
  out.push('', 'Outcomes           clients');
  const outcomes = Object.keys(r.totals).filter((k) => !['allow', 'patch', 'full', 'reject'].includes(k));
  for (const o of outcomes) out.push(`  ${o.padEnd(16)} ${String(r.totals[o]).padStart(7)}${FAILED_OUTCOMES.includes(o as ClientReport['outcome']) ? '   FAILED' : ''}`);
  out.push('', 'By version         clients  decision  outcomes');
  for (const v of r.byVersion) {
    const o = Object.entries(v.outcomes).map(([k, n]) => `${k} ${n}`).join(', ');
    out.push(`  ${v.version.padEnd(16)} ${String(v.clients).padStart(7)}  ${v.action.padEnd(8)}  ${o}`);
  }
  out.push('', `Sent ${formatBytes(r.bytes)}; login to outcome p50 ${r.times.p50} ms, p95 ${r.times.p95} ms; ${r.wallMs} ms in all`);
  const bad = r.clients.filter((c) => FAILED_OUTCOMES.includes(c.outcome));
  if (bad.length === 0) out.push('Every client ended as its scenario says.');
  else {
    out.push(`${bad.length} client${bad.length === 1 ? '' : 's'} failed:`);
    for (const c of bad.slice(0, 10)) out.push(`  #${c.id} ${c.version}: ${c.outcome}: ${c.error ?? ''}`, ...c.story.map((s) => `      ${s}`));
    if (bad.length > 10) out.push(`  ... and ${bad.length - 10} more (--format json lists all)`);
  }
  return `${out.join('\n')}\n`;
}

/** What a decision did to a desk, as the fleet toast says it. */
function decisionWords(c: Pick<ClientReport, 'action' | 'reason'>): string {
  if (c.action === 'patch') return 'patched';
  if (c.action === 'full') return 'full setup';
  if (c.action === 'reject') return 'rejected (not a version)';
  if (c.action === 'none') return 'no decision';
  const why: Record<string, string> = {
    current: 'already current',
    newer: 'newer (let in)',
    'upgrades-disabled': 'let in (upgrades disabled)',
    excluded: 'excluded',
    paused: 'let in (rollout paused)',
    'held-back': 'held back',
    throttled: 'throttled',
  };
  return why[c.reason ?? ''] ?? 'let in';
}

/** Outcomes worth saying besides the decision (upgraded and let-in follow from it; failures come last). */
const OUTCOME_WORDS: Record<string, string> = { declined: 'declined', 'restart-required': 'restart required' };

/**
 * A fleet in words for the toast: the desks, what they were told, then what
 * went otherwise and what failed: "44 desks: 30 patched, 10 full setup,
 * 4 already current; 2 failed: hash-mismatch". A cancelled run says how far it got.
 */
export function fleetInWords(r: Pick<SimulationReport, 'clients' | 'cancelled'>): string {
  const n = r.clients.length;
  const head = r.cancelled ? `cancelled after ${r.cancelled.done.toLocaleString('en-US')} of ${r.cancelled.total.toLocaleString('en-US')} desks` : plural(n, 'desk');
  if (n === 0) return head;
  const parts = [counted(r.clients.map(decisionWords)).join(', ')];
  const other = counted(r.clients.flatMap((c) => (OUTCOME_WORDS[c.outcome] ? [OUTCOME_WORDS[c.outcome]] : [])));
  if (other.length) parts.push(other.join(', '));
  const failed = r.clients.filter((c) => FAILED_OUTCOMES.includes(c.outcome)).map((c) => c.outcome);
  if (failed.length) {
    const kinds = counted(failed);
    // One kind needs no count of its own: "2 failed: hash-mismatch".
    parts.push(`${failed.length.toLocaleString('en-US')} failed: ${kinds.length === 1 ? failed[0] : kinds.join(', ')}`);
  }
  return `${head}: ${parts.join('; ')}`;
}

/** Each distinct word with how many times it comes, most first: ["30 patched", "4 already current"]. */
function counted(words: readonly string[]): string[] {
  const m = new Map<string, number>();
  for (const w of words) m.set(w, (m.get(w) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1]).map(([w, k]) => `${k.toLocaleString('en-US')} ${w}`);
}
