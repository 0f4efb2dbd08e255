// Fleets: `--clients 5.10.3:200,4.90:50` or `@fleet.csv`, expanded into one
// scenario per simulated desk. Bad input says where (column, or line:column).
import type { Random } from './random';
import { cannotRead, decodeBytes, parseVersion, printable, readBoundedSync } from '../config';

export interface FleetEntry {
  version: string;
  count: number;
  /** The desks' name (the fleet file's `name` column): one desk, or the stem of
   *  NAME-001, NAME-002... for several; none: desk-NNN by place in the fleet. */
  name?: string;
  /** Chance (0-1) that the user declines an optional upgrade. */
  decline: number;
  /** Applications running on the desk when Setup starts. */
  apps: string[];
  /** Chance (0-1) that the user keeps them open when Setup asks. */
  keepOpen: number;
  /** Drop the connection once this percent of the download arrived (then resume). */
  dropAt?: number;
  /** Chance (0-1) that Setup fails on the desk after a verified download; none: 0. */
  fail?: number;
}

export interface Scenario {
  id: number;
  /** The name the desk sends at login ([Rollout] Pilot, Exclude and the bucket read it). */
  name: string;
  version: string;
  declines: boolean;
  apps: string[];
  keepsAppsOpen: boolean;
  dropAt?: number;
  /** Setup fails on this desk: it reports the failure and keeps its version. */
  failsSetup: boolean;
}

export class FleetError extends Error {}

const MAX_CLIENTS = 100_000;

export function parseFleetSpec(spec: string): FleetEntry[] {
  return spec.startsWith('@') ? parseFleetFile(spec.slice(1)) : parseInlineFleet(spec);
}

/** `VERSION[:COUNT],...` only (no file): pure, so an input box may check what is typed. */
export function parseInlineFleet(spec: string): FleetEntry[] {
  const entries: FleetEntry[] = [];
  let column = 1;
  for (const raw of spec.split(',')) {
    const part = raw.trim();
    const at = column + raw.indexOf(part);
    if (part.length === 0) throw new FleetError(`--clients: empty item at column ${column}: write VERSION[:COUNT], comma-separated`);
    const colon = part.lastIndexOf(':');
    const version = colon === -1 ? part : part.slice(0, colon);
    const count = colon === -1 ? 1 : parseCount(part.slice(colon + 1), () => `--clients: "${printable(part)}" at column ${at}`);
    if (version.length === 0) throw new FleetError(`--clients: "${printable(part)}" at column ${at} has no version`);
    // A typo (`--clients foo`, `--clients fleet.csv`) is a usage error, not one desk that is
    // rejected; a desk that sends a bad version on purpose is a fleet file's row.
    if (!parseVersion(version)) throw new FleetError(`--clients: "${printable(version)}" at column ${at} is not a version: write VERSION[:COUNT],... (5.10.3:20,4.0:10) or @FILE for a fleet file`);
    entries.push({ version, count, decline: 0, apps: [], keepOpen: 0 });
    column += raw.length + 1;
  }
  return checkTotal(entries, '--clients');
}

function parseCount(text: string, where: () => string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw new FleetError(`${where()}: the count must be a whole number of at least 1, not "${printable(text)}"`);
  return Number(text);
}

function checkTotal(entries: FleetEntry[], where: string): FleetEntry[] {
  const total = entries.reduce((n, e) => n + e.count, 0);
  if (total === 0) throw new FleetError(`${where}: the fleet is empty`);
  if (total > MAX_CLIENTS) throw new FleetError(`${where}: ${total} clients is more than the ${MAX_CLIENTS} one run may simulate`);
  return entries;
}

/** The columns as the docs and the messages write them; a header matches them without regard to case. */
const COLUMN_NAMES = ['version', 'count', 'name', 'decline', 'apps', 'keepOpen', 'dropAt', 'fail'];
const COLUMNS = COLUMN_NAMES.map((c) => c.toLowerCase());

/** The protocol's limit on a login's name. */
export const MAX_NAME_LENGTH = 128;

