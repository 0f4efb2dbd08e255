// activate(): commands first (they must exist even when the language server
// does not start), then the views, then the language client. The host is a
// view: the language server sends the config summaries the views draw; the
// workbench child runs the upgrade server and the simulations and sends a
// state snapshot a few times a second.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { WorkbenchHost, type HostState } from './workbenchHost';
import { UpgradeTree } from './views/configTree';
import { createStatusBar } from './views/statusBar';
import { createLanguageStatus } from './views/languageStatus';
import { UpgradeCodeLens } from './views/codeLens';
import { serverMenu, startServer, stopServer } from './commands/server';
import { restartServer } from './commands/restart';
import { createServerLog } from './views/serverLog';
import { simulateFleetCommand, simulateLoginCommand } from './commands/simulate';
import { newConfig, updateHashes } from './commands/files';
import { findConfigs, LANGUAGE_ID } from './commands/pickConfig';
import { ConfigSummaries } from './summaries';
import { registerPlanning } from './plan/register';
import { KNOWN_CLIENTS_NOTIFICATION, type WorkbenchState } from '../../server/src/views/messages';
import { InventoryFollower, knownNames } from './inventory';
import { INVENTORY_SCHEME, InventoryDocuments, resumeRollout, showInventory } from './commands/rollout';
import { pausedStatus } from './views/tree/rolloutNode';

