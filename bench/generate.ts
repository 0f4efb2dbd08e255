// The benchmark input of ../shared/design/benchmarks.md: a deterministic
// (seeded) upgrade.ini of about 1 MB and 22,000 lines: 20,000 patchable ranges
// in one Patchable value, all below CurrentVersion and disjoint, and 2,000
// extra sections of ten keys each.
//   npx tsx bench/generate.ts OUT.ini
import { writeFileSync } from 'node:fs';

export function generateLargeConfig(seed = 42): string {
  let x = seed >>> 0 || 1;
  const rand = (n: number): number => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
  const items: string[] = [];
  for (let i = 0; i < 20000; i++) {
    // Major 1-9, minor by block: disjoint ranges of random width inside a block of 100.
    const major = 1 + Math.floor(i / 2500);
    const minor = Math.floor(i / 100) % 25;
    const base = (i % 100) * 100;
    items.push(`${major}.${minor}.${base} - ${major}.${minor}.${base + 1 + rand(98)}`);
  }
  const lines = [
    '; generated benchmark config',
    '[Server]',
    'Port = 8767',
    'FileRoot = files',
    '[Upgrade]',
    'CurrentVersion = 20.0',
    'Mode = Forced',
    'FullSetup = Netphone_2000.exe',
    'PatchFile = NP_Update.exe',
    `Patchable = ${items.join(', ')}`,
    '[Setup]',
    'ConflictingApps = Chat, DSS',
  ];
  for (let s = 0; s < 2000; s++) {
    lines.push(`[Site${s}]`);
    for (let k = 0; k < 10; k++) lines.push(`Desk${k} = host-${s}-${k}.example ; ${rand(1000)}`);
  }
  return `${lines.join('\n')}\n`;
}

// Run directly (not when bundled into a benchmark, where it is not the entry).
if (/generate\.[tj]s$/.test(process.argv[1] ?? '')) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: tsx bench/generate.ts OUT.ini');
    process.exit(2);
  }
  writeFileSync(out, generateLargeConfig());
}
