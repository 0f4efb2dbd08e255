// Runs the upgrade server in a child process (dist/upgradeServer.js), never in
// the extension host: a busy server must not freeze the editor and a crash
// must not take it down. Relays the child's events to the views.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { ChildMessage, ParentMessage } from '../../server/src/upgrade/ipc';
import type { ConfigProblem, ServerEvent } from '../../server/src/upgrade/events';

export type HostState =
  | { kind: 'stopped' }
  | { kind: 'starting'; config: string }
  | { kind: 'running'; config: string; host: string; port: number; pid: number }
  | { kind: 'failed'; config: string; reason: 'config' | 'port-in-use' | 'crash' | 'other'; message: string; problems?: ConfigProblem[] };

export interface ClientView {
  id: number;
  remote: string;
  version?: string;
  state: string;
  file?: string;
  sent?: number;
  size?: number;
  position?: number;
}

export class UpgradeServerHost extends EventEmitter {
  private child: ChildProcess | null = null;
  /** The start in progress or done, for a start() called while a child still lives. */
  private started: Promise<HostState> = Promise.resolve({ kind: 'stopped' });
  private _state: HostState = { kind: 'stopped' };
  /** Connected clients as the events describe them, for the tree view. */
  readonly clients = new Map<number, ClientView>();

  constructor(private readonly script: string) {
    super();
  }

  get state(): HostState {
    return this._state;
  }

  private setState(s: HostState): void {
    this._state = s;
    this.emit('state', s);
  }

  /** Starts the server on `config`; resolves once it listens or has failed. */
  start(config: string, overrides: { port?: number; host?: string }): Promise<HostState> {
    // A child still alive (running, starting, or failing and about to exit):
    // answer with how that start ends, not with a second child.
    if (this.child) return this.started.then(() => this._state);
    const args = [config];
    if (overrides.port !== undefined) args.push('--port', String(overrides.port));
    if (overrides.host) args.push('--host', overrides.host);
    this.clients.clear();
    this.setState({ kind: 'starting', config });
    const child = fork(this.script, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [] });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    this.started = new Promise((resolve) => {
      let settled = false;
      // A config with errors or a fatal error: the child says why, then
      // exits; the start has failed once it is gone, so that a start right
      // after (another port) forks a fresh child.
      let failure: HostState | null = null;
      const settle = (s: HostState): void => {
        this.setState(s);
        if (!settled) {
          settled = true;
          resolve(s);
        }
      };
      child.on('message', (m: ChildMessage) => {
        switch (m.type) {
          case 'listening':
            settle({ kind: 'running', config, host: m.host, port: m.port, pid: child.pid ?? 0 });
            break;
          case 'event':
            this.track(m.event);
            this.emit('event', m.event);
            break;
          case 'config-error':
            failure = { kind: 'failed', config, reason: 'config', message: `${config} has errors: the upgrade server does not run a config with errors`, problems: m.problems };
            break;
          case 'fatal':
            failure = { kind: 'failed', config, reason: m.code === 'EADDRINUSE' ? 'port-in-use' : 'other', message: m.code === 'EADDRINUSE' ? 'The port is already in use.' : m.message };
            break;
        }
      });
      child.on('exit', (code, signal) => {
        this.child = null;
        this.clients.clear();
        if (failure) {
          settle(failure);
          return;
        }
        if (this._state.kind === 'failed') {
          if (!settled) settle(this._state);
          return;
        }
        if (this._state.kind === 'running' && signal === null && code === 0) settle({ kind: 'stopped' });
        else if (this._state.kind === 'stopped') settle({ kind: 'stopped' });
        else settle({ kind: 'failed', config, reason: 'crash', message: `The upgrade server stopped unexpectedly (${signal ?? `exit code ${code}`}). ${stderr.trim().split('\n').slice(-3).join(' ')}` });
      });
    });
    return this.started;
  }

  private track(e: ServerEvent): void {
    switch (e.type) {
      case 'connection':
        this.clients.set(e.id, { id: e.id, remote: e.remote, state: 'connected' });
        break;
      case 'closed':
        this.clients.delete(e.id);
        break;
      default: {
        if (!('id' in e) || e.id === undefined) return;
        const c = this.clients.get(e.id);
        if (!c) return;
        if (e.type === 'login') c.version = e.version;
        if (e.type === 'decision') c.state = e.action === 'allow' ? 'let in' : e.action === 'reject' ? 'rejected' : `${e.action} offered`;
        if (e.type === 'queued') {
          c.state = 'queued';
          c.position = e.position;
        }
        if (e.type === 'transfer-start') {
          c.state = 'downloading';
          c.file = e.file;
          c.sent = e.offset;
          c.size = e.size;
        }
        if (e.type === 'transfer-progress') c.sent = e.sent;
        if (e.type === 'transfer-done') c.state = 'installing';
        if (e.type === 'declined') c.state = 'declined';
      }
    }
  }

  stop(): Promise<void> {
    const child = this.child;
    if (!child) {
      if (this._state.kind !== 'stopped') this.setState({ kind: 'stopped' });
      return Promise.resolve();
    }
    this.setState({ kind: 'stopped' });
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      const stop: ParentMessage = { type: 'stop' };
      if (child.connected) child.send(stop);
      else child.kill('SIGTERM');
    });
  }

  reload(): void {
    const m: ParentMessage = { type: 'reload' };
    if (this.child?.connected) this.child.send(m);
  }
}
