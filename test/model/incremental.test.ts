// Issue 10, the second round of speed: an edit re-reads only the lines it
// touched and re-checks only what depends on them. Whatever the edits, the
// incremental result equals a fresh reading of the same text (property).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, byLowerBound, parseDocument, type Analysis, type IniDocument, type TextChange, type VersionSet } from '../../server/src/config';

/** The document as plain data (an entry names its section by where the header starts: no cycles). */
function plainDoc(doc: IniDocument): unknown {
  const where = (s: { headerSpan: { start: number } } | null): number | null => (s ? s.headerSpan.start : null);
  const entry = (e: IniDocument['orphanEntries'][number]) => ({ ...e, section: where(e.section) });
  return {
    text: doc.text,
    lines: doc.lines.map((l) => (l.kind === 'entry' ? { ...l, entry: entry(l.entry) } : l.kind === 'section' ? { ...l, section: where(l.section) } : l)),
    sections: doc.sections.map((s) => ({ ...s, entries: s.entries.map(entry) })),
    orphans: doc.orphanEntries.map(entry),
    syntaxDiagnostics: doc.syntaxDiagnostics,
  };
}

/**
 * The compact Patchable store as data: each item's numbers and the object made
 * from its text, and the order the redundancy sweep reads (carried over an
 * edit, sorted afresh by a full check).
 */
function plainSet(set: VersionSet): unknown {
  const items = [];
  for (let i = 0; i < set.size; i++) {
    items.push({ kind: set.kindOf(i), start: set.startOf(i), end: set.endOf(i), text: set.textOf(i), bounds: [set.loHigh(i), set.loLow(i), set.hiHigh(i), set.hiLow(i)], item: set.item(i) });
  }
  return { items, order: [...byLowerBound(set)] };
}

function plainAnalysis(a: Analysis): unknown {
  return {
    doc: plainDoc(a.doc),
    config: { ...a.config, upgrade: { ...a.config.upgrade, patchable: plainSet(a.config.upgrade.patchable) } },
    diagnostics: a.diagnostics,
    entries: [...a.entries].map(([k, e]) => [k, e.span]),
    sections: [...a.sections].map(([k, s]) => [k, s.headerSpan]),
  };
}

const piece = fc.constantFrom(
  '\n', '\r\n', '\r', '[Upgrade]', '[Server]\n', '[', ']', 'Patchable = ', '5.10.*, ', '5.11.1 - 5.11.99', ', ', ',', '>=5.12 <5.19',
  'CurrentVersion = 5.20.12\n', 'FullSetup = a.exe\n', 'PatchFile = b.exe\n', '; note\n', ' ; c', '"', '=', 'Mode = Forced\n', 'Mode', ' ', '\t', '🙂', 'x', '5', '.', '-', '[Rollout]\n', 'Pilot = a, b*, a\n', 'ForcedHours = Mon-Fri 18:00-07:00\n',
);
const text = fc.array(piece, { maxLength: 30 }).map((p) => p.join(''));
/** An edit as (start, length removed, inserted), applied to whatever the text is then. */
const edit = fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.array(piece, { maxLength: 3 }).map((p) => p.join('')));

function apply(t: string, [at, len, insert]: [number, number, string]): { text: string; change: TextChange } {
  const start = at % (t.length + 1);
  const oldEnd = Math.min(t.length, start + len);
  return { text: t.slice(0, start) + insert + t.slice(oldEnd), change: { start, oldEnd, newEnd: start + insert.length } };
}

/** Runs the edits one by one, each read both ways, and compares the two results as plain data. */
function afterEach<T>(initial: string, edits: [number, number, string][], fresh: (t: string) => T, incremental: (t: string, previous: T, change: TextChange) => T, plain: (r: T) => unknown): void {
  let t = initial;
  let result = fresh(t);
  for (const e of edits) {
    const next = apply(t, e);
    result = incremental(next.text, result, next.change);
    t = next.text;
    assert.deepStrictEqual(plain(result), plain(fresh(t)));
  }
}

test('reading only the lines an edit touched gives what a full reading gives (property)', () => {
  fc.assert(
    fc.property(text, fc.array(edit, { minLength: 1, maxLength: 6 }), (initial, edits) =>
      afterEach(initial, edits, (t) => parseDocument(t), (t, doc, change) => parseDocument(t, { doc, change }), plainDoc),
    ),
    { numRuns: 1500 },
  );
});

test('checking again after an edit gives what a full check gives (property)', () => {
  fc.assert(
    fc.property(text, fc.array(edit, { minLength: 1, maxLength: 6 }), (initial, edits) =>
      afterEach(initial, edits, (t) => analyze(t), (t, analysis, change) => analyze(t, { analysis, change }), plainAnalysis),
    ),
    { numRuns: 1000 },
  );
});

test('typing inside a long Patchable list: each keystroke checked again equals a full check (property)', () => {
  const items = fc.array(fc.constantFrom('5.10.3', '5.10.*', '5.11.1 - 5.11.99', '>=5.12 <5.19', '5.x', '', '4.*', '5.19.4', '6.0', '5.11.50'), { minLength: 5, maxLength: 40 });
  const typing = fc.array(fc.tuple(fc.nat(), fc.nat({ max: 4 }), fc.constantFrom('', ',', ', ', '5', '.', '1', ' - ', '*', '>=', '<', ' ', '\n', 'x')), { minLength: 1, maxLength: 12 });
  fc.assert(
    fc.property(items, typing, fc.constantFrom('\n', '\r\n'), (list, keys, eol) => {
      const head = `; x${eol}[Upgrade]${eol}CurrentVersion = 5.20.12${eol}FullSetup = a.exe${eol}PatchFile = b.exe${eol}Patchable = `;
      let t = `${head}${list.join(', ')}${eol}[Setup]${eol}RestartIfBusy = No${eol}`;
      let analysis = analyze(t);
      for (const [at, len, insert] of keys) {
        // Somewhere in the Patchable value (or just after it).
        const valueEnd = t.indexOf(eol, head.length);
        const start = head.length + (at % (valueEnd - head.length + 1));
        const next = apply(t, [start, len, insert]);
        analysis = analyze(next.text, { analysis, change: next.change });
        t = next.text;
        assert.deepStrictEqual(plainAnalysis(analysis), plainAnalysis(analyze(t)));
      }
    }),
    { numRuns: 500 },
  );
});
