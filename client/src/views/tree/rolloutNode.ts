// The rollout's rows (spec 7 and 8), pure functions of what the host knows:
// under Config, the file's [Rollout] in words (the language server's summary);
// under the running server, paused or not and why, the offers of the last
// hour against MaxPerHour, the failures, and the inventory by version with
// its clients (the workbench child's snapshot and `inventory` answer). The
// status bar's "paused" text is here too, so every word about a pause is in
// one place. No `vscode` at run time: unit tests call these directly.
import type { RolloutStatus } from '../../../../server/src/upgrade/events';
import type { InventoryClientView, RolloutView, ServerView } from '../../../../server/src/views/messages';
import type { InventoryShown } from '../../inventory';
import { plural, type Node } from './node';

/** Clients listed under one version; the rest are counted ("N more"). */
export const CLIENTS_PER_VERSION = 200;
/** Names written out in a row's description before "+N more". */
const NAMES_IN_ROW = 8;

function names(list: readonly string[]): string {
  if (list.length === 0) return 'none';
  const shown = list.slice(0, NAMES_IN_ROW).join(', ');
  return list.length > NAMES_IN_ROW ? `${shown} +${list.length - NAMES_IN_ROW} more` : shown;
}

/** The Config section's [Rollout] row and its keys in words. */
export function configRolloutNode(r: RolloutView): Node {
  const share = r.percent === 100 ? 'every desk' : r.percent === 0 ? (r.pilot.length ? 'only the pilot desks' : 'no desk') : `${r.percent}% of the desks${r.pilot.length ? ' besides the pilot' : ''}`;
  const zone = r.timeZone ?? "the server's time zone";
  const forced = r.forcedHoursInWords ? `${r.forcedHoursInWords.join('; ')} (${zone})` : 'always (whenever Mode = Forced)';
  const kids: Node[] = [
    { id: 'config/rollout/pilot', label: 'Pilot', description: r.pilot.length ? `${names(r.pilot)}: always first` : 'none', tooltip: r.pilot.length ? `Always in the rollout, whatever Percent: ${r.pilot.join(', ')}` : undefined, icon: 'star-empty' },
    { id: 'config/rollout/percent', label: 'Share', description: `${r.percent}%: ${share}`, tooltip: 'The desks whose bucket (0-99, from CurrentVersion and the desk name) is below Percent are in the rollout', icon: 'pie-chart' },
    { id: 'config/rollout/exclude', label: 'Excluded', description: r.exclude.length ? `${names(r.exclude)}: never offered` : 'none', tooltip: r.exclude.length ? `Never offered an upgrade: ${r.exclude.join(', ')}` : undefined, icon: 'circle-slash' },
    { id: 'config/rollout/maxPerHour', label: 'Max per hour', description: r.maxPerHour === null ? 'no limit' : `${plural(r.maxPerHour, 'desk')} offered in any 60 minutes`, icon: 'dashboard' },
    { id: 'config/rollout/pause', label: 'Pause after', description: r.pauseAfterFailures === null ? 'never (no PauseAfterFailures)' : `${plural(r.pauseAfterFailures, 'failed upgrade')}`, icon: 'debug-pause' },
    { id: 'config/rollout/forcedHours', label: 'Forced hours', description: forced, tooltip: r.forcedHours ? `ForcedHours = ${r.forcedHours.join(', ')}; outside them a forced upgrade is offered as optional` : undefined, icon: 'clock' },
  ];
  const parts = [r.pilot.length ? `pilot ${r.pilot.length}` : null, `${r.percent}%`, r.exclude.length ? `${r.exclude.length} excluded` : null, r.maxPerHour !== null ? `${r.maxPerHour}/h` : null];
  return { id: 'config/rollout', label: 'Rollout', description: parts.filter((p) => p !== null).join(', '), icon: 'rocket', children: () => kids };
}

