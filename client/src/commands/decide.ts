// Decide...: what a desk gets at login, answered as `nsupgrade decide` answers
// (spec section 6), by the language server (nsupgrade/decide) with the one
// decide() and the CLI's own formatter. Asks for the version (checked with
// the model's version reader as it is typed), and, when the config has a
// [Rollout] (where they change the answer), the desk's name and the time.
import * as vscode from 'vscode';
import { instantProblem, versionProblem } from './inputChecks';
import type { ConfigSummaries } from '../summaries';
import type { Node } from '../views/tree/node';
import { requestDecision } from '../whatIf';
import { pickConfig } from './pickConfig';

/** `arg`: a config's URI (editor, explorer), a row of the What If view (its version), or nothing (the palette). */
export async function decideCommand(summaries: ConfigSummaries, log: vscode.LogOutputChannel, shown: () => vscode.Uri | null, arg?: vscode.Uri | Node): Promise<void> {
  const row = arg && !(arg instanceof vscode.Uri) && arg.contextValue === 'whatIfRow' ? arg : undefined;
  const config = row ? (shown() ?? undefined) : await pickConfig(arg instanceof vscode.Uri ? arg : undefined);
  if (!config) return;
  const version = await vscode.window.showInputBox({
    title: 'Decide',
    prompt: 'The version the Net Phone client reports at login',
    placeHolder: 'e.g. 5.10.3',
    value: row?.label,
    validateInput: versionProblem,
  });
  if (version === undefined) return;
  const summary = summaries.get(config) ?? (await summaries.request(config).catch(() => null));
  let name = '';
  let at = '';
  if (summary?.rollout) {
    const n = await vscode.window.showInputBox({
      title: 'Decide: the desk',
      prompt: 'The name the desk sends at login ([Rollout] Pilot, Exclude and its bucket read it); empty: no name',
      placeHolder: 'e.g. desk-017',
    });
    if (n === undefined) return;
    name = n.trim();
    const t = await vscode.window.showInputBox({
      title: 'Decide: the time',
      prompt: 'When it logs in ([Rollout] ForcedHours): ISO 8601 with an offset or Z; empty: now',
      placeHolder: 'e.g. 2026-03-03T10:00+01:00',
      validateInput: instantProblem,
    });
    if (t === undefined) return;
    at = t.trim();
  }
  let answer;
  try {
    answer = await requestDecision(summaries, config, { version: version.trim(), name, ...(at ? { at } : {}) });
  } catch (err) {
    void vscode.window.showErrorMessage(`Decide: ${(err as Error).message}`);
    return;
  }
  const where = vscode.workspace.asRelativePath(config);
  if (!answer.ok) {
    const pick = await vscode.window.showErrorMessage(`Decide: ${answer.message}`, ...(summary && !summary.ok ? ['Open Problems'] : []));
    if (pick) await vscode.commands.executeCommand('workbench.actions.view.problems');
    return;
  }
  const lines = answer.text.trimEnd().split('\n');
  const [first, ...rest] = lines;
  const login = `${version.trim()}${name ? ` named ${JSON.stringify(name)}` : ''} at ${answer.at}`;
  log.info(`decide ${where}: ${login}`);
  for (const line of lines) log.info(`  ${line}`);
  // The answer as nsupgrade decide prints it: its first line, then the rest as the details.
  void vscode.window.showInformationMessage(first, { modal: true, detail: [...rest.map((l) => l.trim()), `(${where}: ${login})`].join('\n') });
}
