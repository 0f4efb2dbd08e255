// The editor's Decide...: the decision for one login (spec section 5) by the
// model's one decide(), worded by the formatter `nsupgrade decide` prints
// with, so the editor and the command line answer alike. The login is a desk
// not yet counted (no offers in the last hour, no failures), as the CLI's
// defaults describe it. Pure: "now" comes in as an argument.
import { decide, parseInstant, type LoadedConfig, type Login } from '../config';
import { clientNameProblem, decisionJson, decisionText } from './decisionText';
import type { DecideParams, DecideResult } from './messages';
import { plural } from './plural';

export function decideAnswer(loaded: LoadedConfig, params: DecideParams, now: Date): DecideResult {
  if (typeof params.version !== 'string') return { ok: false, message: 'no client version given' };
  const name = params.name ?? '';
  const problem = typeof name === 'string' ? clientNameProblem(name) : 'must be text';
  if (problem) return { ok: false, message: `the client name ${problem}` };
  let at = now;
  if (params.at !== undefined && params.at !== '') {
    const ms = typeof params.at === 'string' ? parseInstant(params.at) : null;
    if (ms === null) return { ok: false, message: `the time must be ISO 8601 with an offset or Z, such as 2026-03-03T10:00+01:00, not "${String(params.at)}"` };
    at = new Date(ms);
  }
  if (!loaded.ok) {
    return { ok: false, message: `${loaded.path} has ${plural(loaded.errorCount, 'error')}: no decision is made on a config with errors` };
  }
  const login: Login = { version: params.version, name, at, rollout: { offeredLastHour: 0, alreadyOffered: false, failures: 0 } };
  const decision = decide(loaded.config, loaded.files, login);
  return { ok: true, decision, text: decisionText(decision, login, loaded.config), json: decisionJson(decision), at: at.toISOString() };
}
