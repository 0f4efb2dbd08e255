// Fetches what the end-to-end tests and `npm start` need beyond npm, once:
//  - Debian's chromium (and libkrb5-dev, ripgrep for code-server's install),
//    with apt-get when missing and we are root, else a message naming them;
//  - code-server 4.100.3 (the newest that runs on Node 20) into .cache/,
//    git-ignored, not a dependency of the extension. Its @vscode/ripgrep
//    postinstall would download rg from the internet; it first looks in a
//    cache folder, so we put Debian's rg there.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync, rmSync, cpSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE = join(ROOT, '.cache');
export const CODE_SERVER_VERSION = '4.100.3';
export const CODE_SERVER_DIR = join(CACHE, `code-server-${CODE_SERVER_VERSION}`);
export const CODE_SERVER_BIN = join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = '/usr/bin/chromium';

function log(msg) {
  process.stderr.write(`[vscode-env] ${msg}\n`);
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export function ensureDebianPackages() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  if (!has('rg')) missing.push('ripgrep');
  if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  if (missing.length === 0) return;
  if (process.getuid && process.getuid() !== 0) {
    throw new Error(`the end-to-end tests need Debian's ${missing.join(', ')}: install them with  sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`apt-get install ${missing.join(' ')} (first run only)`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function ripgrepCache() {
  // Read the versions the installed @vscode/ripgrep will look for, if we can;
  // these are the ones code-server 4.100.3 pins.
  const version = 'v13.0.0-10';
  const cacheDir = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const archive = join(cacheDir, `ripgrep-${version}-x86_64-unknown-linux-musl.tar.gz`);
  if (existsSync(archive)) return;
  mkdirSync(cacheDir, { recursive: true });
  const stage = join(cacheDir, 'stage');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage);
  cpSync(execFileSync('sh', ['-c', 'command -v rg']).toString().trim(), join(stage, 'rg'));
  execFileSync('tar', ['-czf', archive, '-C', stage, 'rg']);
  rmSync(stage, { recursive: true, force: true });
}

export function ensureCodeServer() {
  const marker = join(CODE_SERVER_DIR, '.complete');
  if (existsSync(marker) && existsSync(CODE_SERVER_BIN)) return CODE_SERVER_BIN;
  ensureDebianPackages();
  ripgrepCache();
  log(`installing code-server ${CODE_SERVER_VERSION} into ${CODE_SERVER_DIR} (first run only, about a minute)`);
  mkdirSync(CODE_SERVER_DIR, { recursive: true });
  writeFileSync(join(CODE_SERVER_DIR, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }));
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--unsafe-perm', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: CODE_SERVER_DIR,
    stdio: 'inherit',
    env: { ...process.env, npm_config_yes: 'true' },
  });
  if (r.status !== 0) throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${r.status})`);
  const rg = join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
  if (!existsSync(rg)) throw new Error(`code-server installed without ripgrep at ${rg}`);
  writeFileSync(marker, new Date().toISOString());
  return CODE_SERVER_BIN;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureCodeServer();
    log('ready');
  } catch (err) {
    log(err.message);
    process.exit(1);
  }
}
