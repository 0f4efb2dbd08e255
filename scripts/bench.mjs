// Runs each bench/*.bench.ts (or those named) one after another, bundled by
// esbuild first so that what is measured is the code as it ships, not tsx's
// on-the-fly transform.
//   npm run bench [-- parse lsp ...]
import { build } from 'esbuild';
import { readdirSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const wanted = process.argv.slice(2);
const benches = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
// Bundles go two levels below this checkout (as bench/*.ts are), not into
// .cache (a link shared by worktrees): paths the benches derive from their
// own folder must lead to this checkout's dist/.
mkdirSync('dist/bench', { recursive: true });
let failed = 0;
for (const file of benches) {
  const out = `dist/bench/${file.replace(/\.ts$/, '.js')}`;
  await build({ entryPoints: [`bench/${file}`], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: out, logLevel: 'warning' });
  console.log(`\n## ${file}`);
  const r = spawnSync(process.execPath, ['--expose-gc', out], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
