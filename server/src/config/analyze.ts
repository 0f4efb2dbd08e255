// Every check of spec sections 1-4 that needs no disk, and the effective
// configuration. Pure: the same text always gives the same Analysis, which is
// what lets the editor and the CLI agree to the letter.
import type {
  Diagnostic,
  EntryNode,
  Fix,
  IniDocument,
  SectionNode,
  UpgradeConfig,
  Version,
  VersionSetItem,
} from './types';
import { parseDocument, type TextChange } from './parser';
import { compareVersions } from './version';
import { describeItem, findRedundant } from './versionSet';
import { VersionSet, versionHigh, versionLow } from './versionSetStore';
import { findKey, findSection, SCHEMA, type KeySchema } from './schema';
import { valueError, type ReadMemo } from './values';
import { checkRollout } from './rolloutChecks';
import { suggest } from './suggest';
import {
  appendEdit,
  insertEntryEdit,
  lineOfOffset,
  removeLineEdit,
  removeLinesEdit,
  removeListItemEdit,
} from './edits';
import { applySuppressions, readSuppressions, type Suppressions } from './suppress';

export interface Analysis {
  doc: IniDocument;
  config: UpgradeConfig;
  /** Sorted by position; suppressions applied. */
  diagnostics: Diagnostic[];
  /** The entry in force for 'section.key' (lower case), e.g. 'upgrade.fullsetup'. */
  entries: Map<string, EntryNode>;
  /** The first header of each section (lower case name). */
  sections: Map<string, SectionNode>;
  suppressions: Suppressions;
  /** What the next check after an edit takes over (see analyze's `previous`). */
  memo: AnalysisMemo;
}

/** Work a check keeps for the next one: the values worth keeping, and the "did you mean" answers. */
export interface AnalysisMemo extends ReadMemo {
  suggestions: Map<string, string | undefined>;
  /** The unknown-section warning of each section node, with the guess it made (a node taken over keeps its warning). */
  unknownSections: Map<SectionNode, { guess: string | undefined; diagnostic: Diagnostic }>;
}

export function defaultConfig(): UpgradeConfig {
  return {
    server: { port: 8767, bind: '127.0.0.1', fileRoot: '.', maxTransfers: 4, idleTimeout: 30, maxRate: null, stateFile: 'upgrade-state.json' },
    upgrade: {
      enabled: true,
      currentVersion: null,
      mode: 'forced',
      fullSetup: null,
      fullSetupSha256: null,
      patchFile: null,
      patchFileSha256: null,
      patchable: new VersionSet(0),
    },
    setup: { conflictingApps: ['Chat', 'DSS'], restartIfBusy: true },
    rollout: null,
  };
}

const SECTION_NAMES = SCHEMA.map((s) => s.name);
const SECTION_LIST = `${SECTION_NAMES.slice(0, -1).map((n) => `[${n}]`).join(', ')} and [${SECTION_NAMES[SECTION_NAMES.length - 1]}]`;

/**
 * Every check of `text`. Given the previous analysis and the edit since, the
 * lines the edit did not touch are not read again and the big values (a
 * 20,000-item Patchable) are read again only around the edit; the previous
 * analysis is taken over and must not be used afterwards. The result is the
 * same as without `previous` (a property test checks it).
 */
