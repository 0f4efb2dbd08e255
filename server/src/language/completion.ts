// Completion: section names, missing keys with their docs and a default
// snippet, enum and boolean values, files under FileRoot; inside Patchable,
// patchableCompletion.ts. Nothing offered is something the checks would then
// reject.
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
} from 'vscode-languageserver-types';
import { findKey, findSection, SCHEMA, type KeySchema } from '../config';
import type { DocumentState } from './documentState';
import { cursorContext } from './context';
import { toRange } from './positions';
import { leadingBlank, patchableCompletion } from './patchableCompletion';
import { rolloutCompletion } from './rolloutCompletion';
import type { KnownClient } from './rolloutShare';

export interface CompletionEnv {
  /** File names (relative to FileRoot, '/'-separated) that FullSetup/PatchFile may name. */
  files: readonly string[];
  /** Client names for Pilot and Exclude: the workspace's fleet files, the running server's inventory. */
  clients?: readonly KnownClient[];
}

export function completion(state: DocumentState, offset: number, env: CompletionEnv = { files: [] }): CompletionList {
  const ctx = cursorContext(state, offset);
  const items: CompletionItem[] = [];
  const span = (start: number, end: number) => toRange(state.map, { start, end });
  const present = (sectionName: string): Set<string> => {
    const s = state.analysis.sections.get(sectionName.toLowerCase());
    return new Set(s ? s.entries.map((e) => e.key) : []);
  };

  if (ctx.kind === 'header') {
    const header = ctx.line.kind === 'section' ? ctx.line.section : null;
    const start = header ? header.headerSpan.start : state.text.indexOf('[', ctx.line.span.start);
    const end = header ? header.headerSpan.end : ctx.line.span.end;
    for (const s of SCHEMA) {
      if (state.analysis.sections.has(s.name.toLowerCase()) && ctx.section?.key !== s.name.toLowerCase()) continue;
      items.push({ label: `[${s.name}]`, kind: CompletionItemKind.Module, filterText: `[${s.name}]`, documentation: s.doc, textEdit: { range: span(start, end), newText: `[${s.name}]` } });
    }
    return { isIncomplete: false, items };
  }

  if (ctx.kind === 'key') {
    const schema = ctx.section ? findSection(ctx.section.name) : undefined;
    const editingKey = ctx.entry !== null;
    const end = ctx.entry ? ctx.entry.keySpan.end : offset;
    if (schema) {
      const have = present(schema.name);
      for (const k of schema.keys) {
        if (have.has(k.name.toLowerCase()) && ctx.entry?.key !== k.name.toLowerCase()) continue;
        items.push({
          label: k.name,
          kind: CompletionItemKind.Property,
          detail: `${k.type}${k.default ? `, default ${k.default}` : ''}${k.required === true ? ', required' : ''}`,
          documentation: { kind: MarkupKind.Markdown, value: k.doc },
          sortText: `${k.required === true ? '0' : '1'}${k.name}`,
          insertTextFormat: editingKey ? InsertTextFormat.PlainText : InsertTextFormat.Snippet,
          textEdit: { range: span(ctx.prefixStart, end), newText: editingKey ? k.name : `${k.name} = \${1:${snippetEscape(k.default ?? k.example ?? '')}}` },
        });
      }
    }
    if (!editingKey) {
      // A new section can start on any free line.
      for (const s of SCHEMA) {
        if (state.analysis.sections.has(s.name.toLowerCase())) continue;
        items.push({ label: `[${s.name}]`, kind: CompletionItemKind.Module, sortText: `9${s.name}`, documentation: s.doc, textEdit: { range: span(ctx.prefixStart, offset), newText: `[${s.name}]` } });
      }
    }
    return { isIncomplete: false, items };
  }

  if (ctx.kind !== 'value' || !ctx.section) return { isIncomplete: false, items };
  const key = findKey(ctx.section.name, ctx.entry.name);
  if (!key) return { isIncomplete: false, items };
  const entry = ctx.entry;
  if (key.type === 'versionSet') return patchableCompletion(state, offset, entry.valueSpan.start);
  if (key.section === 'Rollout') {
    const list = rolloutCompletion(state, offset, entry, key, env.clients ?? []);
    if (list) return list;
  }
  const valueStart = entry.rawValueSpan.start === entry.rawValueSpan.end ? offset : entry.rawValueSpan.start;
  const valueRange = span(valueStart, Math.max(offset, entry.rawValueSpan.end));
  // Asked right after "=" (a trigger character): the value goes after a blank.
  const lead = leadingBlank(state.text, valueStart);
  for (const value of valuesFor(key, state, env)) {
    items.push({ label: value.label, kind: value.kind, detail: value.detail, textEdit: { range: valueRange, newText: lead + value.label } });
  }
  return { isIncomplete: false, items };
}

function snippetEscape(s: string): string {
  return s.replace(/[$}\\]/g, (c) => `\\${c}`);
}

function valuesFor(key: KeySchema, state: DocumentState, env: CompletionEnv): { label: string; kind: CompletionItemKind; detail?: string }[] {
  switch (key.type) {
    case 'boolean':
      return ['Yes', 'No'].map((label) => ({ label, kind: CompletionItemKind.Value }));
    case 'enum':
      return (key.allowed ?? []).map((label) => ({ label, kind: CompletionItemKind.EnumMember }));
    case 'address':
      return [
        { label: '127.0.0.1', kind: CompletionItemKind.Value, detail: 'this machine only' },
        { label: '0.0.0.0', kind: CompletionItemKind.Value, detail: 'every network interface' },
        { label: '::1', kind: CompletionItemKind.Value, detail: 'this machine only, IPv6' },
        { label: 'localhost', kind: CompletionItemKind.Value },
      ];
    case 'integer':
      return key.default ? [{ label: key.default, kind: CompletionItemKind.Value, detail: 'default' }] : [];
    case 'path':
      return env.files.map((label) => ({ label, kind: CompletionItemKind.File }));
    case 'sha256': {
      const f = key.name === 'FullSetupSha256' ? state.loaded?.files.fullSetup : state.loaded?.files.patchFile;
      return f ? [{ label: f.sha256, kind: CompletionItemKind.Value, detail: `SHA-256 of ${f.relPath}` }] : [];
    }
    case 'list':
      return ['Chat', 'DSS', 'Chat, DSS'].map((label) => ({ label, kind: CompletionItemKind.Value }));
    default:
      return [];
  }
}
