// The rollout planner (spec section 9): a discrete-event simulation in
// simulated time. No sockets, no timers: the clock jumps from event to event
// (a login, a transfer's end), so 10,000 desks plan in well under a second.
//
// Shared with the real thing, never copied: each decision is the model's
// decide() (with the plan's clock and rollout counts), the transfer line is
// the upgrade server's FifoSlots, and Setup's restart rule is the simulator's
// runSetup.
//
// The link is processor-shared: the n active transfers each get
// min(clientLink, link / n), and that changes whenever a transfer starts or
// ends. Since every active transfer runs at the same rate, one "virtual"
// counter v (bytes each active transfer has received since time 0) orders them
// all: a transfer that starts at v0 with S bytes ends when v = v0 + S. A heap
// keyed by that end gives the next end in O(log n).
import { decide } from '../config';
import { FifoSlots } from '../upgrade/fifoSlots';
import { runSetup } from '../simulator/setup';
import { seededRandom } from '../simulator/random';
import { MinHeap } from './heap';
import { OutsideWindows } from './time';
import type { LinkUse, Plan, PlanDesk, PlanInput, PlannedClient, PlanTotals } from './types';

const HOUR_SECONDS = 3600;

interface Transfer {
  client: PlannedClient;
  size: number;
  restarts: boolean;
  /** The virtual counter's value when this transfer has all its bytes. */
  endV: number;
  /** Ties (same end) go in the order the transfers started. */
  seq: number;
}