export function analyze(text: string, previous?: { analysis: Analysis; change: TextChange }): Analysis {
  const doc = parseDocument(text, previous && { doc: previous.analysis.doc, change: previous.change });
  const memo: AnalysisMemo = {
    versionSets: new Map(),
    previous: previous && { versionSets: previous.analysis.memo.versionSets, change: previous.change },
    suggestions: previous?.analysis.memo.suggestions ?? new Map(),
    unknownSections: new Map(),
  };
  const unknownBefore = previous?.analysis.memo.unknownSections;
  const out: Diagnostic[] = [...doc.syntaxDiagnostics];
  const config = defaultConfig();
  const sections = new Map<string, SectionNode>();
  const entries = new Map<string, EntryNode>();

  const firstHeaders = new Map<string, SectionNode>();
  for (const section of doc.sections) if (!firstHeaders.has(section.key)) firstHeaders.set(section.key, section);
  for (const section of doc.sections) {
    if (section.name.length === 0) continue;
    const first = sections.get(section.key);
    if (first) {
      out.push(duplicateSection(doc, section, first));
      continue;
    }
    sections.set(section.key, section);
    const schema = findSection(section.name);
    if (!schema) {
      const guess = guessSection(section, firstHeaders, memo.suggestions);
      const kept = unknownBefore?.get(section);
      const diagnostic = kept && kept.guess === guess ? kept.diagnostic : unknownSection(section, guess);
      memo.unknownSections.set(section, { guess, diagnostic });
      out.push(diagnostic);
      continue;
    }
    schema.enter?.(config);
    const seen = new Map<string, EntryNode>();
    for (const entry of section.entries) {
      if (entry.name.length === 0) continue;
      const earlier = seen.get(entry.key);
      if (earlier) {
        out.push(duplicateKey(doc, entry, earlier, schema.name));
        continue;
      }
      seen.set(entry.key, entry);
      const key = findKey(schema.name, entry.name);
      if (!key) {
        out.push(unknownKey(doc, entry, schema.name, schema.keys.map((k) => k.name), section));
        continue;
      }
      entries.set(`${schema.name.toLowerCase()}.${entry.key}`, entry);
      readValue(doc, key, entry, config, out, memo);
    }
  }

  checkRequired(doc, sections, entries, config, out);
  checkPatchable(doc, entries, config, out);
  checkRollout(doc, entries, config, (d) => out.push(d));

  const suppressions = readSuppressions(doc);
  out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  delete memo.previous;
  return { doc, config, diagnostics: applySuppressions(doc, out, suppressions), entries, sections, suppressions, memo };
}

// ------------------------------------------------------------ sections and keys

function duplicateSection(doc: IniDocument, section: SectionNode, first: SectionNode): Diagnostic {
  const header = lineOfOffset(doc, section.headerSpan.start);
  const last = lineOfOffset(doc, section.span.end);
  return {
    code: 'duplicate-section',
    severity: 'error',
    span: section.nameSpan,
    message: `[${section.name}] appears twice: Windows would read the first, most INI readers the last. Merge the two into one [${first.name}] section`,
    related: [{ span: first.nameSpan, message: `[${first.name}] is first defined here` }],
    fixes: [{ title: `Remove this second [${section.name}] section`, edits: [removeLinesEdit(doc, header, last)] }],
  };
}

/** The known section an unknown one may be a typo of, unless that section is in the file already (a rename would make a duplicate). */
function guessSection(section: SectionNode, present: Map<string, SectionNode>, suggestions: Map<string, string | undefined>): string | undefined {
  // Kept across checks of one document: a 1 MB file has thousands of sections of its own.
  let suggestion = suggestions.get(section.name);
  if (suggestion === undefined && !suggestions.has(section.name)) {
    suggestion = suggest(section.name, SECTION_NAMES);
    if (suggestions.size > 10_000) suggestions.clear();
    suggestions.set(section.name, suggestion);
  }
  return suggestion && !present.has(suggestion.toLowerCase()) ? suggestion : undefined;
}

function unknownSection(section: SectionNode, guess: string | undefined): Diagnostic {
  return {
    code: 'unknown-section',
    severity: 'warning',
    span: section.nameSpan,
    message: guess
      ? `Unknown section [${section.name}]: did you mean [${guess}]? Its keys are ignored as written`
      : `Unknown section [${section.name}]: Net Server reads only ${SECTION_LIST}, so its keys are ignored`,
    fixes: guess ? [{ title: `Rename to [${guess}]`, edits: [{ span: section.nameSpan, newText: guess }], preferred: true }] : undefined,
  };
}

function duplicateKey(doc: IniDocument, entry: EntryNode, earlier: EntryNode, section: string): Diagnostic {
  return {
    code: 'duplicate-key',
    severity: 'error',
    span: entry.keySpan,
    message: `${entry.name} is set twice in [${section}]: Windows would take the first value, most INI readers the last. Keep one`,
    related: [{ span: earlier.keySpan, message: `${earlier.name} is first set here` }],
    fixes: [{ title: `Remove this second ${entry.name}`, edits: [removeLineEdit(doc, lineOfOffset(doc, entry.span.start))], preferred: true }],
  };
}

