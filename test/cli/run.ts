// nsupgrade as a user runs it: the bundled dist/cli.js (`npm run build` first)
// in its own process, colour off. The timeout turns a CLI that reads forever
// (/dev/zero) into a failed test, not a hung run.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function nsupgrade(...args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Bytes a terminal would act on or show as garbage: C0 controls but tab and newline, DEL, C1 controls, U+FFFD. */
export const GARBAGE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\uFFFD]/;
