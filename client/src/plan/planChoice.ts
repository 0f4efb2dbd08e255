// What Plan Rollout... plans with: the fleet, the start, the spread of the
// logins and the link, as the user typed them, remembered per workspace
// (workspaceState) for the next Plan Rollout, the panel's re-plans and the
// [Rollout] code lens. Rates and durations are read by the model's own
// parseRate / parseDuration (as `nsupgrade plan` reads its flags); the
// start and the fleet are read by the workbench child, which says what is wrong.
import * as vscode from 'vscode';
import { parseDuration, parseRate } from '../../../server/src/config';
import type { PlanRunOptions } from '../../../server/src/views/planMessages';

export interface PlanChoice {
  /** `@/absolute/fleet.csv` or `VERSION:COUNT,...`. */
  fleet: string;
  /** As --start; '' for spec 9's default (next Monday 08:00 in the config's TimeZone). */
  start: string;
  /** As --logins-over; '' or '0s': all at once. */
  loginsOver: string;
  /** As --link; '' for [Server] MaxRate, else 1Gbit. */
  link: string;
}

const KEY = 'nsupgrade.plan.choice';

/** A fleet file of the choice (to re-plan when it is saved), or null for a typed spec. */
export function fleetFile(choice: PlanChoice): vscode.Uri | null {
  return choice.fleet.startsWith('@') ? vscode.Uri.file(choice.fleet.slice(1)) : null;
}

/** The fleet in words: the file's path in the workspace, or the spec. */
export function fleetLabel(choice: PlanChoice): string {
  const file = fleetFile(choice);
  return file ? vscode.workspace.asRelativePath(file) : choice.fleet;
}

/** The typed options of the child's 'plan' request, or what is wrong with one. */
export function runOptions(config: vscode.Uri, choice: PlanChoice): { ok: true; options: PlanRunOptions } | { ok: false; problem: string } {
  const options: PlanRunOptions = { config: config.fsPath, clients: choice.fleet };
  if (choice.start.trim()) options.start = choice.start.trim();
  if (choice.loginsOver.trim()) {
    const d = parseDuration(choice.loginsOver.trim());
    if (!d.ok) return { ok: false, problem: `The spread of the logins: ${d.problem}` };
    options.loginsOverSeconds = d.value;
  }
  if (choice.link.trim()) {
    const r = parseRate(choice.link.trim());
    if (!r.ok) return { ok: false, problem: `The link: ${r.problem}` };
    options.linkBytesPerSecond = r.value;
  }
  return { ok: true, options };
}

export class PlanChoices implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PlanChoice>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  get last(): PlanChoice | undefined {
    const c = this.state.get<PlanChoice>(KEY);
    return c && typeof c.fleet === 'string' ? c : undefined;
  }

  async remember(choice: PlanChoice): Promise<void> {
    await this.state.update(KEY, choice);
    this.changed.fire(choice);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The workspace's fleet files (*.csv). */
export function findFleetFiles(): Thenable<vscode.Uri[]> {
  return vscode.workspace.findFiles('**/*.csv', '**/node_modules/**', 200);
}
