// Settings that override the file (issue 11 item 2): VS Code's
// `nsupgrade.server.port` and `nsupgrade.server.bind` make the upgrade server
// started from the editor listen elsewhere than upgrade.ini says, while the
// real Net Phones connect where the file says. What the editor sends is read
// here, and said in the same words on the line (inlayHints.ts) and in hover.
import { lineOfOffset, type EntryNode, type SectionNode } from '../config';
import type { DocumentState } from './documentState';

/** The editor's settings that override `[Server]`: null where the file's value stands. */
export interface ServerOverrides {
  port: number | null;
  bind: string | null;
}

export const NO_OVERRIDES: ServerOverrides = { port: null, bind: null };

/** The settings' section the overrides live in, as `workspace/configuration` asks for it. */
export const OVERRIDES_SECTION = 'nsupgrade.server';

/**
 * The overrides in a `nsupgrade.server` settings object, as the extension
 * host reads them when it starts the server (commands/server.ts
 * `serverOverrides`): a port that is a whole number, a bind that is not
 * empty. Anything else (null, '', a wrong type) leaves the file's value.
 */
export function readOverrides(value: unknown): ServerOverrides {
  if (typeof value !== 'object' || value === null) return NO_OVERRIDES;
  const { port, bind } = value as { port?: unknown; bind?: unknown };
  return {
    port: typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535 ? port : null,
    bind: typeof bind === 'string' && bind !== '' ? bind : null,
  };
}

/** The overrides in a `workspace/didChangeConfiguration` payload, or undefined when it carries none (then ask). */
export function overridesInSettings(settings: unknown): ServerOverrides | undefined {
  if (typeof settings !== 'object' || settings === null) return undefined;
  const ns = (settings as { nsupgrade?: unknown }).nsupgrade;
  if (typeof ns !== 'object' || ns === null) return undefined;
  return readOverrides((ns as { server?: unknown }).server);
}

export function sameOverrides(a: ServerOverrides, b: ServerOverrides): boolean {
  return a.port === b.port && a.bind === b.bind;
}

export interface Override {
  key: 'Port' | 'Bind';
  setting: 'nsupgrade.server.port' | 'nsupgrade.server.bind';
  /** What the settings say, as text. */
  value: string;
  /** What the file says (its default when the line is missing), as text. */
  fileValue: string;
  /** The key's line in [Server], when the file has one. */
  entry: EntryNode | null;
  /** Whether the settings differ from the file (else they only pin the same value). */
  differs: boolean;
}

/** The keys the settings override in this document: Port, then Bind. */
export function overridesOf(state: DocumentState, overrides: ServerOverrides): Override[] {
  const server = state.analysis.config.server;
  const out: Override[] = [];
  if (overrides.port !== null) {
    const fileValue = String(server.port);
    out.push({ key: 'Port', setting: 'nsupgrade.server.port', value: String(overrides.port), fileValue, entry: state.analysis.entries.get('server.port') ?? null, differs: String(overrides.port) !== fileValue });
  }
  if (overrides.bind !== null) {
    out.push({ key: 'Bind', setting: 'nsupgrade.server.bind', value: overrides.bind, fileValue: server.bind, entry: state.analysis.entries.get('server.bind') ?? null, differs: overrides.bind !== server.bind });
  }
  return out;
}

/** The short words on the line: "overridden by settings: 8768". */
export function overrideLabel(o: Override): string {
  const what = o.differs ? 'overridden by settings' : 'pinned by settings';
  return o.entry ? `${what}: ${o.value}` : `${o.key} ${what}: ${o.value}`;
}

/** The whole story, for hover and the hint's tooltip. */
export function overrideText(o: Override): string {
  const shown = o.entry ? `${o.key} = ${o.fileValue}` : `${o.key} (not set here: the default, ${o.fileValue})`;
  if (!o.differs) return `The setting \`${o.setting}\` is \`${o.value}\` too: the upgrade server started from VS Code uses it, so a change of ${o.key} here has no effect there until the setting is cleared.`;
  const where = o.key === 'Port' ? `listens on port ${o.value}, not ${o.fileValue}` : `listens on ${o.value}, not ${o.fileValue}`;
  return `**Overridden by settings**: \`${o.setting}\` is \`${o.value}\`, so the upgrade server started from VS Code ${where}. This file says ${shown}, which is what Net Server and the Net Phones use. Clear the setting (Settings, or .vscode/settings.json) to serve what the file says.`;
}

/** Where the hint of an override goes: the end of its line; else the end of the [Server] header's line, else of the first header's. */
export function overrideAnchor(state: DocumentState, o: Override): number | null {
  if (o.entry) return o.entry.span.end;
  const sections: readonly SectionNode[] = state.analysis.doc.sections;
  const header = sections.find((s) => s.key === 'server') ?? sections[0];
  return header ? lineOfOffset(state.analysis.doc, header.headerSpan.start).span.end : null;
}
