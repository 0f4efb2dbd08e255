// Sections and keys of spec sections 4 and 7: for each key its type, default,
// allowed values, one-line doc, the reader of its value (with its messages)
// and where the value goes in UpgradeConfig. Reading, completion and hover all
// read this table: adding a key is adding one entry here.
import type { RolloutSettings, UpgradeConfig } from './types';
import {
  BOOLEAN_WORDS,
  readAddress,
  readBoolean,
  readChoice,
  readCommaList,
  readInteger,
  readRate,
  readServedPath,
  readSha256,
  readStatePath,
  readText,
  readVersionSet,
  readVersionValue,
  type ValueParser,
} from './values';
import { readNameList } from './names';
import { readWindows } from './windows';
import { readTimeZone } from './timeZones';

export { BOOLEAN_WORDS, parseBoolean } from './values';

export type ValueType =
  | 'integer'
  | 'boolean'
  | 'enum'
  | 'version'
  | 'versionSet'
  | 'path'
  | 'folder'
  | 'sha256'
  | 'address'
  | 'list'
  | 'rate'
  | 'statePath'
  | 'names'
  | 'windows'
  | 'timeZone';

export interface KeySchema<T = unknown> {
  name: string;
  section: string;
  type: ValueType;
  /** As it would be written; null when there is none. */
  default: string | null;
  required: boolean | 'when-patchable';
  allowed?: readonly string[];
  min?: number;
  max?: number;
  /** May the value be empty? (an empty Patchable is the empty set). */
  allowEmpty?: boolean;
  /** What a value looks like, for "has no value: give ...". */
  describe: string;
  doc: string;
  example?: string;
  /** Reads the trimmed value, reporting what is wrong; undefined keeps the default. */
  parse: ValueParser<T>;
  /** Puts a value that was read into the config. (A method: a table of keys of different T is one array.) */
  set(config: UpgradeConfig, value: T): void;
}

export interface SectionSchema {
  name: string;
  required: boolean;
  doc: string;
  keys: readonly KeySchema[];
  /** Called once when the file has this section, before its keys are read. */
  enter?(config: UpgradeConfig): void;
}

/** One entry of the table; T is inferred from `parse`, so `set` is checked against it. */
function key<T>(k: KeySchema<T>): KeySchema {
  return k;
}

// The value types a key can have, with their readers and descriptions.
const integer = (min: number, max: number) => ({ type: 'integer' as const, min, max, parse: readInteger(min, max), describe: `a number from ${min} to ${max}` });
const boolean = { type: 'boolean' as const, allowed: BOOLEAN_WORDS, parse: readBoolean, describe: 'Yes or No' };
const path = (example: string) => ({ type: 'path' as const, example, parse: readServedPath, describe: `a file name under FileRoot such as ${example}` });
const sha256 = { type: 'sha256' as const, parse: readSha256, describe: '64 hexadecimal digits' };
const names = { type: 'names' as const, allowEmpty: true, describe: 'a comma list of client names (* and ? allowed)' };

/** The rollout settings a `[Rollout]` section starts from (spec 7's defaults). */
export function defaultRollout(): RolloutSettings {
  return { pilot: [], exclude: [], percent: 100, maxPerHour: null, pauseAfterFailures: null, forcedHours: null, timeZone: null };
}

function rollout(config: UpgradeConfig): RolloutSettings {
  config.rollout ??= defaultRollout();
  return config.rollout;
}

