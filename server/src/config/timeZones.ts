// `[Rollout] TimeZone` (spec section 7): valid means Intl.DateTimeFormat
// accepts it (UTC and the runtime's aliases included); the list offered and
// searched for "did you mean" is Intl.supportedValuesOf('timeZone'). No zone
// table of our own: the runtime's ICU data is the one that converts the times.
import type { ValueParser } from './values';
import { valueError, replaceValueFix } from './values';
import { isKnownTimeZone } from './rollout';
import { suggest } from './suggest';

let zones: readonly string[] | undefined;

/** The IANA zones this runtime knows (for completion and suggestions). */
export function supportedTimeZones(): readonly string[] {
  zones ??= Intl.supportedValuesOf('timeZone');
  return zones;
}

/** The zone meant by a near miss: `Europe/Berlim`, or a city alone (`Berlin`). */
export function suggestTimeZone(value: string): string | undefined {
  const all = supportedTimeZones();
  const lower = value.toLowerCase().replace(/ /g, '_');
  const city = all.find((z) => z.toLowerCase().endsWith(`/${lower}`));
  return city ?? suggest(value, all);
}

export const readTimeZone: ValueParser<string> = (value, { entry, name, report }) => {
  if (isKnownTimeZone(value)) return value;
  const guess = suggestTimeZone(value);
  report(
    valueError(
      'unknown-time-zone',
      entry,
      `${name} "${value}" is not a time zone this runtime knows: write an IANA zone such as Europe/Berlin or America/New_York, or UTC${guess ? ` (did you mean ${guess}?)` : ''}`,
      guess ? [replaceValueFix(entry, guess)] : undefined,
    ),
  );
  return undefined;
};