function checkInput(input: PlanInput): void {
  const positive = (v: number, what: string): void => {
    if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${what} must be a positive number, not ${v}`);
  };
  const nonNegative = (v: number, what: string): void => {
    if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`${what} must be zero or more, not ${v}`);
  };
  positive(input.linkBytesPerSecond, 'the link');
  if (input.clientLinkBytesPerSecond !== null) positive(input.clientLinkBytesPerSecond, 'the client link');
  nonNegative(input.loginsOverSeconds, 'the login spread');
  nonNegative(input.setupSeconds, 'the setup time');
  nonNegative(input.restartSeconds, 'the restart time');
  if (!Number.isFinite(input.start)) throw new RangeError('the start must be a valid time');
}

/** The desks' login order: a Fisher-Yates shuffle drawn from the seed. */
function loginOrder(count: number, seed: number): number[] {
  const random = seededRandom(seed);
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

export function planRollout(input: PlanInput): Plan {
  checkInput(input);
  const { config, files, desks } = input;
  const failures = input.failures ?? 0;
  const spacing = desks.length > 0 ? input.loginsOverSeconds / desks.length : 0;
  const order = loginOrder(desks.length, input.seed);
  const clients: PlannedClient[] = order.map((d, k) => ({
    name: desks[d].name,
    version: desks[d].version,
    login: k * spacing,
    action: 'allow',
    reason: 'current',
    bytes: 0,
    queuedSeconds: 0,
    restarts: false,
    back: k * spacing,
    downSeconds: 0,
    downSecondsInBusinessHours: 0,
  }));

  const slots = new FifoSlots<Transfer>(config.server.maxTransfers);
  const active = new MinHeap<Transfer>((a, b) => a.endV < b.endV || (a.endV === b.endV && a.seq < b.seq));
  const cap = input.clientLinkBytesPerSecond ?? Infinity;
  const perTransfer = (): number => (active.size === 0 ? 0 : Math.min(cap, input.linkBytesPerSecond / active.size));
  let t = 0;
  let v = 0;
  let seq = 0;
  let peakQueue = 0;
  const link: LinkUse = { at: [0], bytesPerSecond: [0] };
  // Offers of the last hour, oldest first (each desk logs in once, so each is distinct).
  const offers: number[] = [];
  let oldestOffer = 0;

  const start = (tr: Transfer): void => {
    tr.client.downloadStart = t;
    tr.client.queuedSeconds = t - tr.client.login;
    tr.endV = v + tr.size;
    tr.seq = seq++;
    active.push(tr);
  };

  const finish = (tr: Transfer): void => {
    const c = tr.client;
    c.downloadEnd = t;
    c.restarts = tr.restarts;
    c.back = t + input.setupSeconds + (tr.restarts ? input.restartSeconds : 0);
  };

  const login = (c: PlannedClient, desk: PlanDesk): void => {
    while (oldestOffer < offers.length && offers[oldestOffer] <= c.login - HOUR_SECONDS) oldestOffer++;
    const d = decide(config, files, {
      version: c.version,
      name: c.name,
      at: new Date(input.start + c.login * 1000),
      rollout: { offeredLastHour: offers.length - oldestOffer, alreadyOffered: false, failures },
    });
    c.action = d.action;
    c.reason = d.reason;
    if (d.action !== 'patch' && d.action !== 'full') return;
    offers.push(c.login);
    c.mode = d.mode;
    if (d.modeReason) c.modeReason = d.modeReason;
    c.bytes = d.size;
    // Worst case for load: every optional offer is accepted.
    const tr: Transfer = { client: c, size: d.size, restarts: runSetup(config.setup, desk.apps, false).outcome === 'restart-required', endV: 0, seq: 0 };
    if (slots.enter(tr)) start(tr);
  };

  const noteLink = (): void => {
    const use = perTransfer() * active.size;
    const last = link.at.length - 1;
    if (link.bytesPerSecond[last] === use) return;
    if (link.at[last] === t) link.bytesPerSecond[last] = use;
    else {
      link.at.push(t);
      link.bytesPerSecond.push(use);
    }
  };

  let next = 0;
  while (next < clients.length || active.size > 0) {
    const rate = perTransfer();
    const first = active.peek();
    const endAt = first ? t + Math.max(0, first.endV - v) / rate : Infinity;
    const loginAt = next < clients.length ? clients[next].login : Infinity;
    // Ends before logins at the same instant: the freed slot goes to the line first.
    if (first && endAt <= loginAt) {
      t = endAt;
      v = Math.max(v, first.endV);
      while (active.size > 0 && active.peek()!.endV <= v) {
        finish(active.pop()!);
        for (const waiter of slots.release()) start(waiter);
      }
    } else {
      v += rate * (loginAt - t);
      t = loginAt;
      const c = clients[next++];
      login(c, desks[order[next - 1]]);
    }
    noteLink();
    if (slots.queued > peakQueue) peakQueue = slots.queued;
  }

  const makespan = clients.reduce((m, c) => Math.max(m, c.back), 0);
  const windows = config.rollout?.forcedHours ?? null;
  const outside = windows ? new OutsideWindows(windows, config.rollout?.timeZone ?? null, input.start, input.start + makespan * 1000) : null;
  return {
    start: input.start,
    timeZone: config.rollout?.timeZone ?? null,
    settings: {
      loginsOverSeconds: input.loginsOverSeconds,
      linkBytesPerSecond: input.linkBytesPerSecond,
      clientLinkBytesPerSecond: input.clientLinkBytesPerSecond,
      maxTransfers: config.server.maxTransfers,
      setupSeconds: input.setupSeconds,
      restartSeconds: input.restartSeconds,
      seed: input.seed,
      forcedHours: config.rollout?.forcedHours?.map((w) => w.text).join(', ') ?? null,
    },
    clients,
    totals: totalsOf(clients, makespan, peakQueue, outside, input.start),
    link,
    businessHours:
      outside
        ?.runs()
        .map(([a, b]): [number, number] => [Math.max(0, (a - input.start) / 1000), Math.min(makespan, (b - input.start) / 1000)])
        .filter(([a, b]) => b > a) ?? null,
  };
}

/**
 * Down time (forced upgrades only) and the totals. Business hours are the time
 * outside ForcedHours (`outside`); without ForcedHours the file does not say,
 * so every forced minute counts (the worst case).
 */
function totalsOf(clients: PlannedClient[], makespan: number, peakQueue: number, outside: OutsideWindows | null, start: number): PlanTotals {
  const byAction: PlanTotals['byAction'] = { allow: 0, patch: 0, full: 0, reject: 0 };
  let bytes = 0;
  let down = 0;
  let downInBusiness = 0;
  for (const c of clients) {
    byAction[c.action]++;
    bytes += c.bytes;
    if (c.mode !== 'forced') continue;
    c.downSeconds = c.back - c.login;
    c.downSecondsInBusinessHours = outside ? outside.seconds(start + c.login * 1000, start + c.back * 1000) : c.downSeconds;
    down += c.downSeconds;
    downInBusiness += c.downSecondsInBusinessHours;
  }
  return { clients: clients.length, byAction, bytes, makespanSeconds: makespan, peakQueue, downMinutes: down / 60, downMinutesInBusinessHours: downInBusiness / 60 };
}
