// The what-if table and Decide... ask the language server (views/whatIf.ts,
// views/decideAnswer.ts): the host draws the answers and decides nothing.
import type * as vscode from 'vscode';
import { DECIDE_REQUEST, WHAT_IF_REQUEST, type DecideParams, type DecideResult, type WhatIfTable } from '../../server/src/views/messages';
import type { ConfigSummaries } from './summaries';

/** Every version that matters for the config at `uri` and what each gets. */
export async function requestWhatIf(summaries: ConfigSummaries, uri: vscode.Uri): Promise<WhatIfTable> {
  const client = summaries.requireClient('The what-if table');
  return client.sendRequest<WhatIfTable>(WHAT_IF_REQUEST, { uri: client.code2ProtocolConverter.asUri(uri) });
}

/** One login's decision, worded as `nsupgrade decide` prints it. */
export async function requestDecision(summaries: ConfigSummaries, uri: vscode.Uri, login: Omit<DecideParams, 'uri'>): Promise<DecideResult> {
  const client = summaries.requireClient('Decide...');
  return client.sendRequest<DecideResult>(DECIDE_REQUEST, { uri: client.code2ProtocolConverter.asUri(uri), ...login });
}
