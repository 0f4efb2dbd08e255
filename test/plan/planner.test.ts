// The event simulation of spec section 9, each case computed by hand from the
// spec: processor sharing of the link, the client cap, the FIFO line of
// MaxTransfers, Setup and restart times, forced hours, throttle and pause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { planJson, planRollout, type PlannedClient } from '../../server/src/plan';
import { config, desks, files, input, MiB, near } from './helpers';

const S = 4 * MiB;
const B = 8e6;

const byName = (cs: PlannedClient[], name: string): PlannedClient => cs.find((c) => c.name === name)!;

test('a single transfer: the whole link, then Setup; down from login to back when forced', () => {
  const plan = planRollout(input({ desks: desks(1), setupSeconds: 60 }));
  const [c] = plan.clients;
  assert.equal(c.action, 'full');
  assert.equal(c.mode, 'forced');
  assert.equal(c.bytes, S);
  near(c.queuedSeconds, 0, 'queued');
  near(c.downloadStart, 0, 'download start');
  near(c.downloadEnd, S / B, 'download end');
  near(c.back, S / B + 60, 'back');
  near(c.downSeconds, S / B + 60, 'down');
  near(plan.totals.makespanSeconds, S / B + 60, 'makespan');
  assert.equal(plan.totals.bytes, S);
  assert.deepEqual(plan.totals.byAction, { allow: 0, patch: 0, full: 1, reject: 0 });
  near(plan.totals.downMinutes, (S / B + 60) / 60, 'down minutes');
  // Without ForcedHours every forced minute counts as business hours (worst case).
  near(plan.totals.downMinutesInBusinessHours, (S / B + 60) / 60, 'down in business hours');
});

test('two transfers share the link equally, and the rate changes when one ends', () => {
  const s = 1 * MiB;
  const fleet = [...desks(1, '4.0'), { name: 'patched', version: '5.10.3', apps: [] }];
  const plan = planRollout(input({ desks: fleet, files: files(S, s) }));
  const full = byName(plan.clients, 'desk-1');
  const patch = byName(plan.clients, 'patched');
  // Both at B/2 until the patch is done at 2s/B; then the full setup alone at B.
  near(patch.downloadEnd, (2 * s) / B, 'patch end');
  near(full.downloadEnd, (2 * s) / B + (S - s) / B, 'full end');
  assert.deepEqual(plan.link.at.map((t) => Math.round(t * 1e6) / 1e6), [0, Math.round(((2 * s) / B + (S - s) / B) * 1e6) / 1e6]);
  assert.deepEqual(plan.link.bytesPerSecond, [B, 0]);
});

test('a client cap below the fair share: each transfer runs at the cap, the link is not full', () => {
  const cap = B / 4;
  const plan = planRollout(input({ desks: desks(2), clientLinkBytesPerSecond: cap }));
  for (const c of plan.clients) near(c.downloadEnd, S / cap, c.name);
  assert.equal(plan.link.bytesPerSecond[0], 2 * cap);
  // A cap above the fair share changes nothing.
  const loose = planRollout(input({ desks: desks(2), clientLinkBytesPerSecond: B }));
  for (const c of loose.clients) near(c.downloadEnd, (2 * S) / B, c.name);
});

test('a line longer than MaxTransfers: first come, first served; the rest wait', () => {
  const plan = planRollout(input({ desks: desks(5), config: config({ maxTransfers: 2 }) }));
  const ends = plan.clients.map((c) => c.downloadEnd!);
  const starts = plan.clients.map((c) => c.downloadStart!);
  // In login order: two at B/2 each, two more at B/2, the last alone at B.
  [(2 * S) / B, (2 * S) / B, (4 * S) / B, (4 * S) / B, (5 * S) / B].forEach((e, i) => near(ends[i], e, `end ${i}`));
  [0, 0, (2 * S) / B, (2 * S) / B, (4 * S) / B].forEach((e, i) => near(starts[i], e, `start ${i}`));
  plan.clients.forEach((c, i) => near(c.queuedSeconds, starts[i], `queued ${i}`));
  assert.equal(plan.totals.peakQueue, 3);
});

