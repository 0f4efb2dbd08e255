// The layering of docs/architecture.md, checked on every import of the
// product code (read with the TypeScript compiler's own parser) and on what
// esbuild actually bundles into the extension host:
// - the library folders never import the command line (cli.ts, cli/);
// - the model (config/) imports nothing above it: only its own files and Node;
// - from outside config/, the model is reached through config/index.ts only;
// - the extension host (client/) takes from server code only types, the
//   shared view messages, and a short list of small pure helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..');
const LIBRARIES = ['config', 'language', 'upgrade', 'simulator', 'plan', 'views', 'workbench'].map((f) => `server/src/${f}/`);
/** Value imports the host may take from server code: small pure helpers (an input box's check). */
const HOST_HELPERS: Record<string, readonly string[]> = {
  'server/src/config/index.ts': ['parseVersion', 'parseInstant', 'parseRate', 'parseDuration'],
  'server/src/simulator/fleet.ts': ['parseInlineFleet'],
  'server/src/plan/pageHtml.ts': ['planPageHtml'],
  'server/src/views/plural.ts': ['plural'],
  'server/src/simulator/outcomes.ts': ['FAILED_OUTCOMES'],
};
/** Server modules the host may import whole: typed messages and constants, no behaviour. */
const HOST_SHARED = ['server/src/views/messages.ts'];

interface Import {
  from: string;
  /** Repository path of the target for a relative import; the bare specifier otherwise. */
  to: string;
  relative: boolean;
  /** Only types: erased at build time. */
  typeOnly: boolean;
  /** Value names imported (for named imports). */
  names: string[];
  line: number;
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...files(path));
    else if (name.endsWith('.ts')) out.push(path.split(sep).join('/'));
  }
  return out;
}

function resolveTarget(from: string, spec: string): string {
  const base = resolve(ROOT, dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    try {
      if (statSync(candidate).isFile()) return relative(ROOT, candidate).split(sep).join('/');
    } catch {
      // next candidate
    }
  }
  return relative(ROOT, base).split(sep).join('/');
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: Import[] = [];
  const add = (spec: string, node: ts.Node, typeOnly: boolean, names: string[]): void => {
    const rel = spec.startsWith('.');
    out.push({ from: file, to: rel ? resolveTarget(file, spec) : spec, relative: rel, typeOnly, names, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const values = clause?.isTypeOnly ? [] : (named ?? []).filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text);
      const whole = !clause || (!clause.isTypeOnly && (clause.name !== undefined || (clause.namedBindings !== undefined && ts.isNamespaceImport(clause.namedBindings))));
      add(node.moduleSpecifier.text, node, !whole && values.length === 0, whole ? ['*'] : values);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const values = node.isTypeOnly ? [] : node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text) : ['*'];
      add(node.moduleSpecifier.text, node, values.length === 0, values);
    } else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require')) && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      add(node.arguments[0].text, node, false, ['*']);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const all = [...files('server/src'), ...files('client/src')].flatMap(importsOf);
const where = (i: Import): string => `${i.from}:${i.line} imports ${i.to}`;
const isCli = (path: string): boolean => path === 'server/src/cli.ts' || path.startsWith('server/src/cli/');

test('the scan sees the imports (a scan that finds nothing would pass every rule)', () => {
  assert.ok(all.some((i) => i.from === 'server/src/languageServer.ts' && i.to === 'server/src/config/index.ts'));
  assert.ok(all.some((i) => i.from.startsWith('client/src/') && i.to === 'vscode'));
  assert.ok(all.some((i) => i.from === 'server/src/config/load.ts' && i.to === 'server/src/config/files.ts' && !i.typeOnly));
});

test('library folders never import the command line', () => {
  const bad = all.filter((i) => LIBRARIES.some((l) => i.from.startsWith(l)) && i.relative && isCli(i.to));
  assert.deepEqual(bad.map(where), []);
});

test('the model (config/) imports only its own files and Node built-ins', () => {
  const bad = all.filter((i) => i.from.startsWith('server/src/config/') && (i.relative ? !i.to.startsWith('server/src/config/') : !i.to.startsWith('node:')));
  assert.deepEqual(bad.map(where), []);
});

test('outside config/, the model is reached through config/index.ts only', () => {
  const bad = all.filter((i) => !i.from.startsWith('server/src/config/') && i.relative && i.to.startsWith('server/src/config/') && i.to !== 'server/src/config/index.ts');
  assert.deepEqual(bad.map(where), []);
});

test('the extension host takes from server code only types, the view messages and the listed pure helpers', () => {
  const bad = all.filter((i) => {
    if (!i.from.startsWith('client/src/') || !i.relative || !i.to.startsWith('server/') || i.typeOnly) return false;
    if (HOST_SHARED.includes(i.to)) return false;
    const allowed = HOST_HELPERS[i.to] ?? [];
    return i.names.some((n) => !allowed.includes(n));
  });
  assert.deepEqual(bad.map((i) => `${where(i)} { ${i.names.join(', ')} }`), []);
});

test('what esbuild bundles into the extension host holds no parser, checks, hashing, upgrade server or simulator', async () => {
  const result = await build({ entryPoints: [join(ROOT, 'client/src/extension.ts')], bundle: true, platform: 'node', format: 'cjs', write: false, outfile: join(ROOT, 'extension.js'), metafile: true, external: ['vscode'], logLevel: 'silent' });
  const [output] = Object.values(result.metafile.outputs);
  // Server files with code in the bundle (package.json's "sideEffects": false lets esbuild drop the rest).
  const server = Object.entries(output.inputs)
    .filter(([, v]) => v.bytesInOutput > 0)
    .map(([p]) => relative(ROOT, resolve(ROOT, p)).split(sep).join('/'))
    .filter((p) => p.startsWith('server/'));
  assert.ok(Object.keys(output.inputs).some((p) => p.endsWith('client/src/extension.ts')), 'the bundle was read');
  assert.deepEqual(server.sort(), ['server/src/config/chars.ts', 'server/src/config/units.ts', 'server/src/config/version.ts', 'server/src/plan/pageHtml.ts', 'server/src/simulator/fleet.ts', 'server/src/simulator/outcomes.ts', 'server/src/views/messages.ts', 'server/src/views/plural.ts']);
});

test('library folders install no process-wide handlers, never exit the process and never read its arguments', () => {
  // Signals, exit and argv belong to the programs (cli/, the child entries): a library runs inside them.
  const bad: string[] = [];
  for (const file of LIBRARIES.flatMap((l) => files(l))) {
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/\bprocess\s*\.\s*(on|once|addListener|prependListener|exit|argv)\b/.test(line)) bad.push(`${file}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(bad, []);
});

test('the commands live in cli/: no command file is left in a library folder', () => {
  const commandFiles = LIBRARIES.flatMap((l) => files(l)).filter((f) => /Command\.ts$/.test(f));
  assert.deepEqual(commandFiles, []);
});
