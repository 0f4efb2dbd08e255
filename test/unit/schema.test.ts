// The schema drives reading (issue 9): every key of the table, given a value
// other than its default, changes exactly one field of the effective config,
// its own; no key writes another's field (the old switch would have written
// restartIfBusy for any new boolean key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, defaultRollout, SCHEMA, VersionSet, type KeySchema } from '../../server/src/config';
import { UPGRADE } from './helpers';

/** A valid value other than the default, by type (and for Mode and the booleans, the other choice). */
function otherValue(key: KeySchema): string {
  switch (key.type) {
    case 'integer':
      return String(key.max === Number(key.default) ? key.min : key.max);
    case 'boolean':
      return /^(yes|true|on|1)$/i.test(key.default ?? '') ? 'No' : 'Yes';
    case 'enum':
      return (key.allowed ?? []).find((a) => a !== key.default) ?? '';
    case 'version':
      return '5.30';
    case 'versionSet':
      return '5.1';
    case 'path':
      return 'other.exe';
    case 'folder':
      return 'elsewhere';
    case 'sha256':
      return 'c'.repeat(64);
    case 'address':
      return '::1';
    case 'list':
      return 'Outlook';
    case 'rate':
      return '1MB';
    case 'statePath':
      return 'None';
    case 'names':
      return 'desk-1';
    case 'windows':
      return 'Sat';
    case 'timeZone':
      return 'UTC';
  }
}

/** Leaf paths (a.b.c) whose JSON differs between two values. */
function changed(a: unknown, b: unknown, path = ''): string[] {
  // A Patchable list is one value (compared as its JSON, the items), not a record of fields.
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b) && !(a instanceof VersionSet)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => changed((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
}

const camel = (name: string): string => name[0].toLowerCase() + name.slice(1);

test('each key of the schema, set to another valid value, changes exactly its own field of the config', () => {
  let count = 0;
  for (const section of SCHEMA) {
    const header = section.name === 'Upgrade' ? '' : `[${section.name}]\n`;
    for (const key of section.keys) {
      if (key.name === 'CurrentVersion' || key.name === 'FullSetup') continue; // required: UPGRADE sets them
      const line = `${key.name} = ${otherValue(key)}`;
      // keys of [Upgrade] go into UPGRADE's section; PatchFile wants a Patchable, Patchable a PatchFile
      const extra = key.name === 'PatchFile' ? 'Patchable = 5.1\n' : key.name === 'Patchable' ? 'PatchFile = p.exe\n' : '';
      const base = section.name === 'Upgrade' ? `${UPGRADE}${extra}` : `${UPGRADE}${header}`;
      const text = `${base}${line}\n`;
      const a = analyze(text);
      assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error'), [], text);
      const before = analyze(base).config;
      const diff = changed(before, a.config);
      const field = `${camel(section.name)}.${camel(key.name)}`;
      assert.equal(diff.length, 1, `${line}: changed ${diff.join(', ')}`);
      assert.ok(diff[0] === field || diff[0].startsWith(`${field}.`), `${line} wrote ${diff[0]}, not ${field}`);
      count++;
    }
  }
  assert.equal(count, SCHEMA.reduce((n, s) => n + s.keys.length, 0) - 2);
});

test('[Rollout] starts from the defaults of section 7 as soon as the section is there', () => {
  assert.deepEqual(analyze(`${UPGRADE}[Rollout]\n`).config.rollout, defaultRollout());
  assert.deepEqual(defaultRollout(), { pilot: [], exclude: [], percent: 100, maxPerHour: null, pauseAfterFailures: null, forcedHours: null, timeZone: null });
});

test('every key documents itself: a doc line and what its value looks like', () => {
  for (const s of SCHEMA) for (const k of s.keys) assert.ok(k.doc.length > 20 && k.describe.length > 3, `${s.name}.${k.name}`);
});
