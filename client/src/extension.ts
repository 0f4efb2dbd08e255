// activate(): the language client, the upgrade server host, commands, views.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { UpgradeServerHost } from './upgradeServerHost';
import { UpgradeTree } from './views/configTree';
import { createStatusBar } from './views/statusBar';
import { createLanguageStatus } from './views/languageStatus';
import { UpgradeCodeLens } from './views/codeLens';
import { startServer, stopServer } from './commands/server';
import { simulateFleetCommand, simulateLoginCommand } from './commands/simulate';
import { newConfig, updateHashes } from './commands/files';
import { findConfigs, LANGUAGE_ID } from './commands/pickConfig';

let client: LanguageClient | undefined;
let host: UpgradeServerHost | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Net Server Upgrade', { log: true });
  context.subscriptions.push(log);

  // The language server, over IPC.
  const serverModule = context.asAbsolutePath(path.join('dist', 'languageServer.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: LANGUAGE_ID }],
    outputChannel: log,
  };
  client = new LanguageClient('nsupgrade', 'Net Server Upgrade', serverOptions, clientOptions);
  await client.start();

  // The upgrade server, in a child process, and what shows its state.
  host = new UpgradeServerHost(context.asAbsolutePath(path.join('dist', 'upgradeServer.js')));
  const tree = new UpgradeTree(host);
  const status = createStatusBar();
  const language = createLanguageStatus();
  context.subscriptions.push(status.item, language.item);
  status.update(host.state);
  const view = vscode.window.createTreeView('nsupgrade.view', { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(view);
  host.on('state', (s) => {
    status.update(s);
    language.update(tree.config, s);
    void vscode.commands.executeCommand('setContext', 'nsupgrade.serverRunning', s.kind === 'running');
    tree.refresh();
  });
  host.on('event', (e: { type: string }) => {
    log.trace(JSON.stringify(e));
    // Events can come by the thousand: the tree coalesces its refreshes.
    tree.refresh();
  });

  // Which config the views show: the active upgrade.ini, else the workspace's.
  const follow = async (doc?: vscode.TextDocument): Promise<void> => {
    if (doc && doc.languageId === LANGUAGE_ID && doc.uri.scheme === 'file') await tree.setConfig(doc.uri, doc.getText());
    else if (!tree.configPath) {
      const found = await findConfigs();
      await tree.setConfig(found[0] ?? null);
    }
    language.update(tree.config, host!.state);
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
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.languageId === LANGUAGE_ID && e.document.uri.fsPath === tree.configPath) void follow(e.document);
    }),
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (d.languageId === LANGUAGE_ID) void follow(d);
    }),
  );
  void follow(vscode.window.activeTextEditor?.document);

  const cmd = (id: string, fn: (...args: never[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  };
  cmd('nsupgrade.startServer', (uri?: vscode.Uri) => startServer(host!, log, uri));
  cmd('nsupgrade.stopServer', () => stopServer(host!, log));
  cmd('nsupgrade.restartServer', async (uri?: vscode.Uri) => {
    const running = host!.state.kind === 'running' ? vscode.Uri.file(host!.state.config) : uri;
    await stopServer(host!, log);
    await startServer(host!, log, running);
  });
  cmd('nsupgrade.simulateLogin', (uri?: vscode.Uri) => simulateLoginCommand(host!, tree, log, uri));
  cmd('nsupgrade.simulateFleet', (uri?: vscode.Uri) => simulateFleetCommand(host!, tree, log, uri));
  cmd('nsupgrade.newConfig', () => newConfig());
  cmd('nsupgrade.updateHashes', (uri?: vscode.Uri) => updateHashes(uri));
  cmd('nsupgrade.showLog', () => log.show());
  cmd('nsupgrade.refresh', () => follow(vscode.window.activeTextEditor?.document));

  context.subscriptions.push(vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, new UpgradeCodeLens()));
  void vscode.commands.executeCommand('setContext', 'nsupgrade.serverRunning', false);

  if (vscode.workspace.getConfiguration('nsupgrade.server').get<boolean>('autoStart', false)) {
    const found = await findConfigs();
    if (found.length === 1) void startServer(host, log, found[0]);
  }
}

export async function deactivate(): Promise<void> {
  // The server stops with the window.
  await host?.stop();
  await client?.stop();
}
