// Totals, by outcome and by version, times and bytes; as a table for people
// and as JSON (the shape of issue 5) for scripts.
import { FAILED_OUTCOMES, type ClientReport, type Target } from './client';

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
  byVersion: { version: string; clients: number; action: string; outcomes: Record<string, number> }[];
  bytes: number;
  times: { p50: number; p95: number };
  wallMs: number;
  failures: number;
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summarizeReport(clients: ClientReport[], meta: { target: Target; seed: number; wallMs: number; config?: string; at?: string }): SimulationReport {
  const totals: Record<string, number> = { allow: 0, patch: 0, full: 0, reject: 0 };
  const reasons: Record<string, number> = {};
  const versions = new Map<string, { version: string; clients: number; action: string; outcomes: Record<string, number> }>();
  for (const c of clients) {
    if (c.action !== 'none') totals[c.action] = (totals[c.action] ?? 0) + 1;
    if (c.reason) reasons[c.reason] = (reasons[c.reason] ?? 0) + 1;
    totals[c.outcome] = (totals[c.outcome] ?? 0) + 1;
    const v = versions.get(c.version) ?? { version: c.version, clients: 0, action: c.action, outcomes: {} };
    v.clients++;
    if (v.action !== c.action) v.action = 'mixed';
    v.outcomes[c.outcome] = (v.outcomes[c.outcome] ?? 0) + 1;
    versions.set(c.version, v);
  }
  const times = clients.map((c) => c.ms).sort((a, b) => a - b);
  return {
    ...meta,
    clients,
    totals,
    reasons,
    byVersion: [...versions.values()],
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
