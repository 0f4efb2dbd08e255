// FullSetup and PatchFile (and FileRoot) as links to the files themselves.
import { pathToFileURL } from 'node:url';
import type { DocumentLink } from 'vscode-languageserver-types';
import type { DocumentState } from './documentState';
import { toRange } from './positions';

export function documentLinks(state: DocumentState): DocumentLink[] {
  const loaded = state.loaded;
  if (!loaded) return [];
  const out: DocumentLink[] = [];
  const link = (key: string, path: string | undefined, tooltip: string): void => {
    const entry = state.analysis.entries.get(key);
    if (entry && path && entry.value.length > 0) out.push({ range: toRange(state.map, entry.valueSpan), target: pathToFileURL(path).toString(), tooltip });
  };
  link('upgrade.fullsetup', loaded.files.fullSetup?.absPath, 'Open the full setup file');
  link('upgrade.patchfile', loaded.files.patchFile?.absPath, 'Open the patch file');
  if (loaded.fileRoot) link('server.fileroot', loaded.fileRoot, 'Reveal FileRoot');
  return out;
}
