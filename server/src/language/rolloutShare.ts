// Who of the known clients a [Rollout] takes in (spec section 7): Exclude
// keeps a desk out, Pilot takes it in, and the others are in when their
// bucket is below Percent. The bucket is the model's bucketOf, the rule the
// server applies at login; here it counts the desks of the fleet files and
// the server's inventory for hover and completion.
import { bucketOf, canonicalVersion, matchName, type UpgradeConfig } from '../config';

/** A client name the editor knows of, and where from (a fleet file, the running server). */
export interface KnownClient {
  name: string;
  source: string;
}

export interface Share {
  /** Taken in: pilots and those whose bucket is below Percent, Exclude left out. */
  inRollout: number;
  pilots: number;
  excluded: number;
  /** Each client's bucket, in the order given (empty without a valid CurrentVersion). */
  buckets: number[];
}

// A bucket is a SHA-256 per name: kept per CurrentVersion and name, since hover asks again and again.
const buckets = new Map<string, number>();

/** A client's bucket for this config's CurrentVersion (100, never in by bucket, without one). */
export function clientBucket(config: UpgradeConfig, name: string): number {
  const current = config.upgrade.currentVersion;
  if (!current) return 100;
  const key = `${canonicalVersion(current)}/${name.toLowerCase()}`;
  let b = buckets.get(key);
  if (b === undefined) {
    b = bucketOf(current, name);
    if (buckets.size >= 100_000) buckets.clear();
    buckets.set(key, b);
  }
  return b;
}

export function rolloutShare(config: UpgradeConfig, clients: readonly KnownClient[]): Share {
  const rollout = config.rollout;
  const percent = rollout?.percent ?? 100;
  const share: Share = { inRollout: 0, pilots: 0, excluded: 0, buckets: [] };
  for (const c of clients) {
    const b = clientBucket(config, c.name);
    if (config.upgrade.currentVersion) share.buckets.push(b);
    if (rollout && matchName(rollout.exclude, c.name)) {
      share.excluded++;
      continue;
    }
    if (rollout && matchName(rollout.pilot, c.name)) {
      share.pilots++;
      share.inRollout++;
    } else if (b < percent) share.inRollout++;
  }
  return share;
}