export const SCHEMA: readonly SectionSchema[] = [
  {
    name: 'Server',
    required: false,
    doc: 'Where the upgrade server listens and where it finds the setup files.',
    keys: [
      key({ name: 'Port', section: 'Server', ...integer(1, 65535), default: '8767', required: false, doc: 'The TCP port Net Phone connects to at startup; upgrades are sent over the same port, so a client that can log in through a firewall can upgrade.', set: (c, v) => void (c.server.port = v) }),
      key({ name: 'Bind', section: 'Server', type: 'address', parse: readAddress, describe: 'an IP address or localhost', default: '127.0.0.1', required: false, doc: 'The address to listen on: an IP literal or localhost. 0.0.0.0 or :: serve the whole network.', set: (c, v) => void (c.server.bind = v) }),
      key({ name: 'FileRoot', section: 'Server', type: 'folder', parse: readText, describe: 'a value', default: '.', required: false, doc: 'The folder holding the setup files, relative to the folder of this .ini file. No file outside it is ever served.', set: (c, v) => void (c.server.fileRoot = v) }),
      key({ name: 'MaxTransfers', section: 'Server', ...integer(1, 10000), default: '4', required: false, doc: 'How many file transfers run at once; later clients wait in a queue and are told their place.', set: (c, v) => void (c.server.maxTransfers = v) }),
      key({ name: 'IdleTimeout', section: 'Server', ...integer(1, 3600), default: '30', required: false, doc: 'Seconds of silence after which a connection is closed.', set: (c, v) => void (c.server.idleTimeout = v) }),
      key({ name: 'MaxRate', section: 'Server', type: 'rate', parse: readRate, describe: 'a rate such as 50Mbit or 6MB', default: null, required: false, doc: 'The most all transfers together may send per second, so upgrades never starve the office\'s voice traffic: bit, Kbit, Mbit, Gbit (bits) or B, KB, MB, GB (bytes) per second, K, M, G being powers of 1000 (80Mbit = 10MB). No line: no cap.', example: '50Mbit', set: (c, v) => void (c.server.maxRate = v) }),
      key({ name: 'StateFile', section: 'Server', type: 'statePath', parse: readStatePath, describe: 'a file path, or None', default: 'upgrade-state.json', required: false, doc: 'Where the server keeps the rollout state (offers, failures, pause, the desks\' inventory) across restarts: relative to the folder of this .ini file, or absolute; its folder must exist. None: kept in memory only.', set: (c, v) => void (c.server.stateFile = v) }),
    ],
  },
  {
    name: 'Upgrade',
    required: true,
    doc: 'Which version is current, and what an out-of-date client receives at login.',
    keys: [
      key({ name: 'Enabled', section: 'Upgrade', ...boolean, default: 'Yes', required: false, doc: 'No: every client is allowed in and nothing is sent.', set: (c, v) => void (c.upgrade.enabled = v) }),
      key({ name: 'CurrentVersion', section: 'Upgrade', type: 'version', parse: readVersionValue, describe: 'a version such as 5.20.12', default: null, required: true, doc: 'The Net Phone version clients must have. Clients at this version or newer are let in; older ones are upgraded.', example: '5.20.12', set: (c, v) => void (c.upgrade.currentVersion = v) }),
      key({ name: 'Mode', section: 'Upgrade', type: 'enum', allowed: ['Forced', 'Optional'], parse: readChoice(['Forced', 'Optional'], 'invalid-mode'), describe: 'Forced or Optional', default: 'Forced', required: false, doc: 'Forced: the client shows "Upgrade in progress" and is not let in until it has upgraded. Optional: the user may decline and is let in on the old version.', set: (c, v) => void (c.upgrade.mode = v === 'Optional' ? 'optional' : 'forced') }),
      key({ name: 'FullSetup', section: 'Upgrade', ...path('Netphone_520.exe'), default: null, required: true, doc: 'The complete setup (Netphone_xxx.exe), sent to out-of-date clients that are not patchable. Relative to FileRoot.', set: (c, v) => void (c.upgrade.fullSetup = v) }),
      key({ name: 'FullSetupSha256', section: 'Upgrade', ...sha256, default: null, required: false, doc: 'The SHA-256 of FullSetup (64 hex digits). When present it must match the file, so a replaced file is never served by mistake.', set: (c, v) => void (c.upgrade.fullSetupSha256 = v) }),
      key({ name: 'PatchFile', section: 'Upgrade', ...path('NP_Update.exe'), default: null, required: 'when-patchable', doc: 'The patch (NP_Update.exe), sent to clients whose version is in Patchable. Relative to FileRoot. Required when Patchable is not empty.', set: (c, v) => void (c.upgrade.patchFile = v) }),
      key({ name: 'PatchFileSha256', section: 'Upgrade', ...sha256, default: null, required: false, doc: 'The SHA-256 of PatchFile (64 hex digits). When present it must match the file.', set: (c, v) => void (c.upgrade.patchFileSha256 = v) }),
      key({ name: 'Patchable', section: 'Upgrade', type: 'versionSet', parse: readVersionSet, describe: 'a value', default: '', required: false, allowEmpty: true, doc: 'The client versions that get the patch instead of the full setup: a comma list of versions (5.10.3), wildcards (5.10.*), ranges (5.10.1 - 5.10.99) and comparators (>=5.0 <5.10). Every item must stay below CurrentVersion.', set: (c, v) => void (c.upgrade.patchable = v) }),
    ],
  },
  {
    name: 'Setup',
    required: false,
    doc: 'How Setup behaves on the desk after the download.',
    keys: [
      key({ name: 'ConflictingApps', section: 'Setup', type: 'list', parse: readCommaList, describe: 'a value', default: 'Chat, DSS', required: false, allowEmpty: true, doc: 'Applications Setup asks the user to exit before upgrading (comma list).', set: (c, v) => void (c.setup.conflictingApps = v) }),
      key({ name: 'RestartIfBusy', section: 'Setup', ...boolean, default: 'Yes', required: false, doc: 'If the user keeps a conflicting application open, Setup completes the upgrade and restarts the PC.', set: (c, v) => void (c.setup.restartIfBusy = v) }),
    ],
  },
  {
    name: 'Rollout',
    required: false,
    doc: 'Who is offered the upgrade, and when: pilot desks first, then a share of the office; desks kept out; a cap per hour; a pause when upgrades fail; forced upgrades kept out of business hours.',
    enter: (c) => void rollout(c),
    keys: [
      key({ name: 'Pilot', section: 'Rollout', ...names, parse: (_v, ctx) => readNameList(ctx.entry, ctx.doc, ctx.name, ctx.report), default: '', required: false, doc: 'Client names always in the rollout, whatever Percent (comma list; * any run of characters, ? one character; case does not matter).', example: 'reception-01, pilot-*', set: (c, v) => void (rollout(c).pilot = v) }),
      key({ name: 'Exclude', section: 'Rollout', ...names, parse: (_v, ctx) => readNameList(ctx.entry, ctx.doc, ctx.name, ctx.report), default: '', required: false, doc: 'Client names never offered an upgrade (reason excluded); wins over Pilot.', example: 'operator-*', set: (c, v) => void (rollout(c).exclude = v) }),
      key({ name: 'Percent', section: 'Rollout', ...integer(0, 100), default: '100', required: false, doc: 'The share of the other clients in the rollout. Each desk has a fixed bucket 0-99 per CurrentVersion; raising Percent only adds desks.', set: (c, v) => void (rollout(c).percent = v) }),
      key({ name: 'MaxPerHour', section: 'Rollout', ...integer(1, 100000), default: null, required: false, doc: 'At most this many distinct clients are offered an upgrade in any 60 minutes; the others are let in (throttled) and asked again at their next login.', example: '30', set: (c, v) => void (rollout(c).maxPerHour = v) }),
      key({ name: 'PauseAfterFailures', section: 'Rollout', ...integer(1, 10000), default: null, required: false, doc: 'After this many failed upgrades of this CurrentVersion the rollout pauses (every client is let in) until it is resumed.', example: '3', set: (c, v) => void (rollout(c).pauseAfterFailures = v) }),
      key({ name: 'ForcedHours', section: 'Rollout', type: 'windows', parse: (_v, ctx) => readWindows(ctx.entry, ctx.doc, ctx.name, ctx.report), describe: 'windows such as Mon-Fri 18:00-07:00, Sat-Sun', default: null, required: false, doc: 'When Mode = Forced forces: comma list of DAYS, HH:MM-HH:MM or DAYS HH:MM-HH:MM (Mon-Fri 18:00-07:00, Sat-Sun), in TimeZone. At other times the upgrade is offered as optional. No line: always forced.', example: 'Mon-Fri 18:00-07:00, Sat-Sun', set: (c, v) => void (rollout(c).forcedHours = v) }),
      key({ name: 'TimeZone', section: 'Rollout', type: 'timeZone', parse: readTimeZone, describe: 'an IANA time zone such as Europe/Berlin', default: null, required: false, doc: 'The clock of ForcedHours: an IANA zone (Europe/Berlin, America/New_York) or UTC. No line: the server\'s own zone.', example: 'Europe/Berlin', set: (c, v) => void (rollout(c).timeZone = v) }),
    ],
  },
];

const sectionsByKey = new Map(SCHEMA.map((s) => [s.name.toLowerCase(), s]));
const keysBySection = new Map(
  SCHEMA.map((s) => [s.name.toLowerCase(), new Map(s.keys.map((k) => [k.name.toLowerCase(), k]))]),
);

export function findSection(name: string): SectionSchema | undefined {
  return sectionsByKey.get(name.toLowerCase());
}

export function findKey(section: string, key: string): KeySchema | undefined {
  return keysBySection.get(section.toLowerCase())?.get(key.toLowerCase());
}
