// Model diagnostics as LSP diagnostics: the very list `nsupgrade check`
// prints, with codes, related places and a link to the docs of each code
// (`codeDescription`: the code's anchor in docs/upgrade-ini.md).
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic as LspDiagnostic } from 'vscode-languageserver-types';
import type { Diagnostic, Severity } from '../config';
import type { DocumentState } from './documentState';
import { toRange } from './positions';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The diagnostics in force for a state: with the file checks when they ran. */
export function modelDiagnostics(state: DocumentState): Diagnostic[] {
  return state.loaded ? state.loaded.diagnostics : state.analysis.diagnostics;
}

export function toLspDiagnostics(state: DocumentState, docs?: string): LspDiagnostic[] {
  return modelDiagnostics(state).map((d) => toLspDiagnostic(state, d, docs));
}

/** `docs`: the URL of docs/upgrade-ini.md; each code links to its anchor there. */
export function toLspDiagnostic(state: DocumentState, d: Diagnostic, docs?: string): LspDiagnostic {
  const out: LspDiagnostic = {
    range: toRange(state.map, d.span),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'nsupgrade',
    message: d.message,
  };
  if (docs) out.codeDescription = { href: `${docs}#${d.code}` };
  if (d.code === 'redundant-patchable-item' || d.code === 'patch-file-unused') out.tags = [DiagnosticTag.Unnecessary];
  if (d.related?.length) {
    out.relatedInformation = d.related.map((r) => ({ location: { uri: state.uri, range: toRange(state.map, r.span) }, message: r.message }));
  }
  return out;
}
