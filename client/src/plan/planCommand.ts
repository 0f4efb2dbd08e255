// Plan Rollout...: pick the config, a fleet (a fleet file of the workspace or
// a typed VERSION:COUNT,... checked as `nsupgrade plan --clients` checks it),
// the start, the spread of the logins and the link (spec 9's defaults when
// left empty; the last answers offered again), then the Plan panel beside the
// editor. From the code lens it plans the remembered choice without asking.
import * as vscode from 'vscode';
import { parseDuration, parseRate } from '../../../server/src/config';
import { inlineFleetProblem } from '../commands/inputChecks';
import { pickConfig } from '../commands/pickConfig';
import { findFleetFiles, fleetFile, type PlanChoice, type PlanChoices } from './planChoice';

const TITLE = 'Plan Rollout';

interface FleetItem extends vscode.QuickPickItem {
  fleet?: string;
}

async function pickFleet(last: PlanChoice | undefined): Promise<string | undefined> {
  const files = await findFleetFiles();
  const lastFile = last ? fleetFile(last)?.toString() : undefined;
  const items: FleetItem[] = files
    .map((u): FleetItem => ({ label: `$(file) ${vscode.workspace.asRelativePath(u)}`, description: u.toString() === lastFile ? 'last used' : 'fleet file', fleet: `@${u.fsPath}` }))
    .sort((a, b) => Number(b.description === 'last used') - Number(a.description === 'last used'));
  const typed: FleetItem = { label: '$(edit) Type a fleet: VERSION:COUNT,...', description: last && !lastFile ? `last used: ${last.fleet}` : undefined };
  if (last && !lastFile) items.unshift(typed);
  else items.push(typed);
  const pick = await vscode.window.showQuickPick(items, { title: `${TITLE} (1/4): the fleet`, placeHolder: 'Which desks log in? A fleet file of the workspace, or a fleet typed as VERSION:COUNT,...' });
  if (!pick) return undefined;
  if (pick.fleet) return pick.fleet;
  const dflt = last && !lastFile ? last.fleet : vscode.workspace.getConfiguration('nsupgrade.simulation').get<string>('defaultFleet', '5.10.3:20,4.0:10,5.20.12:10');
  return vscode.window.showInputBox({
    title: `${TITLE} (1/4): the fleet`,
    prompt: 'The desks by version: VERSION[:COUNT],... (named desk-001, desk-002, ...)',
    value: dflt.startsWith('@') ? '' : dflt,
    validateInput: (v) => inlineFleetProblem(v.trim()),
  }).then((v) => v?.trim());
}

/** An input with the last answer (or the default) filled in; undefined: the user backed out. */
function ask(step: number, prompt: string, value: string, placeHolder: string, check: (v: string) => string | null): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title: `${TITLE} (${step}/4)`, prompt, value, placeHolder, validateInput: (v) => (v.trim() === '' ? null : check(v.trim())) });
}

/** The start's shape (the child reads it, with the config's TimeZone, and says what is wrong). */
function checkStart(v: string): string | null {
  return /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.test(v) ? null : 'An ISO 8601 time such as 2025-12-01T08:00 (in the config\'s TimeZone) or 2025-12-01T08:00+01:00; empty: next Monday 08:00';
}

/** Asks for every part of the choice, offering the last one; undefined when the user backed out. */
export async function askPlanChoice(last: PlanChoice | undefined): Promise<PlanChoice | undefined> {
  const fleet = await pickFleet(last);
  if (!fleet) return undefined;
  const start = await ask(2, "When the logins start: ISO 8601, without an offset in the config's TimeZone. Empty: next Monday 08:00", last?.start ?? '', 'next Monday 08:00', checkStart);
  if (start === undefined) return undefined;
  const loginsOver = await ask(3, 'The logins spread evenly over (90s, 15m, 2h). Empty or 0s: all at once', last?.loginsOver ?? '0s', '0s: all at once', (v) => {
    const d = parseDuration(v);
    return d.ok ? null : d.problem;
  });
  if (loginsOver === undefined) return undefined;
  const link = await ask(4, "The server's uplink, shared by the transfers (100Mbit, 12.5MB). Empty: [Server] MaxRate, else 1Gbit", last?.link ?? '', '[Server] MaxRate, else 1Gbit', (v) => {
    const r = parseRate(v);
    return r.ok ? null : r.problem;
  });
  if (link === undefined) return undefined;
  return { fleet, start: start.trim(), loginsOver: loginsOver.trim(), link: link.trim() };
}

/**
 * The command: `choice` given (the code lens) plans it at once; otherwise asks.
 * Returns the config and the choice to plan, remembered for the workspace.
 */
export async function planRolloutChoice(choices: PlanChoices, uri?: vscode.Uri, given?: PlanChoice): Promise<{ config: vscode.Uri; choice: PlanChoice } | undefined> {
  const config = await pickConfig(uri);
  if (!config) return undefined;
  const choice = given ?? (await askPlanChoice(choices.last));
  if (!choice) return undefined;
  await choices.remember(choice);
  return { config, choice };
}
