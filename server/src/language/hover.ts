// Hover: for a key its type, default, allowed values and meaning; for a
// Patchable item what it matches in plain words and what such a client
// receives; for the files, their size and SHA-256; in [Rollout],
// rolloutHover.ts.
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import { compareVersions, decide, describeItem, loginOf, findKey, findSection, formatVersion, type FileInfo } from '../config';
import type { DocumentState } from './documentState';
import { cursorContext } from './context';
import { toRange } from './positions';
import { rolloutHover } from './rolloutHover';
import type { KnownClient } from './rolloutShare';
import { overridesOf, overrideText, type ServerOverrides } from './overrides';

function md(value: string): Hover['contents'] {
  return { kind: MarkupKind.Markdown, value };
}

function fileLine(f: FileInfo | undefined): string {
  if (!f) return '';
  return `\n\n\`${f.relPath}\`: ${f.size.toLocaleString('en-US')} bytes, SHA-256 \`${f.sha256}\``;
}

export interface HoverEnv {
  /** Client names for [Rollout]: the workspace's fleet files, the running server's inventory. */
  clients?: readonly KnownClient[];
  /** When the hover is asked (a zone's clock is read at it). */
  now?: Date;
  /** The editor's settings that override [Server] Port and Bind (overrides.ts). */
  overrides?: ServerOverrides;
}

/** A Port or Bind the settings override: what that means, after the key's own text. */
function overrideNote(state: DocumentState, keyName: string, env: HoverEnv): string {
  if (!env.overrides) return '';
  const o = overridesOf(state, env.overrides).find((x) => x.key === keyName && x.entry !== null);
  return o ? `\n\n${overrideText(o)}` : '';
}

export function hover(state: DocumentState, offset: number, env: HoverEnv = {}): Hover | null {
  const ctx = cursorContext(state, offset);
  if (ctx.kind === 'header' && ctx.section) {
    const schema = findSection(ctx.section.name);
    if (!schema) return null;
    return { contents: md(`**[${schema.name}]**${schema.required ? ' (required)' : ''}\n\n${schema.doc}`), range: toRange(state.map, ctx.section.nameSpan) };
  }
  if ((ctx.kind !== 'key' && ctx.kind !== 'value') || !ctx.entry || !ctx.section) return null;
  const entry = ctx.entry;
  const key = findKey(ctx.section.name, entry.name);
  if (!key) return null;
  if (ctx.kind === 'key') {
    const lines = [`**${key.name}** (${key.type}${key.min !== undefined ? ` ${key.min}-${key.max}` : ''}) in [${key.section}]`, '', key.doc];
    if (key.default !== null && key.default !== '') lines.push('', `Default: \`${key.default}\``);
    if (key.required === true) lines.push('', 'Required.');
    if (key.allowed) lines.push('', `Allowed: ${key.allowed.map((a) => `\`${a}\``).join(', ')}`);
    return { contents: md(lines.join('\n') + (key.section === 'Server' ? overrideNote(state, key.name, env) : '')), range: toRange(state.map, entry.keySpan) };
  }
  if (key.section === 'Rollout') {
    const r = rolloutHover(state, offset, entry, key, { clients: env.clients ?? [], now: env.now ?? new Date() });
    return r ? { contents: md(r.text), range: toRange(state.map, r.span) } : { contents: md(`**${key.name}**: ${key.doc}`), range: toRange(state.map, entry.valueSpan) };
  }
  const files = state.loaded?.files;
  if (key.name === 'Patchable') {
    const set = state.analysis.config.upgrade.patchable;
    const index = set.indexAt(offset);
    if (index === -1) return null;
    const item = set.item(index);
    const lines = [`\`${item.text}\` matches **${describeItem(item)}**`];
    const current = state.analysis.config.upgrade.currentVersion;
    // Only an item wholly below CurrentVersion patches anyone; the others carry an error saying why.
    if (current && compareVersions(item.lo, item.hi) <= 0 && compareVersions(item.hi, current) < 0) {
      if (!state.analysis.config.upgrade.enabled) lines.push('', 'Upgrades are disabled (Enabled = No): such a client is let in on its version.');
      else if (state.loaded?.ok && files) {
        // Without [Rollout]: what such a client gets once the rollout reaches it (name, hour and share aside).
        const d = decide({ ...state.analysis.config, rollout: null }, files, loginOf(formatVersion(item.lo)));
        if (d.action === 'patch') lines.push('', `Such a client gets the patch \`${d.file}\` (${d.size.toLocaleString('en-US')} bytes, ${d.mode}).`);
      } else lines.push('', `Such a client gets the patch (PatchFile) and is brought to ${current.text}.`);
    }
    return { contents: md(lines.join('\n')), range: toRange(state.map, item.span) };
  }
  if (key.name === 'CurrentVersion') {
    const v = state.analysis.config.upgrade.currentVersion;
    if (!v) return null;
    return { contents: md(`Clients on **${formatVersion(v)}** (or newer) are let in; older ones are upgraded at login.${fileLine(files?.fullSetup)}`), range: toRange(state.map, entry.valueSpan) };
  }
  if (key.name === 'FullSetup' || key.name === 'PatchFile') {
    const f = key.name === 'FullSetup' ? files?.fullSetup : files?.patchFile;
    const what = key.name === 'FullSetup' ? 'The complete setup, sent to out-of-date clients that are not patchable.' : 'The patch, sent to clients whose version is in Patchable.';
    return { contents: md(`${what}${f ? fileLine(f) : state.loaded ? '\n\nThe file is not available (see the problem reported here).' : ''}`), range: toRange(state.map, entry.valueSpan) };
  }
  const note = key.section === 'Server' ? overrideNote(state, key.name, env) : '';
  return { contents: md(`**${key.name}**: ${key.doc}${note}`), range: toRange(state.map, entry.valueSpan) };
}
