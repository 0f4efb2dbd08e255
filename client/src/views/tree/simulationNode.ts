// The Last simulation section: outcomes with counts; each client's story on expand.
import * as vscode from 'vscode';
import type { ClientReport } from '../../../../server/src/simulator';
import type { SimulationView } from '../../../../server/src/views/messages';
import type { Node } from './node';

export function simulationNode(r: SimulationView | null, count: number): Node {
  if (!r) return { id: 'simulation:none', label: 'Last simulation', description: 'none yet', icon: 'beaker' };
  const groups = new Map<string, ClientReport[]>();
  for (const c of r.clients) {
    const list = groups.get(c.outcome);
    if (list) list.push(c);
    else groups.set(c.outcome, [c]);
  }
  const sim = `simulation:${count}`;
  return {
    id: sim,
    label: 'Last simulation',
    description: `${r.clientCount} client${r.clientCount === 1 ? '' : 's'}${r.failures ? `, ${r.failures} failed` : ''}${r.privateServer ? ` (${vscode.workspace.asRelativePath(r.config)}, private server)` : ''}`,
    icon: r.failures ? 'error' : 'beaker',
    children: () =>
      [...groups.entries()].map(([outcome, list]) => ({
        id: `${sim}/${outcome}`,
        label: outcome,
        // The count of all such clients; the rows are the sample the workbench sent.
        description: String(r.totals[outcome] ?? list.length),
        icon: ['hash-mismatch', 'size-mismatch', 'loop', 'error'].includes(outcome) ? 'error' : outcome === 'let-in' ? 'pass' : 'check',
        children: () =>
          list.map((c) => ({
            id: `${sim}/${outcome}/${c.id}`,
            label: `#${c.id} ${c.version}`,
            description: `${c.action}${c.mode ? `, ${c.mode}` : ''} -> ${c.outcome}`,
            icon: 'person',
            contextValue: 'client',
            children: () => c.story.map((s, i) => ({ id: `${sim}/${outcome}/${c.id}/${i}`, label: s, icon: 'circle-small' })),
          })),
      })),
  };
}
