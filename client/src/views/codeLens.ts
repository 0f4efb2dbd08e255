// Over [Upgrade]: start the server, simulate a login.
import * as vscode from 'vscode';

export class UpgradeCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    for (let i = 0; i < document.lineCount; i++) {
      if (/^\s*\[\s*upgrade\s*\]/i.test(document.lineAt(i).text)) {
        const range = new vscode.Range(i, 0, i, 0);
        return [
          new vscode.CodeLens(range, { title: '$(play) Start upgrade server', command: 'nsupgrade.startServer', arguments: [document.uri] }),
          new vscode.CodeLens(range, { title: '$(beaker) Simulate login', command: 'nsupgrade.simulateLogin', arguments: [document.uri] }),
        ];
      }
    }
    return [];
  }
}
