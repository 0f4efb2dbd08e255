// The language server over stdio, as an editor drives it:
//  - edit to published diagnostics on a 60-line file (goal p95 < 15 ms),
//  - completion inside Patchable on the generated 1 MB file (goal p95 < 30 ms).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompletionList } from 'vscode-languageserver-types';
import { LspClient } from '../test/lsp/harness';
import { generateLargeConfig } from './generate';
import { printFigure, summarize } from './lib';
import { tempDir } from '../test/tempDir';

function sixtyLines(): string {
  const lines = ['; benchmark config', '[Server]', 'Port = 8767', 'Bind = 127.0.0.1', 'FileRoot = files', 'MaxTransfers = 4', 'IdleTimeout = 30', '', '[Upgrade]', 'CurrentVersion = 5.20.12', 'Mode = Optional', 'FullSetup = Netphone_520.exe', 'PatchFile = NP_Update.exe', 'Patchable = 5.10.*, 5.11.1 - 5.11.99, >=5.12 <5.20', '', '[Setup]', 'ConflictingApps = Chat, DSS', 'RestartIfBusy = Yes'];
  while (lines.length < 60) lines.push(`; note ${lines.length}: which desks get what, and why`);
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const dir = tempDir('nsu-bench-lsp-');
  mkdirSync(join(dir, 'files'));
  writeFileSync(join(dir, 'files', 'Netphone_520.exe'), Buffer.alloc(1 << 20, 7));
  writeFileSync(join(dir, 'files', 'NP_Update.exe'), Buffer.alloc(1 << 16, 9));
  const client = await LspClient.start();
  try {
    const text = sixtyLines();
    const uri = client.open(join(dir, 'upgrade.ini'), text);
    await client.diagnostics(uri, 1);
    const times: number[] = [];
    for (let i = 0; i < 300; i++) {
      const edited = text.replace('Mode = Optional', i % 2 ? 'Mode = Optional' : 'Mode = Forced');
      const start = process.hrtime.bigint();
      const v = client.change(uri, edited);
      await client.diagnostics(uri, v);
      if (i >= 20) times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const edit = summarize(times);
    printFigure('LSP edit -> diagnostics, 60 lines, p95', edit.p95, 'ms', null, null, '< 15 ms');
    printFigure('LSP edit -> diagnostics, 60 lines, median', edit.median, 'ms', null, null);

    // A new item begun at the end of the 20,000-item list (`, `), where the admin types.
    const big = generateLargeConfig().replace(/^(Patchable = .*)$/m, '$1, ');
    const bigUri = client.open(join(dir, 'big.ini'), big);
    const openStart = process.hrtime.bigint();
    await client.diagnostics(bigUri, 1, 60000);
    printFigure('LSP open 1 MB file -> diagnostics', Number(process.hrtime.bigint() - openStart) / 1e6, 'ms', null, null);
    const patchLine = big.split('\n').findIndex((l) => l.startsWith('Patchable'));
    const lineText = big.split('\n')[patchLine];
    const positions = [
      { line: patchLine, character: lineText.length }, // a new item at the end of the 20,000-item list
      { line: patchLine, character: lineText.indexOf(' - ', 200_000) + 3 }, // inside a range, after "-"
      { line: patchLine + 2, character: 0 }, // a key in [Setup]
    ];
    const ctimes: number[] = [];
    for (let i = 0; i < 90; i++) {
      const start = process.hrtime.bigint();
      const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: bigUri }, position: positions[i % positions.length] });
      if (list.items.length === 0) throw new Error('completion returned nothing');
      if (i >= 9) ctimes.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const comp = summarize(ctimes);
    printFigure('LSP completion on the 1 MB file, p95', comp.p95, 'ms', null, null, '< 30 ms');
    printFigure('LSP completion on the 1 MB file, median', comp.median, 'ms', null, null);
  } finally {
    await client.stop();
  }
}

void main();
