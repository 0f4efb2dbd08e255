// Starts a real VS Code (code-server, from .cache/) on 127.0.0.1 with our
// .vsix installed and a folder open; stops it with its whole process group
// (the extension host outlives its parent otherwise).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const CODE_SERVER = join(ROOT, '.cache', 'code-server-4.100.3', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** Installs Debian's chromium and code-server into .cache on first use. */
export function ensureEnvironment(): void {
  // Test files may run side by side (more than 2 cores): one installs, the
  // others wait on the lock and then find it installed.
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  const r = spawnSync('flock', [join(ROOT, '.cache', 'ensure.lock'), process.execPath, join(ROOT, 'scripts', 'vscode', 'ensure.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('could not set up code-server and chromium (see the message above)');
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

export interface RunningCodeServer {
  url: string;
  port: number;
  userDataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'remote.autoForwardPorts': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'chat.commandCenter.enabled': false,
  'workbench.colorTheme': 'Default Light Modern',
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'workbench.editor.enablePreview': false,
};

export async function startCodeServer(options: { vsix: string; folder: string; log?: (s: string) => void; settings?: Record<string, unknown> }): Promise<RunningCodeServer> {
  if (!existsSync(CODE_SERVER)) ensureEnvironment();
  const base = mkdtempSync(join(tmpdir(), 'nsu-code-'));
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...SETTINGS, ...options.settings }, null, 2));
  const configFile = join(base, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(base, 'config'),
    XDG_DATA_HOME: join(base, 'data'),
    // Nothing may reach out: the gallery points at a closed local port.
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item' }),
  };
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--config', configFile];
  const install = spawnSync(process.execPath, [CODE_SERVER, ...common, '--install-extension', options.vsix, '--force'], { env, encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`installing the .vsix into code-server failed: ${install.stderr || install.stdout}`);
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [CODE_SERVER, ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--ignore-last-opened', '--disable-getting-started-override', options.folder],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = options.log ?? (() => undefined);
  child.stdout?.on('data', (d: Buffer) => log(d.toString()));
  child.stderr?.on('data', (d: Buffer) => log(d.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.pid === undefined) {
      rmSync(base, { recursive: true, force: true });
      return;
    }
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      rmSync(base, { recursive: true, force: true });
      return;
    }
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const timeout = new Promise<void>((r) => setTimeout(r, 5000));
    await Promise.race([exited, timeout]);
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    rmSync(base, { recursive: true, force: true });
  };
  // Ready when /healthz answers.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before it was ready`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error('code-server did not become ready within 60 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(options.folder)}`, port, userDataDir, process: child, stop };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];
