// Plan Rollout... in VS Code (issue 13): the command, the Plan panel and the
// code lens over [Rollout], wired in one place so activate() calls one line.
import * as vscode from 'vscode';
import type { ConfigSummaries } from '../summaries';
import type { WorkbenchHost } from '../workbenchHost';
import { LANGUAGE_ID } from '../commands/pickConfig';
import { PlanChoices, type PlanChoice } from './planChoice';
import { planRolloutChoice } from './planCommand';
import { PLAN_COMMAND, PlanLens } from './planLens';
import { PlanPanel } from './planPanel';

export function registerPlanning(context: vscode.ExtensionContext, host: WorkbenchHost, summaries: ConfigSummaries, log: vscode.LogOutputChannel): void {
  const choices = new PlanChoices(context.workspaceState);
  const lens = new PlanLens(summaries, host, choices);
  context.subscriptions.push(
    choices,
    lens,
    vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, lens),
    vscode.commands.registerCommand(PLAN_COMMAND, async (uri?: vscode.Uri, given?: PlanChoice) => {
      // From the editor's menus the argument is the file's URI, from the tree's Rollout row its node;
      // from the code lens also the choice.
      const choice = given && typeof given === 'object' && typeof given.fleet === 'string' ? given : undefined;
      const picked = await planRolloutChoice(choices, uri instanceof vscode.Uri ? uri : undefined, choice);
      if (picked) PlanPanel.show(context.extensionUri, host, log, picked.config, picked.choice);
    }),
    { dispose: () => PlanPanel.closeAll() },
  );
}
