// The What If view's rows: each version that matters with what a desk on it
// gets (action, mode, file and size, reason) and why the version matters; a
// fleet version lists what its desks get (with [Rollout], by name). Pure: a
// function of the language server's table.
import type { Decision } from '../../../../server/src/config';
import type { WhatIfRow, WhatIfTable } from '../../../../server/src/views/messages';
import { plural, type Node } from './node';

/** "patch NP_Update.exe, 2,048 bytes, optional" / "allow (current)". */
function decisionInWords(d: Decision): string {
  if (d.action === 'patch' || d.action === 'full') return `${d.action} ${d.file}, ${d.size.toLocaleString('en-US')} bytes, ${d.mode}${d.modeReason ? ` (${d.modeReason})` : ''}`;
  return `${d.action} (${d.reason})`;
}

function icon(d: Decision): string {
  return d.action === 'allow' ? 'pass' : d.action === 'reject' ? 'error' : d.action === 'patch' ? 'diff' : 'package';
}

function rowNode(r: WhatIfRow, i: number): Node {
  const id = `whatif/${i}:${r.version}`;
  const node: Node = {
    id,
    label: r.version,
    description: `${decisionInWords(r.decision)} · ${r.why.join('; ')}`,
    tooltip: `${r.version}: ${decisionInWords(r.decision)}, reason ${r.decision.reason}${r.decision.bucket !== undefined ? `, bucket ${r.decision.bucket}` : ''}\n${r.why.join('\n')}`,
    icon: icon(r.decision),
    contextValue: 'whatIfRow',
  };
  const fleet = r.fleet;
  if (fleet && fleet.decisions.length > 1) {
    node.collapsed = true;
    node.children = () =>
      fleet.decisions.map((d, j) => ({
        id: `${id}/${j}`,
        label: plural(d.count, 'desk'),
        description: `${d.action} (${d.reason})${d.mode ? `, ${d.mode}` : ''}`,
        icon: 'person',
      }));
  }
  return node;
}

/** The rows, or one row that says why there are none. */
export function whatIfNodes(t: WhatIfTable | null, failure: string | null): Node[] {
  if (!t) return [{ id: 'whatif:waiting', label: failure ? `The language server did not start: ${failure}` : 'Asking the language server...', icon: failure ? 'warning' : 'loading~spin' }];
  if ('unavailable' in t) return [{ id: 'whatif:none', label: 'No decisions', description: t.unavailable, icon: 'info' }];
  const rows = t.rows.map(rowNode);
  const when = t.rollout ? `for a desk with no name at ${t.at}` : 'for any desk';
  rows.unshift({ id: 'whatif:about', label: `${plural(t.rows.length, 'version')} that matter`, description: `${when}${t.fleetFiles.length ? `; fleet: ${t.fleetFiles.join(', ')}` : ''}${t.left ? `; ${t.left} more left out` : ''}`, icon: 'law' });
  return rows;
}
