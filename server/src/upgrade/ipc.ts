// Messages between the VS Code extension and the upgrade server it runs in a
// child process (dist/upgradeServer.js). The child never shares the
// extension host's event loop: a busy server cannot freeze the editor.
import type { ConfigProblem, ServerEvent } from './events';

export type ChildMessage =
  | { type: 'listening'; host: string; port: number }
  | { type: 'event'; event: ServerEvent }
  | { type: 'config-error'; problems: ConfigProblem[] }
  | { type: 'fatal'; code?: string; message: string };

export type ParentMessage = { type: 'stop' } | { type: 'reload' };
