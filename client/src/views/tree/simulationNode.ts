// The Last simulation section: the run by version, as the CLI's "By version"
// table (the report's byVersion, grouped by the simulator's one
// groupByVersion in the workbench child): each version with its count,
// decision and outcomes, its clients under it, each client's story on expand.
// A cancelled run shows what finished ("cancelled after 990 of 1,000").
import * as vscode from 'vscode';
import type { SimulationView } from '../../../../server/src/views/messages';
import { FAILED_OUTCOMES } from '../../../../server/src/simulator/outcomes';
import { plural, type Node } from './node';

const FAILED: readonly string[] = FAILED_OUTCOMES;

export function simulationNode(r: SimulationView | null, count: number): Node {
  if (!r) return { id: 'simulation:none', label: 'Last simulation', description: 'none yet', icon: 'beaker' };
  const sim = `simulation:${count}`;
  const size = r.cancelled ? `cancelled after ${r.cancelled.done.toLocaleString('en-US')} of ${r.cancelled.total.toLocaleString('en-US')}` : plural(r.clientCount, 'client');
  return {
    id: sim,
    label: 'Last simulation',
    description: `${size}${r.failures ? `, ${r.failures} failed` : ''}${r.privateServer ? ` (${vscode.workspace.asRelativePath(r.config)}, private server)` : ''}`,
    tooltip: r.inWords,
    icon: r.failures ? 'error' : r.cancelled ? 'debug-pause' : 'beaker',
    children: () =>
      r.byVersion.map((g) => {
        // The clients are the sample the workbench sent (all of them up to 200 per outcome); the counts are of all.
        const clients = r.clients.filter((c) => c.version === g.version);
        const failed = Object.keys(g.outcomes).some((o) => FAILED.includes(o));
        const outcomes = Object.entries(g.outcomes).map(([o, n]) => `${o} ${n}`).join(', ');
        const id = `${sim}/v:${g.version}`;
        return {
          id,
          label: g.version,
          description: `${plural(g.clients, 'client')} · ${g.action} · ${outcomes}`,
          icon: failed ? 'error' : g.action === 'allow' ? 'pass' : 'versions',
          // A few desks: open, so each shows; a fleet: closed, the table first.
          collapsed: r.clientCount > 20,
          children: () =>
            clients.map((c) => ({
              id: `${id}/${c.id}`,
              label: `#${c.id} ${c.version}`,
              description: `${c.action}${c.mode ? `, ${c.mode}` : ''} -> ${c.outcome}`,
              icon: FAILED.includes(c.outcome) ? 'error' : 'person',
              contextValue: 'client',
              children: () => c.story.map((s, i) => ({ id: `${id}/${c.id}/${i}`, label: s, icon: 'circle-small' })),
            })),
        };
      }),
  };
}
