// Everything the upgrade server does, as structured events: the VS Code tree
// view, the JSON-lines log and the console log all read these.
import { LineMap, type Diagnostic } from '../config';

export interface ConfigProblem {
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
}

/** Diagnostics with 1-based lines and columns (UTF-16 units, as the CLI prints them). */
export function toConfigProblems(text: string, diagnostics: readonly Diagnostic[], map = new LineMap(text)): ConfigProblem[] {
  return diagnostics.map((d) => {
    const p = map.positionAt(d.span.start);
    return { line: p.line + 1, column: p.character + 1, severity: d.severity, code: d.code, message: d.message };
  });
}

export type ServerEvent =
  | { type: 'listening'; host: string; port: number; config: string }
  | { type: 'connection'; id: number; remote: string }
  | { type: 'login'; id: number; version: string; name?: string }
  | { type: 'decision'; id: number; version: string; action: 'allow' | 'reject' | 'patch' | 'full'; reason: string; mode?: string; file?: string }
  | { type: 'queued'; id: number; position: number }
  | { type: 'transfer-start'; id: number; file: string; offset: number; size: number }
  | { type: 'transfer-progress'; id: number; file: string; sent: number; size: number }
  | { type: 'transfer-done'; id: number; file: string; bytes: number; ms: number }
  | { type: 'declined'; id: number }
  | { type: 'admitted'; id: number; reason: string }
  | { type: 'result'; id: number; previousVersion: string; newVersion?: string; outcome: string; errorCode?: string; downloadMs?: number }
  | { type: 'error'; id?: number; code: string; message: string }
  | { type: 'closed'; id: number; reason: string }
  | { type: 'config-reloaded'; config: string; currentVersion: string }
  | { type: 'config-rejected'; config: string; problems: ConfigProblem[] }
  | { type: 'stopped' };

/** A readable console line for an event. */
export function formatEvent(e: ServerEvent): string {
  switch (e.type) {
    case 'listening':
      return `listening on ${e.host}:${e.port} (config ${e.config})`;
    case 'connection':
      return `#${e.id} connected from ${e.remote}`;
    case 'login':
      return `#${e.id} login: version ${e.version}${e.name ? ` (${e.name})` : ''}`;
    case 'decision':
      return `#${e.id} ${e.version}: ${e.action} (${e.reason})${e.mode ? `, ${e.mode}` : ''}${e.file ? `, ${e.file}` : ''}`;
    case 'queued':
      return `#${e.id} waiting for a transfer slot, position ${e.position}`;
    case 'transfer-start':
      return `#${e.id} sending ${e.file} (${e.size} bytes${e.offset ? `, resuming at ${e.offset}` : ''})`;
    case 'transfer-progress':
      return `#${e.id} ${e.file}: ${e.sent}/${e.size} bytes`;
    case 'transfer-done':
      return `#${e.id} sent ${e.file}: ${e.bytes} bytes in ${e.ms} ms`;
    case 'declined':
      return `#${e.id} declined the optional upgrade`;
    case 'admitted':
      return `#${e.id} let in (${e.reason})`;
    case 'result':
      return `#${e.id} result: ${e.outcome} ${e.previousVersion} -> ${e.newVersion ?? '?'}${e.errorCode ? ` (${e.errorCode})` : ''}`;
    case 'error':
      return `${e.id !== undefined ? `#${e.id} ` : ''}error ${e.code}: ${e.message}`;
    case 'closed':
      return `#${e.id} closed (${e.reason})`;
    case 'config-reloaded':
      return `config reloaded: CurrentVersion ${e.currentVersion}`;
    case 'config-rejected':
      return `config change refused, the previous config stays in force:\n${e.problems.map((p) => `  ${e.config}:${p.line}:${p.column} ${p.severity} ${p.message} [${p.code}]`).join('\n')}`;
    case 'stopped':
      return 'stopped';
  }
}
