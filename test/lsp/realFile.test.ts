// The example broken config, saved with CRLF line ends and non-ASCII text
// before the problems, driven over stdio as an editor would: the published
// diagnostics are the CLI's to the column, and applying the preferred quick
// fix of each problem in turn removes it until only problems without an
// obvious repair are left.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { applyEdits, LspClient } from './harness';
import { tempDir } from '../tempDir';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
let client: LspClient;
let dir: string;
let path: string;
let text: string;

before(async () => {
  dir = tempDir('nsu-lsp-real-');
  mkdirSync(join(dir, 'files'));
  for (const f of ['NP_Update.exe', 'Netphone_520.exe']) copyFileSync(join(ROOT, 'examples', 'files', f), join(dir, 'files', f));
  const broken = readFileSync(join(ROOT, 'examples', 'broken.ini'), 'utf8');
  // Non-ASCII (an umlaut and a surrogate pair) on the lines with problems, before them.
  text = broken
    .replace('Port = 87670', 'Port = 87670 ; Zürich 🙂')
    .replace('[Stup]', '; Büro 🙂\n[Stup] ; Zürich')
    .replace(/\r?\n/g, '\r\n');
  path = join(dir, 'upgrade.ini');
  client = await LspClient.start();
});

after(async () => {
  await client.stop();
});

interface CliDiagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

function cli(content: string): CliDiagnostic[] {
  writeFileSync(path, content);
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', path], { encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return JSON.parse(r.stdout) as CliDiagnostic[];
}

const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];
function asCli(d: Diagnostic): CliDiagnostic {
  return { line: d.range.start.line + 1, column: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1, severity: SEVERITY[d.severity ?? 1], code: String(d.code), message: d.message };
}
const fromCli = (c: CliDiagnostic): CliDiagnostic => ({ line: c.line, column: c.column, endLine: c.endLine, endColumn: c.endColumn, severity: c.severity, code: c.code, message: c.message });

test('diagnostics over LSP are the CLI\'s, to the UTF-16 column', async () => {
  const uri = client.open(path, text);
  const lsp = await client.diagnostics(uri, 1);
  assert.equal(lsp.length, 13);
  assert.deepEqual(lsp.map(asCli), cli(text).map(fromCli));
});

test('preferred quick fixes, applied one by one, each remove their problem', async () => {
  const uri = client.open(join(dir, 'upgrade.ini'), text);
  let diags = await client.diagnostics(uri, 1);
  let version = 1;
  const applied: string[] = [];
  for (let round = 0; round < 20; round++) {
    let target: { d: Diagnostic; fix: CodeAction } | null = null;
    for (const d of diags) {
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } });
      const fix = actions.find((a) => a.isPreferred && a.diagnostics?.[0]?.code === d.code);
      if (fix) {
        target = { d, fix };
        break;
      }
    }
    if (!target) break;
    const before = diags.filter((x) => x.code === target.d.code).length;
    text = applyEdits(text, target.fix.edit!.changes![uri]);
    version = client.change(uri, text);
    diags = await client.diagnostics(uri, version);
    applied.push(`${target.d.code}: ${target.fix.title}`);
    assert.equal(diags.filter((x) => x.code === target.d.code).length, before - 1, `"${target.fix.title}" removes one ${target.d.code}`);
  }
  assert.ok(applied.length >= 8, applied.join('\n'));
  // Left: only problems without an obvious repair, as the CLI sees the fixed file too.
  assert.deepEqual(diags.map((d) => d.code), ['number-out-of-range', 'network-bind', 'invalid-patchable-item'], applied.join('\n'));
  // PatchFile = NP_Patch.exe: the one setup of FileRoot close by name (issue 11 item 9).
  assert.ok(applied.includes('file-not-found: Use NP_Update.exe (in FileRoot)'), applied.join('\n'));
  assert.match(text, /\r\nPatchFile = NP_Update\.exe\r\n/);
  assert.deepEqual(diags.map(asCli), cli(text).map(fromCli));
  assert.ok(!/(^|[^\r])\n/.test(text), 'still CRLF throughout');
  assert.match(text, /Port = 87670 ; Zürich 🙂\r\n/);
  assert.match(text, /\r\n\[Setup\] ; Zürich\r\n/);
});
