// `--clients SPEC` of simulate and plan: read before anything runs, so a bad
// spec or fleet file is a usage error (exit 2) that says where and what.
import { FleetError, parseFleetSpec, type FleetEntry } from '../simulator/fleet';
import { UsageError } from './args';

export function fleetOrUsageError(spec: string): FleetEntry[] {
  try {
    return parseFleetSpec(spec);
  } catch (err) {
    if (err instanceof FleetError) throw new UsageError(err.message);
    throw err;
  }
}