let client: LanguageClient | undefined;
let host: WorkbenchHost | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Net Server Upgrade', { log: true });
  context.subscriptions.push(log);
  const summaries = new ConfigSummaries();
  context.subscriptions.push(summaries);

  // The upgrade server and the simulations, in a child process forked on first use.
  const server = new WorkbenchHost(context.asAbsolutePath(path.join('dist', 'workbench.js')));
  host = server;
  const tree = new UpgradeTree(server, summaries);
  // The running server's own log (its events at their levels), apart from this one.
  const serverLog = createServerLog(server);
  context.subscriptions.push(serverLog);

  const cmd = (id: string, fn: (...args: never[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  };
  cmd('nsupgrade.startServer', (uri?: vscode.Uri) => startServer(server, log, uri));
  cmd('nsupgrade.stopServer', () => stopServer(server, log));
  cmd('nsupgrade.restartServer', (uri?: vscode.Uri) => restartServer(server, log, uri));
  cmd('nsupgrade.serverMenu', () => serverMenu(server));
  cmd('nsupgrade.simulateLogin', (uri?: vscode.Uri) => simulateLoginCommand(server, tree, summaries, log, uri));
  cmd('nsupgrade.simulateFleet', (uri?: vscode.Uri) => simulateFleetCommand(server, tree, summaries, log, uri));
  cmd('nsupgrade.newConfig', () => newConfig());
  cmd('nsupgrade.updateHashes', (uri?: vscode.Uri) => updateHashes(summaries, uri));
  cmd('nsupgrade.showLog', () => log.show());
  cmd('nsupgrade.showServerLog', () => serverLog.show());
  // The rollout (spec 8): resume after a pause on failures; every client the server knows.
  const inventoryDocs = new InventoryDocuments();
  context.subscriptions.push(inventoryDocs, vscode.workspace.registerTextDocumentContentProvider(INVENTORY_SCHEME, inventoryDocs));
  cmd('nsupgrade.resumeRollout', () => resumeRollout(server, log));
  cmd('nsupgrade.showInventory', () => showInventory(server, inventoryDocs));
  cmd('nsupgrade.refresh', () => follow(vscode.window.activeTextEditor?.document, true));
  void vscode.commands.executeCommand('setContext', 'nsupgrade.serverRunning', false);
  void vscode.commands.executeCommand('setContext', 'nsupgrade.rolloutPaused', false);

  const status = createStatusBar();
  const language = createLanguageStatus();
  context.subscriptions.push(status.item, language.item);
  status.update(server.state);
  const view = vscode.window.createTreeView('nsupgrade.view', { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(view);
  context.subscriptions.push(vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, new UpgradeCodeLens(summaries, server)));
  registerPlanning(context, server, summaries, log);

  /** The language status shows the active upgrade.ini, else the one the tree shows. */
  const showStatus = (): void => {
    const active = vscode.window.activeTextEditor?.document;
    const summary = active?.languageId === LANGUAGE_ID ? (summaries.get(active.uri) ?? null) : tree.config;
    const st = server.state;
    const view = st.kind === 'running' ? server.snapshot.servers.find((v) => v.config === st.config) : undefined;
    language.update(summary, server.state, summaries.failure, view);
  };
  server.on('state', (s: HostState) => {
    status.update(s, server.snapshot);
    showStatus();
    void vscode.commands.executeCommand('setContext', 'nsupgrade.serverRunning', s.kind === 'running');
    tree.refresh();
  });
  server.on('snapshot', (s: WorkbenchState) => {
    // The activity goes to the server's own log (views/serverLog.ts).
    status.update(server.state, s);
    showStatus();
    tree.refresh();
    showPause(s);
  });
  // Paused or not: the status bar says so, and Resume Rollout is offered only then.
  let paused = false;
  const showPause = (s: WorkbenchState): void => {
    const st = server.state;
    const view = st.kind === 'running' ? s.servers.find((v) => v.config === st.config) : undefined;
    status.paused(view ? pausedStatus(view.rollout, view.rolloutPausedAt) : null);
    const now = view?.rollout.paused === true;
    if (now !== paused) void vscode.commands.executeCommand('setContext', 'nsupgrade.rolloutPaused', now);
    paused = now;
  };
  server.on('state', () => showPause(server.snapshot));
  // The served config's inventory: the tree lists its clients, and the
  // language server offers their names in Pilot and Exclude (cleared when it stops).
  const inventory = new InventoryFollower(server);
  context.subscriptions.push({ dispose: () => inventory.dispose() });
  let namesSent: string | null = null;
  const sendNames = (): void => {
    const names = knownNames(inventory.current?.clients ?? []);
    const key = names.join('\n');
    if (key === namesSent || !client?.isRunning()) return;
    namesSent = key;
    void client.sendNotification(KNOWN_CLIENTS_NOTIFICATION, { names }).catch(() => undefined);
  };
  inventory.on('changed', () => {
    tree.inventory = inventory.current;
    tree.refresh();
    sendNames();
  });
  summaries.onDidChange(() => showStatus());

  // Which config the views show: the active upgrade.ini, else the workspace's.
  const follow = async (doc?: vscode.TextDocument, again = false): Promise<void> => {
    if (doc && doc.languageId === LANGUAGE_ID && doc.uri.scheme === 'file') await tree.setConfig(doc.uri);
    else if (!tree.configUriShown || again) await tree.setConfig(tree.configUriShown ?? (await findConfigs())[0] ?? null);
    showStatus();
  };
  const glob = (doc: vscode.TextDocument): void => {
    // Files matched by the nsupgrade.files setting are upgrade.ini files too.
    if (doc.languageId === LANGUAGE_ID || doc.uri.scheme !== 'file') return;
    const globs = vscode.workspace.getConfiguration('nsupgrade').get<string[]>('files', []);
    if (globs.some((g) => vscode.languages.match({ pattern: g }, doc) > 0)) void vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
  };
  vscode.workspace.textDocuments.forEach(glob);
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(glob),
    vscode.window.onDidChangeActiveTextEditor((e) => void follow(e?.document)),
    // A closed config is read from disk again (and watched there) by the language server.
    vscode.workspace.onDidCloseTextDocument((d) => {
      // Its editor versions end with it: opened again it starts at version 1,
      // whose summaries must not lose to the old ones (the tree went stale).
      if (d.languageId === LANGUAGE_ID) summaries.forget(d.uri);
      if (d.uri.toString() === tree.configUriShown?.toString()) void summaries.request(d.uri).catch(() => undefined);
    }),
  );

  // The language server, over IPC, last: commands and views already work without it.
  const serverModule = context.asAbsolutePath(path.join('dist', 'languageServer.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: LANGUAGE_ID }],
    outputChannel: log,
    initializationOptions: { configGlobs: vscode.workspace.getConfiguration('nsupgrade').get<string[]>('files', []) },
  };
  let started = false;
  const failed = (why: string): void => {
    if (summaries.failure) return;
    summaries.failure = why;
    log.error(`the upgrade.ini language server did not start: ${why}`);
    showStatus();
    tree.refresh();
    void vscode.window
      .showErrorMessage('The upgrade.ini language server did not start: no checks, completion or Config view. Starting and simulating the upgrade server still work.', 'Show Log')
      .then((pick) => pick && log.show());
  };
  // A server that dies before it ever answered is not restarted (it would die
  // again): say so once. After a good start, a crash restarts it as usual.
  let restarts: ReturnType<LanguageClient['createDefaultErrorHandler']> | undefined;
  clientOptions.errorHandler = {
    error: (error, message, count) => (started && restarts ? restarts.error(error, message, count) : { action: ErrorAction.Shutdown, handled: true }),
    closed: () => {
      if (started && restarts) return restarts.closed();
      failed('it exited before it answered');
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };
  const lc = new LanguageClient('nsupgrade', 'Net Server Upgrade', serverOptions, clientOptions);
  client = lc;
  restarts = lc.createDefaultErrorHandler(4);
  summaries.attach(lc);
  // A language server that (re)starts knows no inventory names yet: send them.
  context.subscriptions.push(
    lc.onDidChangeState((e) => {
      if (e.newState !== State.Running) return;
      namesSent = null;
      sendNames();
    }),
  );
  await follow(vscode.window.activeTextEditor?.document);
  // Not awaited: activation (and with it every command) never waits on the language server.
  lc.start().then(
    () => {
      started = true;
      // Summaries asked for while it started were answered from nothing: ask again.
      void follow(vscode.window.activeTextEditor?.document, true);
    },
    (err: unknown) => failed(err instanceof Error ? err.message : String(err)),
  );

  if (vscode.workspace.getConfiguration('nsupgrade.server').get<boolean>('autoStart', false)) {
    const found = await findConfigs();
    if (found.length === 1) void startServer(server, log, found[0]);
  }
}

export async function deactivate(): Promise<void> {
  // The server and any simulation stop with the window.
  await host?.dispose();
  await client?.stop().catch(() => undefined);
}
