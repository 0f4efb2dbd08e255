// The Server section: the served config's state, live clients, transfers
// with progress and the queue, from the workbench child's snapshots.
import type { WorkbenchState } from '../../../../server/src/views/messages';
import type { HostState } from '../../workbenchHost';
import type { Node } from './node';

export function serverNode(s: HostState, snapshot: WorkbenchState): Node {
  if (s.kind !== 'running') {
    return { id: 'server:stopped', label: 'Server', description: s.kind === 'failed' ? `failed: ${s.message}` : s.kind, icon: s.kind === 'failed' ? 'error' : 'debug-stop', contextValue: 'serverStopped' };
  }
  const view = snapshot.servers.find((v) => v.config === s.config);
  const clients = view?.clients ?? [];
  const transfers = clients.filter((c) => c.state === 'downloading');
  const queue = clients.filter((c) => c.state === 'queued').sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  return {
    id: `server:${s.pid}:${s.port}`,
    label: 'Server',
    description: `listening on ${s.host}:${s.port}`,
    tooltip: `Serving ${s.config}`,
    icon: 'broadcast',
    contextValue: 'serverRunning',
    children: () => [
      { id: 'server/clients', label: 'Clients', description: String(view?.clientCount ?? 0), icon: 'device-desktop', children: () => clients.map((c) => ({ id: `server/clients/${c.id}`, label: `#${c.id} ${c.version ?? '(logging in)'}`, description: c.state, icon: 'person' })) },
      { id: 'server/transfers', label: 'Transfers', description: String(view?.transfers.running ?? 0), icon: 'cloud-download', children: () => transfers.map((c) => ({ id: `server/transfers/${c.id}`, label: `#${c.id} ${c.file}`, description: c.size ? `${Math.round(((c.sent ?? 0) / c.size) * 100)}%` : '', icon: 'arrow-down' })) },
      { id: 'server/queue', label: 'Queue', description: String(view?.transfers.queued ?? 0), icon: 'list-ordered', children: () => queue.map((c) => ({ id: `server/queue/${c.id}`, label: `${c.position}. #${c.id} ${c.version ?? ''}`, icon: 'watch' })) },
    ],
  };
}
