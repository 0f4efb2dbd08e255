// What the language server asks the editor to watch: the upgrade.ini files
// themselves and the FileRoots the checked configs name, nothing else (a
// build writing into the workspace must not re-validate every open config).
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FileSystemWatcher } from 'vscode-languageserver';

/** The globs of config files (the editor's `nsupgrade.files` may add more). */
export const CONFIG_GLOBS = ['**/upgrade.ini', '**/*.upgrade.ini'];

export function watchers(configGlobs: readonly string[], fileRoots: Iterable<string>, relativePatterns: boolean): FileSystemWatcher[] {
  const out: FileSystemWatcher[] = [...new Set(configGlobs)].map((g) => ({ globPattern: g }));
  for (const root of [...new Set(fileRoots)].filter(Boolean).sort()) {
    out.push({ globPattern: relativePatterns ? { baseUri: pathToFileURL(root).toString(), pattern: '**/*' } : `${root.split(sep).join('/')}/**/*` });
  }
  return out;
}

/** One watch target: a config, its own path on disk (null: untitled), its FileRoot and its setup files (as named and as found). */
export interface Watched {
  uri: string;
  path: string | null;
  fileRoot: string;
  files?: readonly string[];
}

/**
 * The folders the server watches itself when the editor cannot (folderWatch.ts):
 * each config's folder (its FileRoot may appear there), its FileRoot, and the
 * folders of its setup files. Never a whole tree.
 */
export function foldersToWatch(targets: readonly Watched[]): string[] {
  const out = new Set<string>();
  for (const t of targets) {
    if (t.path) out.add(dirname(t.path));
    if (t.fileRoot) out.add(t.fileRoot);
    for (const f of t.files ?? []) out.add(dirname(f));
  }
  return [...out].sort();
}

/** The configs a change to `changed` (absolute paths) concerns: their own file, or a file under their FileRoot. */
export function affected(changed: readonly string[], targets: readonly Watched[]): string[] {
  return targets.filter((t) => changed.some((p) => p === t.path || (t.fileRoot !== '' && inside(t.fileRoot, p)))).map((t) => t.uri);
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
