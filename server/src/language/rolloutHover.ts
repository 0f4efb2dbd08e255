// Hover in [Rollout] (spec section 7, issue 12): a ForcedHours window in
// words ("weekdays from 18:00 to 07:00 the next morning, Europe/Berlin"), the
// zone's clock now, and, on Percent and on each Pilot or Exclude item, who of
// the known clients (fleet files, the server's inventory) it takes in.
import { describeWindow, isKnownTimeZone, matchName, type EntryNode, type KeySchema } from '../config';
import type { DocumentState } from './documentState';
import { itemAt } from './context';
import { rolloutShare, type KnownClient } from './rolloutShare';

export interface RolloutHoverEnv {
  clients: readonly KnownClient[];
  /** The time the zone's clock is read at (hover says what time it is there). */
  now: Date;
}

/** The hover text (Markdown) and the span it is about, or null. */
export function rolloutHover(state: DocumentState, offset: number, entry: EntryNode, key: KeySchema, env: RolloutHoverEnv): { text: string; span: { start: number; end: number } } | null {
  const config = state.analysis.config;
  const rollout = config.rollout;
  if (!rollout) return null;
  switch (key.name) {
    case 'ForcedHours': {
      const window = itemAt(rollout.forcedHours ?? [], offset);
      if (!window) return null;
      const zone = rollout.timeZone;
      const meaning =
        config.upgrade.mode === 'optional'
          ? 'Mode = Optional: every upgrade is optional at any hour, so this changes nothing.'
          : 'Inside these hours an upgrade is forced ("Upgrade in progress"); at other times it is offered as optional.';
      return { text: `\`${window.text}\`: **${describeWindow(window, zone)}**\n\n${meaning}`, span: window.span };
    }
    case 'TimeZone': {
      const zone = entry.value;
      if (!isKnownTimeZone(zone)) return null;
      const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'shortOffset' }).formatToParts(env.now);
      const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
      const clock = `${part('weekday')} ${part('hour')}:${part('minute')} (${part('timeZoneName')})`;
      return { text: `\`${zone}\`: now ${clock}. ForcedHours are wall-clock times of this zone (on the day clocks change, the hours follow the wall clock).`, span: entry.valueSpan };
    }
    case 'Percent':
      return { text: percentText(state, env.clients), span: entry.valueSpan };
    case 'Pilot':
    case 'Exclude': {
      const list = key.name === 'Pilot' ? rollout.pilot : rollout.exclude;
      const item = itemAt(list, offset);
      if (!item) return null;
      const what = key.name === 'Pilot' ? 'always in the rollout, whatever Percent (unless Exclude matches it too)' : 'never offered an upgrade (reason excluded)';
      if (env.clients.length === 0) return { text: `\`${item.text}\`: desks whose name matches it are ${what}. No fleet file or server inventory is known to show which.`, span: item.span };
      const matched = env.clients.filter((c) => matchName([item], c.name));
      const names = matched.slice(0, 8).map((c) => c.name).join(', ');
      const count = `matches **${matched.length} of the ${env.clients.length} known clients**${matched.length > 0 ? `: ${names}${matched.length > 8 ? ', ...' : ''}` : ''}`;
      return { text: `\`${item.text}\` ${count}. They are ${what}.`, span: item.span };
    }
    default:
      return null;
  }
}

function percentText(state: DocumentState, clients: readonly KnownClient[]): string {
  const config = state.analysis.config;
  const percent = config.rollout?.percent ?? 100;
  const lines = [`**Percent = ${percent}**: besides the pilot desks, a desk is in the rollout when its bucket (0-99, fixed per CurrentVersion and desk name) is below ${percent}. Raising it only adds desks.`];
  if (!config.upgrade.currentVersion) lines.push('', 'Without a valid CurrentVersion no bucket can be worked out.');
  else if (clients.length === 0) lines.push('', 'No fleet file or server inventory is known: how many desks it takes in cannot be counted.');
  else {
    const share = rolloutShare(config, clients);
    const byBucket = share.inRollout - share.pilots;
    const held = clients.length - share.inRollout - share.excluded;
    lines.push('', `Of the **${clients.length} known clients** it takes in **${share.inRollout}** (${share.pilots} pilot${share.pilots === 1 ? '' : 's'}, ${byBucket} by bucket); ${share.excluded} excluded, ${held} held back.`);
  }
  return lines.join('\n');
}