test('logins spread evenly over --logins-over, in an order drawn from the seed', () => {
  const plan = planRollout(input({ desks: desks(4), loginsOverSeconds: 3600, files: files(0) }));
  assert.deepEqual(plan.clients.map((c) => c.login), [0, 900, 1800, 2700]);
  assert.deepEqual(plan.clients.map((c) => c.name).sort(), ['desk-1', 'desk-2', 'desk-3', 'desk-4']);
  const orders = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => planRollout(input({ desks: desks(4), seed, files: files(0) })).clients.map((c) => c.name).join()));
  assert.ok(orders.size > 1, 'different seeds draw different orders');
});

test('the same seed gives the same plan, to the byte', () => {
  const make = (seed: number): string => JSON.stringify(planJson(planRollout(input({ desks: [...desks(30), ...desks(20, '5.10.3')].map((d, i) => ({ ...d, name: `pc-${i}` })), loginsOverSeconds: 600, seed }))));
  assert.equal(make(7), make(7));
  assert.notEqual(make(7), make(8));
});

test('Setup and restart: a ConflictingApps app with RestartIfBusy adds the restart time', () => {
  const fleet = [
    { name: 'chat', version: '4.0', apps: ['chat'] },
    { name: 'plain', version: '4.0', apps: ['Notepad'] },
  ];
  const plan = planRollout(input({ desks: fleet, setupSeconds: 60, restartSeconds: 120, clientLinkBytesPerSecond: B / 2 }));
  const end = S / (B / 2);
  near(byName(plan.clients, 'chat').back, end + 60 + 120, 'chat: setup and restart');
  assert.equal(byName(plan.clients, 'chat').restarts, true);
  near(byName(plan.clients, 'plain').back, end + 60, 'plain: setup only');
  const noRestart = planRollout(input({ desks: fleet, setupSeconds: 60, restartSeconds: 120, clientLinkBytesPerSecond: B / 2, config: config({ setup: '[Setup]\nRestartIfBusy = No' }) }));
  near(byName(noRestart.clients, 'chat').back, end + 60, 'RestartIfBusy = No: no restart');
});

test('desks that get no upgrade are back at their login and cost no link', () => {
  const fleet = [
    { name: 'current', version: '5.20.12', apps: [] },
    { name: 'newer', version: '6.0', apps: [] },
    { name: 'garbage', version: 'x.y', apps: [] },
  ];
  const plan = planRollout(input({ desks: fleet, loginsOverSeconds: 30 }));
  for (const c of plan.clients) {
    assert.equal(c.back, c.login);
    assert.equal(c.downloadStart, undefined);
    assert.equal(c.downSeconds, 0);
  }
  assert.deepEqual(plan.totals.byAction, { allow: 2, patch: 0, full: 0, reject: 1 });
  assert.equal(plan.totals.bytes, 0);
  assert.equal(plan.totals.makespanSeconds, 20);
});

test('optional upgrades are downloaded (worst case for load) but cost no down time', () => {
  const plan = planRollout(input({ desks: desks(3), config: config({ mode: 'Optional' }), setupSeconds: 60 }));
  assert.ok(plan.clients.every((c) => c.mode === 'optional' && c.downloadEnd !== undefined));
  assert.equal(plan.totals.bytes, 3 * S);
  assert.equal(plan.totals.downMinutes, 0);
});

