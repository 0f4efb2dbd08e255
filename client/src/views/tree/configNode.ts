// The Config section: the language server's summary of the file shown
// (versions, files, the decision table, problems).
import * as vscode from 'vscode';
import type { ConfigSummary, DecisionRow } from '../../../../server/src/views/messages';
import type { Node } from './node';

/** `s` null: not answered yet; `failure`: why the language server did not start. */
export function configNode(configUri: vscode.Uri | null, s: ConfigSummary | null, failure: string | null): Node {
  if (!configUri) return { id: 'config:none', label: 'Config', description: 'no upgrade.ini', icon: 'settings-gear' };
  const name = vscode.workspace.asRelativePath(configUri);
  if (!s) {
    const why = failure ? 'the language server did not start' : 'checking...';
    return { id: 'config:waiting', label: 'Config', description: `${name}: ${why}`, icon: failure ? 'warning' : 'loading~spin' };
  }
  const u = s.upgrade;
  const kids: Node[] = [
    { id: 'config/current', label: 'Current version', description: u.currentVersion ?? '(missing)', icon: 'tag' },
    { id: 'config/mode', label: 'Mode', description: u.enabled ? (u.mode === 'forced' ? 'Forced ("Upgrade in progress")' : 'Optional (users may decline)') : 'upgrades disabled', icon: 'shield' },
    {
      id: 'config/patchable',
      label: 'Patchable',
      collapsed: true,
      description: `${u.patchableCount} item${u.patchableCount === 1 ? '' : 's'}`,
      icon: 'versions',
      children: () => u.patchable.map((it, i) => ({ id: `config/patchable/${i}`, label: it.text, description: it.matches, icon: 'symbol-number' })),
    },
    {
      id: 'config/files',
      label: 'Files',
      collapsed: true,
      icon: 'files',
      description: s.fileChecks ? undefined : 'not checked (unsaved)',
      children: () =>
        s.files.map((f) => {
          const hash = { matches: 'hash matches', 'not-pinned': 'hash not pinned', mismatch: 'HASH MISMATCH', missing: 'missing' }[f.hash];
          return { id: `config/files/${f.key}`, label: `${f.key}: ${f.relPath}`, description: f.size !== undefined ? `${f.size.toLocaleString('en-US')} bytes, ${hash}` : 'not found', tooltip: f.sha256 ? `SHA-256 ${f.sha256}` : undefined, icon: f.hash === 'missing' || f.hash === 'mismatch' ? 'warning' : 'file-binary' };
        }),
    },
    decisionsNode(s),
  ];
  if (s.problemCount > 0) {
    kids.push({
      id: 'config/problems',
      label: 'Problems',
      collapsed: true,
      description: String(s.problemCount),
      icon: s.ok ? 'warning' : 'error',
      children: () => s.problems.map((p, i) => ({ id: `config/problems/${i}`, label: `${p.line}:${p.column} ${p.message}`, description: p.code, icon: p.severity === 'error' ? 'error' : 'warning' })),
    });
  }
  const errors = s.counts.error;
  return { id: `config:${s.uri}`, label: 'Config', description: `${name}${s.ok ? '' : ` (${errors} error${errors === 1 ? '' : 's'})`}`, icon: s.ok ? 'pass' : 'error', children: () => kids };
}

function decisionsNode(s: ConfigSummary): Node {
  const t = s.decisions;
  // A leaf while there is no table, a parent once there is: two ids (see Node).
  if ('unavailable' in t) return { id: 'config/decisions:none', label: 'Decisions', description: t.unavailable, icon: 'law' };
  const what = (r: DecisionRow): string => {
    const d = r.decision;
    if (d.action === 'patch' || d.action === 'full') return `${d.action} ${d.file} (${d.mode})`;
    return `${d.action} (${d.reason})`;
  };
  return {
    id: 'config/decisions:rows',
    label: 'Decisions',
    collapsed: true,
    description: `${t.rows.length} kinds of desk`,
    tooltip: 'What a desk of each kind is told at login, decided now for a desk with no name',
    icon: 'law',
    children: () => t.rows.map((r, i) => ({ id: `config/decisions:rows/${i}`, label: `${r.label}: ${r.sample}`, description: what(r), icon: r.decision.action === 'allow' ? 'pass' : r.decision.action === 'reject' ? 'error' : 'cloud-download' })),
  };
}
