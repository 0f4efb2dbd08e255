// `nsupgrade decide FILE --client-version V [--format text|json]`: the
// decision of spec section 5, made by the model's one decide().
import { decide, loginOf } from '../config';
import { formatFlag, parseArgs, UsageError } from './args';
import { loadOrSay, refuseConfigWithErrors, type CliIo } from './io';

export const DECIDE_USAGE = 'nsupgrade decide FILE --client-version V [--format text|json]';

export async function runDecide(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { format: true, 'client-version': true });
  const format = formatFlag(args);
  if (args.positionals.length !== 1) throw new UsageError('decide needs exactly one FILE');
  const version = args.flags.get('client-version');
  if (typeof version !== 'string') throw new UsageError('decide needs --client-version V');
  const file = args.positionals[0];
  const loaded = await loadOrSay(file, io);
  if (!loaded) return 2;
  if (!loaded.ok) return refuseConfigWithErrors(file, loaded, io, 'no decision is made on a config with errors');
  const d = decide(loaded.config, loaded.files, loginOf(version, new Date()));
  if (format === 'json') {
    // Exactly the fields of spec section 6, in its order.
    const out: Record<string, string | number> = { action: d.action, reason: d.reason };
    if (d.action === 'patch' || d.action === 'full') {
      out.mode = d.mode;
      out.file = d.file;
      out.size = d.size;
      out.sha256 = d.sha256;
    }
    io.stdout.write(`${JSON.stringify(out)}\n`);
    return 0;
  }
  const lines: string[] = [];
  if (d.action === 'patch' || d.action === 'full') {
    const why = d.action === 'patch' ? `${version} matches Patchable item "${d.matched}"` : `${version} is older than ${loaded.config.upgrade.currentVersion?.text} and not patchable`;
    lines.push(`${d.action} (${d.reason}): ${why}`);
    lines.push(`  mode    ${d.mode}${d.mode === 'forced' ? ' ("Upgrade in progress": not let in until upgraded)' : ' (the user may decline and is let in)'}`);
    lines.push(`  file    ${d.file}`);
    lines.push(`  size    ${d.size} bytes`);
    lines.push(`  sha256  ${d.sha256}`);
  } else if (d.action === 'allow') {
    const why = { current: 'the client is current', newer: 'the client is newer than CurrentVersion (never downgraded)', 'upgrades-disabled': 'upgrades are disabled (Enabled = No)', excluded: 'the client matches [Rollout] Exclude', paused: 'the rollout is paused after failed upgrades', 'held-back': 'the client is not in the rollout yet (not Pilot, bucket not below Percent)', throttled: '[Rollout] MaxPerHour clients were already offered an upgrade in the last hour' }[d.reason];
    lines.push(`allow (${d.reason}): ${why}`);
  } else {
    lines.push(`reject (${d.reason}): "${version}" is not a version`);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