function unknownKey(doc: IniDocument, entry: EntryNode, section: string, known: string[], node: SectionNode): Diagnostic {
  const guess = suggest(entry.name, known);
  // Renaming to a key the section already has would only trade this warning
  // for a duplicate, whose fix could then delete the real value.
  const taken = guess !== undefined && node.entries.some((e) => e !== entry && e.key === guess.toLowerCase());
  const fixes: Fix[] | undefined = !guess
    ? undefined
    : taken
      ? [{ title: `Remove this line (${guess} is set already)`, edits: [removeLineEdit(doc, lineOfOffset(doc, entry.span.start))], preferred: true }]
      : [{ title: `Rename to ${guess}`, edits: [{ span: entry.keySpan, newText: guess }], preferred: true }];
  return {
    code: 'unknown-key',
    severity: 'warning',
    span: entry.keySpan,
    message: guess
      ? `Unknown key ${entry.name} in [${section}]: did you mean ${guess}?${taken ? ` ${guess} is set already in this section, and` : ''} as written it is ignored`
      : `Unknown key ${entry.name} in [${section}]: it is ignored. Known keys: ${known.join(', ')}`,
    fixes,
  };
}

// ------------------------------------------------------------------- values

/** Reads one entry through its schema entry: the reader reports, the setter fills the config. */
function readValue(doc: IniDocument, key: KeySchema, entry: EntryNode, config: UpgradeConfig, out: Diagnostic[], memo: ReadMemo): void {
  if (entry.value.length === 0 && !key.allowEmpty) {
    const dflt = key.default !== null ? ` (without the line, the default is ${key.default})` : '';
    out.push(valueError('empty-value', entry, `${key.name} has no value: give ${key.describe}${dflt}`));
    return;
  }
  const value = key.parse(entry.value, { doc, entry, name: key.name, report: (d) => out.push(d), memo });
  if (value !== undefined) key.set(config, value);
}

// ------------------------------------------------------------ required keys

function checkRequired(
  doc: IniDocument,
  sections: Map<string, SectionNode>,
  entries: Map<string, EntryNode>,
  config: UpgradeConfig,
  out: Diagnostic[],
): void {
  const upgrade = sections.get('upgrade');
  if (!upgrade) {
    out.push({
      code: 'missing-section',
      severity: 'error',
      span: { start: 0, end: 0 },
      message: 'There is no [Upgrade] section: it must say at least CurrentVersion and FullSetup',
      fixes: [{ title: 'Add an [Upgrade] section', edits: [appendEdit(doc, ['[Upgrade]', 'CurrentVersion = 1.0', 'FullSetup = Netphone_setup.exe'])], preferred: true }],
    });
    return;
  }
  const missing = (name: string, placeholder: string, why: string): void => {
    out.push({
      code: 'missing-key',
      severity: 'error',
      span: upgrade.nameSpan,
      message: `[Upgrade] has no ${name}: ${why}`,
      fixes: [{ title: `Add ${name} = ${placeholder}`, edits: [insertEntryEdit(doc, upgrade, `${name} = ${placeholder}`)], preferred: true }],
    });
  };
  if (!entries.has('upgrade.currentversion')) missing('CurrentVersion', '1.0', 'add the version clients must have, e.g. CurrentVersion = 5.20.12');
  if (!entries.has('upgrade.fullsetup')) missing('FullSetup', 'Netphone_setup.exe', 'add the complete setup sent to clients that cannot be patched, e.g. FullSetup = Netphone_520.exe');

  const patchable = entries.get('upgrade.patchable');
  const patchFile = entries.get('upgrade.patchfile');
  const hasPatchable = patchable !== undefined && patchable.value.trim().length > 0;
  if (hasPatchable && !patchFile) {
    out.push({
      code: 'missing-key',
      severity: 'error',
      span: patchable.keySpan,
      message: 'Patchable is set but there is no PatchFile to send those clients: add PatchFile = NP_Update.exe (the patch under FileRoot)',
      fixes: [{ title: 'Add PatchFile = NP_Update.exe', edits: [insertEntryEdit(doc, upgrade, 'PatchFile = NP_Update.exe')], preferred: true }],
    });
  }
  if (patchFile && !hasPatchable && config.upgrade.patchFile !== null) {
    out.push({
      code: 'patch-file-unused',
      severity: 'warning',
      span: patchFile.keySpan,
      message: 'PatchFile is set but Patchable is empty, so no client ever gets the patch: list the patchable versions in Patchable, or remove PatchFile',
    });
  }
}

// ---------------------------------------------------------------- Patchable