/** "13:45", the local time of an ISO instant. */
export function clock(iso: string): string {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** "12 s ago", "3 min ago", "2 h ago", "4 days ago". */
export function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return plural(Math.floor(s / 86_400), 'day') + ' ago';
}

/** The pause in words: "paused: 3 failures since 13:45". */
export function pauseText(r: RolloutStatus, pausedAt: string | undefined): string {
  return `paused: ${plural(r.failures, 'failure')}${pausedAt ? ` since ${clock(pausedAt)}` : ''}`;
}

/** The status bar while the rollout is paused (null when it is not). */
export function pausedStatus(r: RolloutStatus, pausedAt: string | undefined): { text: string; tooltip: string } | null {
  if (!r.paused) return null;
  return {
    text: `$(debug-pause) Upgrade server paused: ${plural(r.failures, 'failure')}`,
    tooltip:
      `The rollout of ${r.currentVersion || 'CurrentVersion'} is paused${pausedAt ? ` since ${clock(pausedAt)}` : ''}: ${plural(r.failures, 'failed upgrade')}` +
      `${r.pauseAfterFailures !== null ? ` (PauseAfterFailures = ${r.pauseAfterFailures})` : ''}; out-of-date desks are let in without an offer. ` +
      'To offer the upgrade again, run "Net Server Upgrade: Resume Rollout" (or the resume button on the Rollout row of the Upgrades view). Click to show the view.',
  };
}

const OUTCOME_ICON: Record<string, string> = { failed: 'error', rejected: 'error', upgraded: 'pass', 'restart-required': 'pass', offered: 'cloud-download', downloaded: 'cloud-download', declined: 'circle-slash', 'let-in': 'person' };

function clientRow(c: InventoryClientView, now: number, id: string): Node {
  const d = c.decision;
  return {
    id,
    label: c.name,
    description: `${c.outcome ?? d.action}, ${ago(c.lastLogin, now)}`,
    tooltip: `${c.name} (${c.address}) logged in with ${c.version} at ${c.lastLogin}: ${d.action} (${d.reason}${d.mode ? `, ${d.mode}` : ''}${d.modeReason ? `, ${d.modeReason}` : ''}); last result: ${c.outcome ?? 'none'}${c.bucket !== undefined ? `; bucket ${c.bucket}` : ''}`,
    icon: OUTCOME_ICON[c.outcome ?? ''] ?? 'person',
  };
}

/** Versions newest first (as written; numbers compared as numbers). */
function byVersionDesc(a: string, b: string): number {
  return b.localeCompare(a, 'en', { numeric: true });
}

function inventoryNode(view: ServerView, inv: InventoryShown | null, now: number): Node {
  const counts = Object.entries(view.inventoryByVersion).sort(([a], [b]) => byVersionDesc(a, b));
  const total = counts.reduce((n, [, k]) => n + k, 0);
  // A leaf while nobody logged in, a parent once someone did: two ids (see Node).
  if (total === 0) return { id: 'server/rollout/inventory:none', label: 'Inventory', description: 'no client seen yet', icon: 'organization', contextValue: 'inventory' };
  const clients = inv?.clients ?? [];
  return {
    id: 'server/rollout/inventory',
    label: 'Inventory',
    description: `${plural(total, 'client')}, ${plural(counts.length, 'version')}`,
    tooltip: 'Every client seen, by the version of its last login (Show Inventory lists them all)',
    icon: 'organization',
    contextValue: 'inventory',
    children: () =>
      counts.map(([version, count]) => {
        const vid = `server/rollout/inventory/${version}`;
        // Most recent first: the clients an administrator just watched log in.
        const here: InventoryClientView[] = [];
        for (let i = clients.length - 1; i >= 0 && here.length < CLIENTS_PER_VERSION; i--) if (clients[i].version === version) here.push(clients[i]);
        return {
          id: vid,
          label: version,
          description: `${plural(count, 'client')}${version === view.rollout.currentVersion || version === view.currentVersion ? ' (current)' : ''}`,
          icon: 'versions',
          collapsed: true,
          children: () => {
            const rows = here.map((c) => clientRow(c, now, `${vid}/${c.name.toLowerCase()}`));
            const more = count - here.length;
            if (more > 0) rows.push({ id: `${vid}/more`, label: `${more.toLocaleString('en-US')} more`, description: inv ? 'Show Inventory lists every client' : 'asking the server...', icon: 'ellipsis', command: { title: 'Show Inventory', command: 'nsupgrade.showInventory' } });
            return rows;
          },
        };
      }),
  };
}

