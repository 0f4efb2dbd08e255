// Sections and keys of spec section 4: type, default, allowed values and a
// one-line doc each. The checks, completion and hover all read this table.

export type ValueType = 'integer' | 'boolean' | 'enum' | 'version' | 'versionSet' | 'path' | 'folder' | 'sha256' | 'address' | 'list';

export interface KeySchema {
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
  doc: string;
  example?: string;
}

export interface SectionSchema {
  name: string;
  required: boolean;
  doc: string;
  keys: readonly KeySchema[];
}

export const BOOLEAN_WORDS = ['Yes', 'No', 'True', 'False', 'On', 'Off', '1', '0'] as const;
const TRUE_WORDS = new Set(['yes', 'true', 'on', '1']);
const FALSE_WORDS = new Set(['no', 'false', 'off', '0']);

export function parseBoolean(value: string): boolean | null {
  const v = value.toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  return null;
}

export const SCHEMA: readonly SectionSchema[] = [
  {
    name: 'Server',
    required: false,
    doc: 'Where the upgrade server listens and where it finds the setup files.',
    keys: [
      { name: 'Port', section: 'Server', type: 'integer', default: '8767', required: false, min: 1, max: 65535, doc: 'The TCP port Net Phone connects to at startup; upgrades are sent over the same port, so a client that can log in through a firewall can upgrade.' },
      { name: 'Bind', section: 'Server', type: 'address', default: '127.0.0.1', required: false, doc: 'The address to listen on: an IP literal or localhost. 0.0.0.0 or :: serve the whole network.' },
      { name: 'FileRoot', section: 'Server', type: 'folder', default: '.', required: false, doc: 'The folder holding the setup files, relative to the folder of this .ini file. No file outside it is ever served.' },
      { name: 'MaxTransfers', section: 'Server', type: 'integer', default: '4', required: false, min: 1, max: 10000, doc: 'How many file transfers run at once; later clients wait in a queue and are told their place.' },
      { name: 'IdleTimeout', section: 'Server', type: 'integer', default: '30', required: false, min: 1, max: 3600, doc: 'Seconds of silence after which a connection is closed.' },
    ],
  },
  {
    name: 'Upgrade',
    required: true,
    doc: 'Which version is current, and what an out-of-date client receives at login.',
    keys: [
      { name: 'Enabled', section: 'Upgrade', type: 'boolean', default: 'Yes', required: false, allowed: BOOLEAN_WORDS, doc: 'No: every client is allowed in and nothing is sent.' },
      { name: 'CurrentVersion', section: 'Upgrade', type: 'version', default: null, required: true, doc: 'The Net Phone version clients must have. Clients at this version or newer are let in; older ones are upgraded.', example: '5.20.12' },
      { name: 'Mode', section: 'Upgrade', type: 'enum', default: 'Forced', required: false, allowed: ['Forced', 'Optional'], doc: 'Forced: the client shows "Upgrade in progress" and is not let in until it has upgraded. Optional: the user may decline and is let in on the old version.' },
      { name: 'FullSetup', section: 'Upgrade', type: 'path', default: null, required: true, doc: 'The complete setup (Netphone_xxx.exe), sent to out-of-date clients that are not patchable. Relative to FileRoot.', example: 'Netphone_520.exe' },
      { name: 'FullSetupSha256', section: 'Upgrade', type: 'sha256', default: null, required: false, doc: 'The SHA-256 of FullSetup (64 hex digits). When present it must match the file, so a replaced file is never served by mistake.' },
      { name: 'PatchFile', section: 'Upgrade', type: 'path', default: null, required: 'when-patchable', doc: 'The patch (NP_Update.exe), sent to clients whose version is in Patchable. Relative to FileRoot. Required when Patchable is not empty.', example: 'NP_Update.exe' },
      { name: 'PatchFileSha256', section: 'Upgrade', type: 'sha256', default: null, required: false, doc: 'The SHA-256 of PatchFile (64 hex digits). When present it must match the file.' },
      { name: 'Patchable', section: 'Upgrade', type: 'versionSet', default: '', required: false, allowEmpty: true, doc: 'The client versions that get the patch instead of the full setup: a comma list of versions (5.10.3), wildcards (5.10.*), ranges (5.10.1 - 5.10.99) and comparators (>=5.0 <5.10). Every item must stay below CurrentVersion.' },
    ],
  },
  {
    name: 'Setup',
    required: false,
    doc: 'How Setup behaves on the desk after the download.',
    keys: [
      { name: 'ConflictingApps', section: 'Setup', type: 'list', default: 'Chat, DSS', required: false, allowEmpty: true, doc: 'Applications Setup asks the user to exit before upgrading (comma list).' },
      { name: 'RestartIfBusy', section: 'Setup', type: 'boolean', default: 'Yes', required: false, allowed: BOOLEAN_WORDS, doc: 'If the user keeps a conflicting application open, Setup completes the upgrade and restarts the PC.' },
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