function checkPatchable(doc: IniDocument, entries: Map<string, EntryNode>, config: UpgradeConfig, out: Diagnostic[]): void {
  const entry = entries.get('upgrade.patchable');
  if (!entry) return;
  const set = config.upgrade.patchable;
  const current = config.upgrade.currentVersion;
  const currentEntry = entries.get('upgrade.currentversion');
  // Numbers only: objects are made for the items a diagnostic names.
  const TOP = 0xffffffff;
  const high = current ? versionHigh(current) : TOP;
  const low = current ? versionLow(current) : TOP;
  for (let i = 0; i < set.size; i++) {
    if (set.isEmpty(i)) {
      out.push(emptyItem(doc, entry, set.item(i)));
    } else if (set.compareHi(i, high, low) >= 0) {
      // Without a (valid) CurrentVersion an item with no upper bound is still
      // wrong: it matches every future version, whichever becomes current.
      const item = set.item(i);
      out.push(current ? reachesCurrent(doc, entry, item, current, currentEntry) : unbounded(item, currentEntry));
    }
  }
  // An item inside another is redundant even when the other is wrong itself
  // (`>=5.0, 5.1`): once `>=5.0` is bounded below, `5.1` still adds nothing.
  for (const { item, container } of findRedundant(set)) {
    const same = compareVersions(item.lo, container.lo) === 0 && compareVersions(item.hi, container.hi) === 0;
    out.push({
      code: 'redundant-patchable-item',
      severity: 'warning',
      span: item.span,
      message: same
        ? `"${item.text}" matches the same versions as "${container.text}": remove one`
        : `"${item.text}" is wholly inside "${container.text}" (${describeItem(container)}): it adds nothing, remove it`,
      related: [{ span: container.span, message: `"${container.text}" already covers it` }],
      fixes: [{ title: `Remove "${item.text}"`, edits: [removeListItemEdit(doc.text, item.span, entry.valueSpan)], preferred: true }],
    });
  }
}

function emptyItem(doc: IniDocument, entry: EntryNode, item: VersionSetItem): Diagnostic {
  const fixes: Fix[] = [];
  if (item.kind === 'range') {
    fixes.push({ title: `Swap the bounds: ${item.hi.text} - ${item.lo.text}`, edits: [{ span: item.span, newText: `${item.hi.text} - ${item.lo.text}` }], preferred: true });
  }
  fixes.push({ title: `Remove "${item.text}"`, edits: [removeListItemEdit(doc.text, item.span, entry.valueSpan)] });
  return {
    code: 'empty-range',
    severity: 'error',
    span: item.span,
    message:
      item.kind === 'range'
        ? `"${item.text}" matches no version: the lower bound ${item.lo.text} is above the upper bound ${item.hi.text}. Write the lower version first`
        : `"${item.text}" matches no version: its comparators contradict each other`,
    fixes,
  };
}

function unbounded(item: VersionSetItem, currentEntry: EntryNode | undefined): Diagnostic {
  return {
    code: 'patchable-reaches-current',
    severity: 'error',
    span: item.span,
    message: `"${item.text}" has no upper bound: it matches every future version, so whatever CurrentVersion is it matches it too, and a current client must never be patched. Give it an upper bound below CurrentVersion, e.g. >=5.0 <5.20`,
    related: currentEntry ? [{ span: currentEntry.rawValueSpan, message: 'CurrentVersion is not a valid version here' }] : undefined,
  };
}

function reachesCurrent(
  doc: IniDocument,
  entry: EntryNode,
  item: VersionSetItem,
  current: Version,
  currentEntry: EntryNode | undefined,
): Diagnostic {
  const wholly = compareVersions(item.lo, current) >= 0;
  const bounded = compareVersions(item.lo, { parts: [0, 0, 0, 0], text: '0' }) === 0 ? `<${current.text}` : `>=${item.lo.text} <${current.text}`;
  const fixes: Fix[] = wholly
    ? [{ title: `Remove "${item.text}"`, edits: [removeListItemEdit(doc.text, item.span, entry.valueSpan)], preferred: true }]
    : [{ title: `Bound it below CurrentVersion: ${bounded}`, edits: [{ span: item.span, newText: bounded }], preferred: true }];
  return {
    code: 'patchable-reaches-current',
    severity: 'error',
    span: item.span,
    message: wholly
      ? `"${item.text}" matches only CurrentVersion ${current.text} or newer: such clients are current and are never patched. Remove it`
      : `"${item.text}" also matches CurrentVersion ${current.text} or newer, which must never be patched: bound it below, e.g. ${bounded}`,
    related: currentEntry ? [{ span: currentEntry.rawValueSpan, message: `CurrentVersion is ${current.text}` }] : undefined,
    fixes,
  };
}
