// Bundles the three programs VS Code and the command line load. Each bundle is
// self-contained (nothing but `vscode` and Node built-ins is left external), so
// the .vsix needs no node_modules. The plan report's page script (and its CSS)
// is a browser bundle that the planner inlines into each report it writes.
import { build } from 'esbuild';
import { existsSync, chmodSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: process.argv.includes('--minify'),
  logLevel: 'warning',
  legalComments: 'none',
};

const entries = [
  { in: 'server/src/cli.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  { in: 'server/src/languageServer.ts', out: 'dist/languageServer.js' },
  { in: 'server/src/workbenchChild.ts', out: 'dist/workbench.js' },
  { in: 'client/src/extension.ts', out: 'dist/extension.js', external: ['vscode'] },
].filter((e) => existsSync(e.in));

await Promise.all(
  entries.map((e) =>
    build({
      ...common,
      entryPoints: [e.in],
      outfile: e.out,
      external: e.external ?? [],
      banner: e.banner ? { js: e.banner } : undefined,
    }),
  ),
);
// Minified always: it is copied into every report.
await build({
  entryPoints: ['server/src/plan/page/reportPage.ts'],
  outfile: 'dist/planReport.js',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  logLevel: 'warning',
  legalComments: 'none',
});
if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