/** The Rollout row under the running server: the pause, the offers, the failures, the inventory. */
export function serverRolloutNode(view: ServerView | undefined, inv: InventoryShown | null, now: number): Node {
  if (!view) return { id: 'server/rollout:waiting', label: 'Rollout', description: 'waiting for the server...', icon: 'loading~spin' };
  const r = view.rollout;
  const offers = r.maxPerHour === null ? `${r.offeredLastHour} (no MaxPerHour)` : `${r.offeredLastHour} of ${r.maxPerHour}${r.offeredLastHour >= r.maxPerHour ? ': full, new desks are let in without an offer' : ''}`;
  const failures = r.pauseAfterFailures === null ? `${r.failures} (no PauseAfterFailures)` : `${r.failures} of ${r.pauseAfterFailures} before a pause`;
  const kids: Node[] = [
    {
      id: 'server/rollout/state',
      label: r.paused ? 'Paused' : 'Offering',
      description: r.paused
        ? `${view.rolloutPausedAt ? `since ${clock(view.rolloutPausedAt)}, ` : ''}after ${plural(r.failures, 'failed upgrade')}${r.pauseAfterFailures !== null ? ` (PauseAfterFailures = ${r.pauseAfterFailures})` : ''}: out-of-date desks are let in without an offer`
        : !r.currentVersion
          ? 'nothing (no CurrentVersion)'
          : view.rolloutConfigured
            ? `${r.currentVersion} to the desks in the rollout`
            : `${r.currentVersion} to every out-of-date desk (no [Rollout])`,
      icon: r.paused ? 'debug-pause' : 'play',
    },
    { id: 'server/rollout/offers', label: 'Offers in the last hour', description: offers, icon: 'dashboard' },
    { id: 'server/rollout/failures', label: 'Failures', description: failures, icon: r.failures > 0 ? 'error' : 'pass' },
    inventoryNode(view, inv, now),
  ];
  return {
    id: 'server/rollout',
    label: 'Rollout',
    description: r.paused
      ? pauseText(r, view.rolloutPausedAt)
      : `${view.rolloutConfigured ? '' : 'no [Rollout]: '}${r.offeredLastHour}${r.maxPerHour !== null ? `/${r.maxPerHour}` : ''} offered in the last hour, ${plural(r.failures, 'failure')}`,
    tooltip: r.paused ? pausedStatus(r, view.rolloutPausedAt)?.tooltip : `The rollout of ${r.currentVersion || 'CurrentVersion'}: offers and failures are counted as spec section 8 says`,
    icon: r.paused ? 'debug-pause' : 'rocket',
    contextValue: r.paused ? 'rolloutPaused' : 'rollout',
    children: () => kids,
  };
}

/** Adds `child` to a parent node's children (before the child `beforeId` when there is one). */
export function withChild(parent: Node, child: Node, beforeId?: string): Node {
  const children = parent.children;
  if (!children) return parent;
  return {
    ...parent,
    children: () => {
      // A copy: a section may hand out the same array at every call.
      const list = [...children()];
      const at = beforeId === undefined ? -1 : list.findIndex((n) => n.id === beforeId);
      if (at === -1) list.push(child);
      else list.splice(at, 0, child);
      return list;
    },
  };
}