/** CSV with a header: version,count[,name][,decline][,apps][,keepOpen][,dropAt][,fail]. */
export function parseFleetFile(path: string): FleetEntry[] {
  let bytes: Buffer;
  try {
    bytes = readBoundedSync(path);
  } catch (err) {
    throw new FleetError(cannotRead(`the fleet file ${path}`, err));
  }
  return parseFleetCsv(fleetText(bytes, path), path);
}

/**
 * The text of a fleet file: UTF-8 (with or without BOM), UTF-16 with a BOM,
 * or Windows-1252 as Excel's "CSV" writes it. Bytes that no text file holds
 * (NUL, control characters: an .xlsx, an executable) are refused by where
 * the first one is, never quoted.
 */
function fleetText(bytes: Uint8Array, path: string): string {
  const notText = (line: number, column: number, what: string): FleetError =>
    new FleetError(`${path}:${line}:${column}: ${what}: this is not a text file. A fleet file is a CSV (version,count,...) saved as text; save a spreadsheet as CSV first`);
  const hasBom = (bytes[0] === 0xef && bytes[1] === 0xbb) || (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  const nul = hasBom ? -1 : bytes.indexOf(0);
  if (nul !== -1) {
    const before = bytes.subarray(0, nul);
    const line = before.reduce((n, b) => n + (b === 10 ? 1 : 0), 1);
    throw notText(line, nul - before.lastIndexOf(10), 'byte 0x00');
  }
  const decoded = decodeBytes(bytes);
  if (decoded.error) throw new FleetError(`${path}: ${decoded.error}`);
  const text = decoded.text.replace(/^\uFEFF/, '');
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(text);
  if (control) {
    const before = text.slice(0, control.index);
    const line = before.split(/\r\n|\n|\r/).length;
    const column = control.index - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
    throw notText(line, column, `the control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  }
  return text;
}

/** One CSV line: cells split on commas outside double quotes ("" is a quote). */
export function splitCsvLine(line: string, where: string): { text: string; column: number }[] {
  const cells: { text: string; column: number }[] = [];
  let i = 0;
  for (;;) {
    const column = i + 1;
    let text = '';
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new FleetError(`${where}:${column}: a quoted cell has no closing quote`);
        if (line[i] === '"' && line[i + 1] === '"') {
          text += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else text += line[i++];
      }
      while (i < line.length && line[i] !== ',') {
        if (line[i] !== ' ' && line[i] !== '\t') throw new FleetError(`${where}:${i + 1}: unexpected text after a quoted cell`);
        i++;
      }
    } else {
      const end = line.indexOf(',', i);
      text = line.slice(i, end === -1 ? line.length : end).trim();
      i = end === -1 ? line.length : end;
    }
    cells.push({ text, column });
    if (i >= line.length) return cells;
    i++; // the comma
  }
}

export function parseFleetCsv(text: string, name = 'fleet'): FleetEntry[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[0].trim() === '') throw new FleetError(`${name}:1:1: the fleet file is empty; its first line must be a header such as version,count`);
  if (!lines[0].includes(',') && lines[0].includes(';')) throw new FleetError(`${name}:1:1: the header has no commas but semicolons: fleet files are comma-separated (version,count,...)`);
  const headerCells = splitCsvLine(lines[0], `${name}:1`);
  const header = headerCells.map((h) => h.text.toLowerCase());
  header.forEach((h, i) => {
    if (!COLUMNS.includes(h)) throw new FleetError(`${name}:1:${headerCells[i].column}: unknown column "${printable(h)}"; known: ${COLUMN_NAMES.join(', ')}`);
    if (header.indexOf(h) !== i) throw new FleetError(`${name}:1:${headerCells[i].column}: the column "${printable(h)}" appears twice`);
  });
  if (header[0] !== 'version' || !header.includes('count')) throw new FleetError(`${name}:1:1: the header must start with version and include count`);
  const entries: FleetEntry[] = [];
  // Names compare without regard to case, as the server compares them.
  const named = new Map<string, number>();
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n];
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const parsed = splitCsvLine(line, `${name}:${n + 1}`);
    const cells = parsed.map((c) => c.text);
    const at = (col: string): string => `${name}:${n + 1}:${parsed[header.indexOf(col)]?.column ?? line.length + 1}`;
    const cell = (col: string): string | undefined => (header.includes(col) ? cells[header.indexOf(col)] : undefined);
    if (cells.length > header.length) throw new FleetError(`${name}:${n + 1}:${parsed[header.length].column}: more cells than the header has columns`);
    const version = cell('version') ?? '';
    if (version === '') throw new FleetError(`${at('version')}: the version is empty`);
    const count = parseCount(cell('count') ?? '', () => at('count'));
    const deskName = cell('name') || undefined;
    if (deskName !== undefined) {
      // Room for the -001 suffix of a row of several desks.
      const longest = deskName.length + (count > 1 ? 1 + suffixWidth(count) : 0);
      if (longest > MAX_NAME_LENGTH) throw new FleetError(`${at('name')}: a desk name has at most ${MAX_NAME_LENGTH} characters (with its -NNN when the count is more than 1)`);
      const earlier = named.get(deskName.toLowerCase());
      if (earlier !== undefined) throw new FleetError(`${at('name')}: the name "${printable(deskName)}" is already used on line ${earlier}`);
      named.set(deskName.toLowerCase(), n + 1);
    }
    const fail = parseChance(cell('fail'), () => at('fail'));
    entries.push({
      version,
      count,
      ...(deskName !== undefined ? { name: deskName } : {}),
      decline: parseChance(cell('decline'), () => at('decline')),
      apps: (cell('apps') ?? '').split(';').map((a) => a.trim()).filter(Boolean),
      keepOpen: parseChance(cell('keepopen'), () => at('keepopen')),
      dropAt: parsePercent(cell('dropat'), () => at('dropat')),
      ...(fail > 0 ? { fail } : {}),
    });
  }
  return checkTotal(entries, name);
}


function parseChance(text: string | undefined, where: () => string): number {
  if (text === undefined || text === '') return 0;
  const t = text.toLowerCase();
  if (['yes', 'true', 'y'].includes(t)) return 1;
  if (['no', 'false', 'n'].includes(t)) return 0;
  const n = Number(t);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new FleetError(`${where()}: expected yes, no or a chance from 0 to 1, not "${printable(text)}"`);
  return n;
}

function parsePercent(text: string | undefined, where: () => string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text.replace(/%$/, ''));
  if (!Number.isFinite(n) || n <= 0 || n >= 100) throw new FleetError(`${where()}: dropAt is a percent of the download between 0 and 100 (exclusive), not "${printable(text)}"`);
  return n;
}

function suffixWidth(count: number): number {
  return Math.max(3, String(count).length);
}

/**
 * The name of each desk of a fleet, in fleet order (the simulator and the
 * planner both name desks by this): a row's name for one desk, NAME-001,
 * NAME-002... for several; a row without a name gives desk-NNN by the desk's
 * place in the whole fleet (desk-001 first), so `5.10.3:20` is desk-001 to desk-020.
 */
export function deskNames(entries: readonly FleetEntry[]): string[] {
  const total = entries.reduce((n, e) => n + e.count, 0);
  const width = suffixWidth(total);
  const names: string[] = [];
  for (const e of entries) {
    for (let i = 0; i < e.count; i++) {
      if (e.name === undefined) names.push(`desk-${String(names.length + 1).padStart(width, '0')}`);
      else names.push(e.count === 1 ? e.name : `${e.name}-${String(i + 1).padStart(suffixWidth(e.count), '0')}`);
    }
  }
  return names;
}

/** One scenario per client; the random choices are drawn here, from the seed. */
export function expandFleet(entries: readonly FleetEntry[], random: Random): Scenario[] {
  const out: Scenario[] = [];
  const names = deskNames(entries);
  for (const e of entries) {
    const fail = e.fail ?? 0;
    for (let i = 0; i < e.count; i++) {
      out.push({
        id: out.length + 1,
        name: names[out.length],
        version: e.version,
        declines: random() < e.decline,
        apps: e.apps,
        keepsAppsOpen: random() < e.keepOpen,
        dropAt: e.dropAt,
        // Drawn only when asked for, so that a fleet without failures draws
        // the same chances as before the column existed (same seed, same run).
        failsSetup: fail > 0 && random() < fail,
      });
    }
  }
  return out;
}
