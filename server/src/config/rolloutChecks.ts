// The checks of spec section 7 that involve two keys: the same name in Pilot
// and Exclude, a Pilot that Percent = 100 makes pointless, ForcedHours under
// Mode = Optional. (Each key's own checks run as its value is read.)
import type { Diagnostic, EntryNode, IniDocument, UpgradeConfig } from './types';
import { checkBothLists } from './names';

export function checkRollout(doc: IniDocument, entries: Map<string, EntryNode>, config: UpgradeConfig, report: (d: Diagnostic) => void): void {
  const rollout = config.rollout;
  if (!rollout) return;
  const pilot = entries.get('rollout.pilot');
  const exclude = entries.get('rollout.exclude');
  if (pilot && exclude) checkBothLists(doc, { entry: pilot, items: rollout.pilot }, { entry: exclude, items: rollout.exclude }, report);

  const percent = entries.get('rollout.percent');
  // A Percent that is wrong keeps the default 100: its own error says enough.
  const percentIs100 = percent ? /^0*100$/.test(percent.value) : true;
  if (pilot && rollout.pilot.length > 0 && rollout.percent === 100 && percentIs100) {
    report({
      code: 'pilot-adds-nothing',
      severity: 'warning',
      span: pilot.keySpan,
      message: percent
        ? 'Pilot adds nothing while Percent = 100: every desk is in the rollout already. Lower Percent to roll out to the pilot desks first'
        : 'Pilot adds nothing: without a Percent line every desk is in the rollout (Percent = 100). Add Percent = 0 to roll out to the pilot desks first',
      related: percent ? [{ span: percent.rawValueSpan, message: 'Percent is 100 here' }] : undefined,
    });
  }

  const forced = entries.get('rollout.forcedhours');
  const mode = entries.get('upgrade.mode');
  if (forced && mode && rollout.forcedHours !== null && config.upgrade.mode === 'optional') {
    report({
      code: 'forced-hours-unused',
      severity: 'warning',
      span: forced.keySpan,
      message: 'ForcedHours changes nothing while Mode = Optional: every upgrade is optional at any hour. Set Mode = Forced to force upgrades inside these hours, or remove ForcedHours',
      related: [{ span: mode.rawValueSpan, message: 'Mode is Optional here' }],
    });
  }
}
