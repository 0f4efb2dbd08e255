// How the config in force reads in the views (tree, status bar, language
// status): which file, loaded when, its CurrentVersion and short hash (both
// from the workbench child's snapshot), and, when the file on disk was refused
// since, that the server goes on with the snapshot it loaded. Wording only:
// the facts come computed from the child.
import type { ServerView } from '../../../server/src/views/messages';

/** 09:12:03 in the local time of the editor. */
export function clock(iso: string): string {
  const d = new Date(iso);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

function errors(n: number): string {
  return `${n} error${n === 1 ? '' : 's'}`;
}

/** "loaded at 09:12:03, CurrentVersion 5.20.12, config 1a2b3c4d". */
export function inForceLine(v: ServerView): string {
  const f = v.inForce;
  return `loaded at ${clock(f.loadedAt)}, CurrentVersion ${f.currentVersion || '(none)'}, config ${f.hash}`;
}

/** The last reload was refused: the file on disk (or a setup file) differs from what is served. */
export function refusedChange(v: ServerView): { at: string; errorCount: number; first: string | null } | null {
  const r = v.lastReload;
  if (!r || r.ok) return null;
  const p = r.problems?.[0];
  return { at: r.at, errorCount: r.errorCount ?? r.problems?.length ?? 0, first: p ? `${p.line}:${p.column} ${p.message}` : null };
}

/** "serving the snapshot loaded at 09:12:03; the change at 09:20:11 was refused: 1 error". */
export function refusedLine(v: ServerView): string | null {
  const r = refusedChange(v);
  if (!r) return null;
  return `serving the snapshot loaded at ${clock(v.inForce.loadedAt)}; the change at ${clock(r.at)} was refused: ${errors(r.errorCount)}`;
}

/** The lines of a tooltip about the config in force (status bar, tree). */
export function inForceTooltip(v: ServerView, name: string): string[] {
  const lines = [`Serving ${name} on ${v.host}:${v.port}: the config ${inForceLine(v)}.`];
  for (const f of v.inForce.files) lines.push(`${f.key} ${f.name}: ${f.size.toLocaleString('en-US')} bytes, SHA-256 ${f.sha256.slice(0, 12)}..., a private copy taken at load.`);
  const r = refusedChange(v);
  if (r) {
    lines.push(`The change at ${clock(r.at)} was refused (${errors(r.errorCount)}${r.first ? `: ${r.first}` : ''}).`);
    lines.push(`The config and setup files loaded at ${clock(v.inForce.loadedAt)} are served from the loaded snapshot until the file on disk is fixed.`);
  } else if (v.lastReload) lines.push(`The file on disk is the one in force (reloaded at ${clock(v.lastReload.at)}).`);
  else lines.push('The file on disk is the one in force.');
  return lines;
}
