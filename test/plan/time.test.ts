// Times of a plan: ISO 8601 with the offset of the config's TimeZone (spec 9),
// across a DST change, and the default start (next Monday 08:00 in TimeZone).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoInZone, nextMondayAt8, planJson, planRollout, zonedInstant } from '../../server/src/plan';
import { config, desks, files, input } from './helpers';

test('ISO 8601 with the zone offset, winter and summer, and UTC', () => {
  assert.equal(isoInZone(Date.UTC(2025, 11, 1, 7, 0), 'Europe/Berlin'), '2025-12-01T08:00:00+01:00');
  assert.equal(isoInZone(Date.UTC(2025, 6, 1, 6, 0, 30), 'Europe/Berlin'), '2025-07-01T08:00:30+02:00');
  assert.equal(isoInZone(Date.UTC(2025, 11, 1, 13, 0, 0, 250), 'America/New_York'), '2025-12-01T08:00:00.250-05:00');
  assert.equal(isoInZone(Date.UTC(2025, 11, 1, 2, 30), 'Asia/Kolkata'), '2025-12-01T08:00:00+05:30');
  assert.equal(isoInZone(Date.UTC(2025, 11, 1, 8, 0), 'UTC'), '2025-12-01T08:00:00+00:00');
  // Every string names the same instant it was made from.
  for (const ms of [Date.UTC(2025, 2, 30, 0, 59), Date.UTC(2025, 2, 30, 1, 0), Date.UTC(2025, 9, 26, 0, 59, 59)]) {
    assert.equal(Date.parse(isoInZone(ms, 'Europe/Berlin')), ms);
  }
});

test('the default start is the first Monday 08:00 in TimeZone after now', () => {
  const saturday = Date.UTC(2026, 10, 28, 6, 46);
  assert.equal(nextMondayAt8(saturday, 'Europe/Berlin'), Date.UTC(2026, 10, 30, 7, 0));
  assert.equal(nextMondayAt8(saturday, 'America/New_York'), Date.UTC(2026, 10, 30, 13, 0));
  const mondayEarly = Date.UTC(2026, 10, 30, 6, 59); // 07:59 in Berlin
  assert.equal(nextMondayAt8(mondayEarly, 'Europe/Berlin'), Date.UTC(2026, 10, 30, 7, 0));
  const mondayAt8 = Date.UTC(2026, 10, 30, 7, 0);
  assert.equal(nextMondayAt8(mondayAt8, 'Europe/Berlin'), Date.UTC(2026, 11, 7, 7, 0));
  // The Monday after the clocks go forward (Sunday 2026-03-29 in Berlin).
  assert.equal(nextMondayAt8(Date.UTC(2026, 2, 28, 12, 0), 'Europe/Berlin'), Date.UTC(2026, 2, 30, 6, 0));
});

test('a wall-clock time in a zone, and one in the spring-forward gap', () => {
  assert.equal(zonedInstant(2025, 12, 1, 8, 0, 'Europe/Berlin'), Date.UTC(2025, 11, 1, 7, 0));
  assert.equal(zonedInstant(2025, 7, 1, 8, 0, 'Europe/Berlin'), Date.UTC(2025, 6, 1, 6, 0));
  // 02:30 does not exist on 2025-03-30 in Berlin: the clock reads 03:30 then.
  assert.equal(isoInZone(zonedInstant(2025, 3, 30, 2, 30, 'Europe/Berlin'), 'Europe/Berlin'), '2025-03-30T03:30:00+02:00');
});

test('a plan across the autumn clock change prints each time with its own offset', () => {
  const cfg = config({ rollout: 'TimeZone = Europe/Berlin' });
  // 02:30 CEST, then logins every 30 minutes; at 03:00 CEST the clocks go back to 02:00 CET.
  const plan = planRollout(input({ config: cfg, desks: desks(3, '5.20.12'), files: files(0), start: Date.UTC(2025, 9, 26, 0, 30), loginsOverSeconds: 5400 }));
  const json = planJson(plan) as { start: string; clients: { login: string }[] };
  assert.equal(json.start, '2025-10-26T02:30:00+02:00');
  assert.deepEqual(json.clients.map((c) => c.login), ['2025-10-26T02:30:00+02:00', '2025-10-26T02:00:00+01:00', '2025-10-26T02:30:00+01:00']);
});
