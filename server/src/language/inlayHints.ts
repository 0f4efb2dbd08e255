// Inlay hints: a Port or Bind the editor's settings override, said on its
// line ("overridden by settings: 8768"), with the whole story in the
// tooltip (overrides.ts). Nothing else is hinted.
import { MarkupKind, type InlayHint, type Range } from 'vscode-languageserver-types';
import type { DocumentState } from './documentState';
import { overrideAnchor, overrideLabel, overridesOf, overrideText, type ServerOverrides } from './overrides';
import { toSpan } from './positions';

export function inlayHints(state: DocumentState, range: Range, overrides: ServerOverrides): InlayHint[] {
  const within = toSpan(state.map, range);
  const out: InlayHint[] = [];
  for (const o of overridesOf(state, overrides)) {
    const at = overrideAnchor(state, o);
    if (at === null || at < within.start || at > within.end) continue;
    out.push({ position: state.map.positionAt(at), label: overrideLabel(o), paddingLeft: true, tooltip: { kind: MarkupKind.Markdown, value: overrideText(o) } });
  }
  return out;
}
