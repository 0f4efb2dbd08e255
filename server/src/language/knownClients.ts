// The client names [Rollout] completion and hover offer (issue 12): the desks
// of the fleet files in the workspace (examples/fleet.csv's format, read by
// the simulator's one reader, named as the simulator and the planner name
// them) and the names the editor sends from the running server's inventory
// (`nsupgrade/knownClients`). Fleet files are found near the configs, a
// bounded walk, and read again at most every few seconds.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { deskNames, FleetError, parseFleetCsv } from '../simulator/fleet';
import type { KnownClient } from './rolloutShare';
import type { FleetDesk } from '../views/whatIf';

const MAX_DEPTH = 3;
const MAX_FOLDERS = 300;
const MAX_FILES = 20;
const MAX_BYTES = 4 * 1024 * 1024;
/** The protocol's limit on a name, and the most names one notification may bring. */
const MAX_NAME = 128;
const MAX_NAMES = 100_000;
const FRESH_MS = 5000;

/** The desks of one fleet file with the version each reports, or none when it is not one. */
export function clientsOfFleet(text: string, source: string): FleetDesk[] {
  try {
    const entries = parseFleetCsv(text.replace(/^\uFEFF/, ''), source);
    const versions = entries.flatMap((e) => Array<string>(e.count).fill(e.version));
    return deskNames(entries).map((name, i) => ({ name, source, version: versions[i] }));
  } catch (err) {
    if (err instanceof FleetError) return [];
    throw err;
  }
}

/** The names of a knownClients notification that can be names at all (strings, not empty, not too long), each once. */
export function inventoryNames(params: unknown): string[] {
  const names = (params as { names?: unknown } | null)?.names;
  if (!Array.isArray(names)) return [];
  const out = new Set<string>();
  for (const n of names.slice(0, MAX_NAMES)) if (typeof n === 'string' && n.length > 0 && n.length <= MAX_NAME) out.add(n);
  return [...out];
}

/** The .csv files under `folder` (a bounded walk that skips dependencies and hidden folders). */
async function csvFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  let folders = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || found.length >= MAX_FILES || ++folders > MAX_FOLDERS) return;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (found.length >= MAX_FILES) return;
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') await walk(join(dir, e.name), depth + 1);
      else if (e.isFile() && /\.csv$/i.test(e.name)) found.push(join(dir, e.name));
    }
  };
  await walk(folder, 0);
  return found;
}

export class KnownClients {
  private inventory: KnownClient[] = [];
  private readonly fleets = new Map<string, { at: number; files: { path: string; desks: FleetDesk[] }[] }>();

  /** The running server's inventory, as the editor sent it (replaces the last). */
  setInventory(params: unknown): number {
    this.inventory = inventoryNames(params).map((name) => ({ name, source: "the server's inventory" }));
    return this.inventory.length;
  }

  /** Every known name once (compared without regard to case, as the server compares them): the inventory first, then the fleet files under `folders`. */
  async near(folders: readonly string[]): Promise<KnownClient[]> {
    const all = [...this.inventory];
    for (const folder of new Set(folders)) all.push(...(await this.fleetsUnder(folder)));
    const seen = new Set<string>();
    return all.filter((c) => {
      const key = c.name.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** The desks of the fleet files under `folders` (the what-if table's fleet versions): each file once, named from the first folder that holds it. */
  async fleetDesks(folders: readonly string[]): Promise<FleetDesk[]> {
    const seen = new Set<string>();
    const out: FleetDesk[] = [];
    for (const folder of new Set(folders)) {
      for (const f of await this.fleetFilesUnder(folder)) {
        if (seen.has(f.path)) continue;
        seen.add(f.path);
        out.push(...f.desks);
      }
    }
    return out;
  }

  private async fleetsUnder(folder: string): Promise<KnownClient[]> {
    return (await this.fleetFilesUnder(folder)).flatMap((f) => f.desks.map((d) => ({ name: d.name, source: d.source })));
  }

  private async fleetFilesUnder(folder: string): Promise<{ path: string; desks: FleetDesk[] }[]> {
    const cached = this.fleets.get(folder);
    if (cached && Date.now() - cached.at < FRESH_MS) return cached.files;
    const files: { path: string; desks: FleetDesk[] }[] = [];
    for (const file of await csvFiles(folder)) {
      try {
        const stat = await fs.stat(file);
        if (stat.size > MAX_BYTES) continue;
        files.push({ path: file, desks: clientsOfFleet(await fs.readFile(file, 'utf8'), file.slice(folder.length + 1) || file) });
      } catch {
        // Unreadable or gone meanwhile: not a fleet to offer.
      }
    }
    this.fleets.set(folder, { at: Date.now(), files });
    return files;
  }
}