test('ForcedHours starting mid-rollout: optional before 18:00, forced after; business hours are outside the windows', () => {
  const cfg = config({ rollout: 'ForcedHours = Mon 18:00-07:00\nTimeZone = UTC' });
  const plan = planRollout(input({ config: cfg, desks: desks(4), files: files(0), start: Date.UTC(2025, 11, 1, 17, 30), loginsOverSeconds: 3600, setupSeconds: 600 }));
  assert.deepEqual(plan.clients.map((c) => [c.login, c.mode, c.modeReason]), [
    [0, 'optional', 'outside-forced-hours'],
    [900, 'optional', 'outside-forced-hours'],
    [1800, 'forced', undefined],
    [2700, 'forced', undefined],
  ]);
  assert.deepEqual(plan.clients.map((c) => c.downSeconds), [0, 0, 600, 600]);
  assert.equal(plan.totals.downMinutes, 20);
  assert.equal(plan.totals.downMinutesInBusinessHours, 0, 'forced at night is not business hours');

  // Forced at 06:50 Tuesday, Setup takes 20 minutes: 10 of them after 07:00.
  const morning = planRollout(input({ config: cfg, desks: desks(1), files: files(0), start: Date.UTC(2025, 11, 2, 6, 50), setupSeconds: 1200 }));
  assert.equal(morning.clients[0].mode, 'forced');
  near(morning.totals.downMinutes, 20, 'down');
  near(morning.totals.downMinutesInBusinessHours, 10, 'down in business hours');
});

test('MaxPerHour throttles by offers in the last 60 minutes, a sliding window', () => {
  const cfg = config({ rollout: 'MaxPerHour = 3' });
  // Logins every 12 minutes. Offers at 0, 12, 24; at 36 and 48 three are in the
  // last hour; at 60 the offer of 0 is an hour old (outside), so 60, 72, 84
  // are offered; at 96 and 108, 60/72/84 fill the hour.
  const plan = planRollout(input({ config: cfg, desks: desks(10), files: files(0), loginsOverSeconds: 7200 }));
  assert.deepEqual(plan.clients.map((c) => [c.login / 60, c.reason]), [
    [0, 'not-patchable'],
    [12, 'not-patchable'],
    [24, 'not-patchable'],
    [36, 'throttled'],
    [48, 'throttled'],
    [60, 'not-patchable'],
    [72, 'not-patchable'],
    [84, 'not-patchable'],
    [96, 'throttled'],
    [108, 'throttled'],
  ]);
  assert.deepEqual(plan.totals.byAction, { allow: 4, patch: 0, full: 6, reject: 0 });
});

test('PauseAfterFailures: the plan adds no failures; failures already reported pause every out-of-date desk', () => {
  const cfg = config({ rollout: 'PauseAfterFailures = 1' });
  const running = planRollout(input({ config: cfg, desks: desks(5) }));
  assert.equal(running.totals.byAction.full, 5);
  const paused = planRollout(input({ config: cfg, desks: [...desks(5), { name: 'current', version: '5.20.12', apps: [] }], failures: 1 }));
  assert.deepEqual(paused.clients.map((c) => c.reason).sort(), ['current', 'paused', 'paused', 'paused', 'paused', 'paused']);
  assert.equal(paused.totals.bytes, 0);
});

test('Percent and Pilot come from the model: held-back desks are let in without an upgrade', () => {
  const cfg = config({ rollout: 'Percent = 0\nPilot = desk-2' });
  const plan = planRollout(input({ config: cfg, desks: desks(3) }));
  assert.deepEqual(plan.clients.map((c) => `${c.name} ${c.reason}`).sort(), ['desk-1 held-back', 'desk-2 not-patchable', 'desk-3 held-back']);
});

test('Percent: a desk is in when its bucket (SHA-256 of CANON/name, spec 7) is below it', () => {
  const plan = planRollout(input({ config: config({ rollout: 'Percent = 30' }), desks: desks(200), files: files(0) }));
  for (const c of plan.clients) {
    const u = createHash('sha256').update(`5.20.12/${c.name.toLowerCase()}`).digest().readUInt32BE(0);
    const bucket = Math.floor((u * 100) / 2 ** 32);
    assert.equal(c.reason, bucket < 30 ? 'not-patchable' : 'held-back', `${c.name}, bucket ${bucket}`);
  }
  const inRollout = plan.totals.byAction.full;
  assert.ok(inRollout > 30 && inRollout < 90, `about 30 % of 200, not ${inRollout}`);
});

test('bad input is refused with a message naming it', () => {
  assert.throws(() => planRollout(input({ desks: desks(1), linkBytesPerSecond: 0 })), /the link must be a positive number/);
  assert.throws(() => planRollout(input({ desks: desks(1), setupSeconds: -1 })), /the setup time must be zero or more/);
});
