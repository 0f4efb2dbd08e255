// The Server section: the served config's state; which config is in force
// (loaded when, CurrentVersion, hash, the setup files' snapshots) and whether
// the file on disk was refused since; live clients (name, address, version,
// state), transfers with progress and the queue; counts since start that stay
// when clients go (the extension's own desks or anyone else's), and the recent
// activity; all from the workbench child's snapshots.
import * as vscode from 'vscode';
import type { ClientView, ServerView, WorkbenchState } from '../../../../server/src/views/messages';
import type { HostState } from '../../workbenchHost';
import { clock, inForceLine, inForceTooltip, refusedChange, refusedLine } from '../inForce';
import { plural, type Node } from './node';

export function serverNode(s: HostState, snapshot: WorkbenchState): Node {
  if (s.kind !== 'running') {
    return { id: 'server:stopped', label: 'Server', description: s.kind === 'failed' ? `failed: ${s.message}` : s.kind, icon: s.kind === 'failed' ? 'error' : 'debug-stop', contextValue: 'serverStopped' };
  }
  const view = snapshot.servers.find((v) => v.config === s.config);
  const name = vscode.workspace.asRelativePath(s.config);
  const refused = view ? refusedLine(view) : null;
  return {
    id: `server:${s.pid}:${s.port}`,
    label: 'Server',
    description: `listening on ${s.host}:${s.port}${refused ? ' (change refused)' : ''}`,
    tooltip: view ? inForceTooltip(view, name).join('\n') : `Serving ${s.config}`,
    icon: refused ? 'warning' : 'broadcast',
    contextValue: 'serverRunning',
    children: () => (view ? serverRows(view, name) : []),
  };
}

function serverRows(view: ServerView, name: string): Node[] {
  const clients = view.clients;
  const transfers = clients.filter((c) => c.state === 'downloading');
  const queue = clients.filter((c) => c.state === 'queued').sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  return [
    inForceNode(view, name),
    reloadNode(view),
    { id: 'server/clients', label: 'Clients', description: `${view.clientCount} connected`, icon: 'device-desktop', children: () => clients.map(clientNode) },
    {
      id: 'server/transfers',
      label: 'Transfers',
      description: String(view.transfers.running),
      icon: 'cloud-download',
      children: () => transfers.map((c) => ({ id: `server/transfers/${c.id}`, label: `${who(c)} ${c.file}`, description: c.size ? `${Math.round(((c.sent ?? 0) / c.size) * 100)}% of ${c.size.toLocaleString('en-US')} bytes` : '', icon: 'arrow-down' })),
    },
    { id: 'server/queue', label: 'Queue', description: String(view.transfers.queued), icon: 'list-ordered', children: () => queue.map((c) => ({ id: `server/queue/${c.id}`, label: `${c.position}. ${who(c)}`, description: c.version ?? '', icon: 'watch' })) },
    countsNode(view),
    {
      id: 'server/recent',
      label: 'Recent activity',
      description: view.recent.length ? `last at ${clock(view.recent[view.recent.length - 1].at)}` : 'none yet',
      collapsed: true,
      icon: 'history',
      // Newest first; a refused change's problems follow its first line in the tooltip.
      children: () =>
        view.recent
          .slice()
          .reverse()
          .map((r, i) => ({ id: `server/recent/${i}`, label: r.text.split('\n')[0], description: clock(r.at), tooltip: r.text, icon: r.level === 'error' ? 'error' : r.level === 'warn' ? 'warning' : 'circle-small' })),
    },
  ];
}

/** A desk: the name it sent, else its address. */
function who(c: ClientView): string {
  return c.name ?? c.remote;
}

function clientNode(c: ClientView): Node {
  const progress = c.state === 'downloading' && c.size ? ` ${Math.round(((c.sent ?? 0) / c.size) * 100)}%` : c.state === 'queued' && c.position ? ` #${c.position}` : '';
  return { id: `server/clients/${c.id}`, label: who(c), description: `${c.version ?? '(logging in)'}, ${c.state}${progress}${c.name ? `, ${c.remote}` : ''}`, tooltip: `connection #${c.id} from ${c.remote}`, icon: 'person' };
}

function inForceNode(view: ServerView, name: string): Node {
  return {
    id: 'server/inforce',
    label: 'In force',
    description: `${name} ${inForceLine(view)}`,
    tooltip: inForceTooltip(view, name).join('\n'),
    icon: 'pinned',
    collapsed: true,
    children: () =>
      view.inForce.files.map((f) => ({ id: `server/inforce/${f.key}`, label: `${f.key}: ${f.name}`, description: `${f.size.toLocaleString('en-US')} bytes, SHA-256 ${f.sha256.slice(0, 12)}..., snapshot taken at ${clock(view.inForce.loadedAt)}`, tooltip: `SHA-256 ${f.sha256}`, icon: 'file-binary' })),
  };
}

function reloadNode(view: ServerView): Node {
  const r = refusedChange(view);
  if (r) {
    // A parent while refused (its problems), a leaf otherwise: two ids (see Node).
    return {
      id: `server/reload:refused`,
      label: 'On disk',
      description: refusedLine(view) ?? '',
      tooltip: 'The change on disk was refused: the config and setup files in force are the snapshot loaded before it. Fix the file (or put the setup file back) and it is reloaded.',
      icon: 'warning',
      children: () => (view.lastReload?.problems ?? []).map((p, i) => ({ id: `server/reload:refused/${i}`, label: `${p.line}:${p.column} ${p.message}`, description: p.code, icon: 'error' })),
    };
  }
  const last = view.lastReload;
  return { id: 'server/reload:ok', label: 'On disk', description: last ? `the config in force (reloaded at ${clock(last.at)})` : 'the config in force (no change since start)', icon: 'check' };
}

function countsNode(view: ServerView): Node {
  const c = view.counts;
  const rows: Node[] = [];
  const add = (id: string, label: string, n: number, icon: string): void => {
    if (n > 0) rows.push({ id: `server/counts/${id}`, label, description: n.toLocaleString('en-US'), icon });
  };
  add('connections', 'connections', c.connections, 'plug');
  add('logins', 'logins', c.logins, 'account');
  for (const [action, n] of Object.entries(c.decisions)) add(`decision/${action}`, `decision: ${action}`, n, action === 'reject' ? 'error' : action === 'allow' ? 'pass' : 'cloud-download');
  for (const [outcome, n] of Object.entries(c.results)) add(`result/${outcome}`, `result: ${outcome}`, n, outcome === 'failed' ? 'error' : 'check');
  add('transfers', `transfers done (${c.bytesSent.toLocaleString('en-US')} bytes)`, c.transfersDone, 'arrow-down');
  add('errors', 'errors', c.errors, 'error');
  return {
    id: 'server/counts',
    label: 'Since start',
    description: `${plural(c.connections, 'connection')}, ${plural(c.logins, 'login')}, ${plural(c.errors, 'error')}`,
    tooltip: `Counted since the server started at ${clock(view.startedAt)}, clients that have gone included`,
    icon: 'graph',
    collapsed: true,
    children: () => rows,
  };
}
