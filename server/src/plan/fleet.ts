// A fleet (the simulator's SPEC or @fleet.csv) as the planner's desks.
import type { FleetEntry } from '../simulator/fleet';
import type { PlanDesk } from './types';

/** One desk per client of the fleet, named `desk-001`... in fleet order (the
 *  name is what Pilot, Exclude and the bucket read). */
export function desksOfFleet(entries: readonly FleetEntry[]): PlanDesk[] {
  const total = entries.reduce((n, e) => n + e.count, 0);
  const width = Math.max(3, String(total).length);
  const desks: PlanDesk[] = [];
  for (const e of entries) {
    for (let i = 0; i < e.count; i++) desks.push({ name: `desk-${String(desks.length + 1).padStart(width, '0')}`, version: e.version, apps: e.apps });
  }
  return desks;
}
