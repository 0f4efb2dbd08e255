// New upgrade.ini (a commented template) and Update File Hashes (the hash
// fixes the language server's file checks carry, applied as one edit).
import * as vscode from 'vscode';
import type { ConfigSummaries } from '../summaries';
import { LANGUAGE_ID, pickConfig } from './pickConfig';

export const TEMPLATE = `; Net Server automatic upgrades for Net Phone.
; Clients on CurrentVersion or newer are let in; older ones are upgraded at login:
; the patch when their version is in Patchable, else the full setup.

[Server]
; The normal Net Server port: upgrades travel over it too.
Port = 8767
; 127.0.0.1 serves this machine only; 0.0.0.0 serves the network.
Bind = 127.0.0.1
; Where the setup files are, relative to this file.
FileRoot = .
MaxTransfers = 4
IdleTimeout = 30

[Upgrade]
Enabled = Yes
CurrentVersion = 5.20.12
; Forced: "Upgrade in progress", not let in until upgraded. Optional: users may decline.
Mode = Forced
FullSetup = Netphone_520.exe
PatchFile = NP_Update.exe
; Versions that get the patch: 5.10.3, 5.10.*, 5.10.1 - 5.10.99, >=5.0 <5.10
Patchable = 5.10.*

[Setup]
; Setup asks the user to exit these before upgrading.
ConflictingApps = Chat, DSS
; If the user keeps them open, restart the PC after upgrading.
RestartIfBusy = Yes
`;

export async function newConfig(): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: TEMPLATE });
  await vscode.window.showTextDocument(doc);
}

export async function updateHashes(summaries: ConfigSummaries, uri?: vscode.Uri): Promise<void> {
  const target = await pickConfig(uri);
  if (!target) return;
  await vscode.workspace.openTextDocument(target);
  let edits: vscode.TextEdit[];
  try {
    edits = await summaries.hashEdits(target);
  } catch (err) {
    void vscode.window.showErrorMessage((err as Error).message);
    return;
  }
  if (edits.length === 0) {
    void vscode.window.showInformationMessage('The file hashes are already up to date (or the files are missing).');
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.set(target, edits);
  await vscode.workspace.applyEdit(edit);
  const count = edits.length;
  const dirty = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString())?.isDirty ?? false;
  void vscode.window.showInformationMessage(`Updated ${count} file hash${count === 1 ? '' : 'es'}${dirty ? '. Save to keep them.' : '.'}`);
}
