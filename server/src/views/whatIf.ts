// The what-if table (issue 11): every version that matters for one config
// and what a desk on it is told at login. The versions: CurrentVersion and
// the versions just below and above it; each Patchable item's bounds and the
// versions just outside them (where a patch turns into a full setup); and the
// versions of the desks in the workspace's fleet files. Every decision is the
// model's one decide(); nothing here decides anything itself. Pure: the time
// and the fleet desks come in as arguments.
import { compareVersions, decide, loginOf, nextVersion, parseVersion, previousVersion, type Decision, type LoadedConfig, type UpgradeConfig, type Version } from '../config';
import type { FleetVersionView, WhatIfRow, WhatIfTable } from './messages';
import { plural } from './plural';

/** A desk of a fleet file: its name (as the simulator names it), the version it reports, the file. */
export interface FleetDesk {
  name: string;
  version: string;
  source: string;
}

/** Patchable items looked at (4 versions each) and fleet versions shown, at most. */
export const WHAT_IF_ITEMS = 25;
export const WHAT_IF_FLEET_VERSIONS = 100;

interface Sample {
  version: string;
  /** Canonical parts for ordering and merging; null for a fleet version that is not a version. */
  parsed: Version | null;
  why: string[];
  desks: FleetDesk[];
}

export function whatIfTable(uri: string, loaded: LoadedConfig, desks: readonly FleetDesk[], at: Date): WhatIfTable {
  if (!loaded.ok) return { uri, rows: [], unavailable: 'the config has errors: the server decides nothing with it' };
  const config = loaded.config;
  const current = config.upgrade.currentVersion;
  if (!current) return { uri, rows: [], unavailable: 'no CurrentVersion' };
  const samples = new Map<string, Sample>();
  let left = 0;
  const add = (v: Version | null, why: string, text = v?.text): Sample | null => {
    if (!text) return null;
    const key = v ? v.parts.join('.') : `text:${text}`;
    let s = samples.get(key);
    if (!s) {
      s = { version: text, parsed: v, why: [], desks: [] };
      samples.set(key, s);
    }
    if (why && !s.why.includes(why)) s.why.push(why);
    return s;
  };
  add(previousVersion(current), 'just below CurrentVersion');
  add(current, 'CurrentVersion');
  add(nextVersion(current), 'just above CurrentVersion (newer)');
  const items = config.upgrade.patchable.items;
  left += Math.max(0, items.length - WHAT_IF_ITEMS);
  for (const it of items.slice(0, WHAT_IF_ITEMS)) {
    if (compareVersions(it.lo, it.hi) > 0) continue;
    const name = `Patchable ${it.text}`;
    add(previousVersion(it.lo), `just below ${name}`);
    if (compareVersions(it.lo, it.hi) === 0) add(it.lo, name);
    else {
      add(it.lo, `lowest of ${name}`);
      add(it.hi, `highest of ${name}`);
    }
    add(nextVersion(it.hi), `just above ${name}`);
  }
  // Fleet desks by the version they report, in the order the files list them.
  const byVersion = new Map<string, FleetDesk[]>();
  for (const d of desks) {
    const list = byVersion.get(d.version);
    if (list) list.push(d);
    else byVersion.set(d.version, [d]);
  }
  let shown = 0;
  for (const [text, list] of byVersion) {
    if (shown++ >= WHAT_IF_FLEET_VERSIONS) {
      left++;
      continue;
    }
    const parsed = parseVersion(text);
    const s = add(parsed, '', parsed ? undefined : text)!;
    s.desks.push(...list);
  }
  const rows: WhatIfRow[] = [];
  try {
    for (const s of [...samples.values()].sort(bySample)) {
      const row: WhatIfRow = { version: s.version, why: s.why, decision: decide(config, loaded.files, loginOf(s.version, at)) };
      if (s.desks.length > 0) {
        row.fleet = fleetView(config, loaded, s.desks, at, row.decision);
        const files = row.fleet.sources.join(', ');
        row.why.push(`${plural(s.desks.length, 'desk')} in ${files}`);
      }
      rows.push(row);
    }
  } catch (err) {
    // decide() throws only when a file it would send is not in `files`: a config that is not ok, caught above.
    return { uri, rows: [], unavailable: (err as Error).message };
  }
  return { uri, rows, at: at.toISOString(), rollout: config.rollout !== null, fleetFiles: sourcesOf(desks), left };
}

/** Versions ascending; text that is not a version last, as written. */
function bySample(a: Sample, b: Sample): number {
  if (a.parsed && b.parsed) return compareVersions(a.parsed, b.parsed);
  if (a.parsed) return -1;
  if (b.parsed) return 1;
  return a.version < b.version ? -1 : a.version > b.version ? 1 : 0;
}

/** What the desks of one version get: without [Rollout] all get the unnamed desk's decision; with it each desk's name counts (bucket, Pilot, Exclude). */
function fleetView(config: UpgradeConfig, loaded: LoadedConfig, desks: readonly FleetDesk[], at: Date, unnamed: Decision): FleetVersionView {
  const counts = new Map<string, FleetVersionView['decisions'][number]>();
  for (const d of desks) {
    const decision = config.rollout ? decide(config, loaded.files, loginOf(d.version, at, d.name)) : unnamed;
    const mode = decision.action === 'patch' || decision.action === 'full' ? decision.mode : undefined;
    const key = `${decision.action}/${decision.reason}/${mode ?? ''}`;
    const c = counts.get(key);
    if (c) c.count++;
    else counts.set(key, { action: decision.action, reason: decision.reason, ...(mode ? { mode } : {}), count: 1 });
  }
  return { desks: desks.length, sources: sourcesOf(desks), decisions: [...counts.values()].sort((a, b) => b.count - a.count) };
}

/** The fleet files the desks come from, each once, in the order first met. */
function sourcesOf(desks: readonly FleetDesk[]): string[] {
  return [...new Set(desks.map((d) => d.source))];
}
