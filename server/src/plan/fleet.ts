// A fleet (the simulator's SPEC or @fleet.csv) as the planner's desks.
import { deskNames, type FleetEntry } from '../simulator/fleet';
import type { PlanDesk } from './types';

/** One desk per client of the fleet, named as the simulator names them
 *  (`desk-001`... or the fleet file's names): Pilot, Exclude and the bucket read it. */
export function desksOfFleet(entries: readonly FleetEntry[]): PlanDesk[] {
  const names = deskNames(entries);
  const desks: PlanDesk[] = [];
  for (const e of entries) {
    for (let i = 0; i < e.count; i++) desks.push({ name: names[desks.length], version: e.version, apps: e.apps });
  }
  return desks;
}
