// What Setup does on the desk after the download (the seed): it warns about
// running Chat/DSS-like applications and asks the user to exit them; a user
// who does not still gets the upgrade, and with RestartIfBusy the PC restarts.

export interface SetupRun {
  outcome: 'upgraded' | 'restart-required';
  /** What Setup told the user, if anything. */
  warning?: string;
}

export function runSetup(
  setup: { conflictingApps: readonly string[]; restartIfBusy: boolean },
  runningApps: readonly string[],
  userExitsApps: boolean,
): SetupRun {
  const wanted = new Set(setup.conflictingApps.map((a) => a.toLowerCase()));
  const conflicting = runningApps.filter((a) => wanted.has(a.toLowerCase()));
  if (conflicting.length === 0) return { outcome: 'upgraded' };
  const warning = `Setup found ${conflicting.join(', ')} running and asked the user to exit ${conflicting.length === 1 ? 'it' : 'them'}`;
  if (userExitsApps) return { outcome: 'upgraded', warning: `${warning}; the user did` };
  if (setup.restartIfBusy) return { outcome: 'restart-required', warning: `${warning}; the user kept ${conflicting.length === 1 ? 'it' : 'them'} open, so Setup restarts the PC after upgrading` };
  return { outcome: 'upgraded', warning: `${warning}; the user kept ${conflicting.length === 1 ? 'it' : 'them'} open (RestartIfBusy = No: they run on old files until restarted)` };
}

/** The version a simulated setup file installs: its `NetPhone-Version:` marker, if it has one. */
export function versionMarker(prefix: Buffer): string | undefined {
  const m = /NetPhone-Version: ?([0-9]+(?:\.[0-9]+){0,3})/.exec(prefix.toString('latin1'));
  return m?.[1];
}
