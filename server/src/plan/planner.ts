// The rollout planner (spec section 9): a discrete-event simulation in
// simulated time. No sockets, no timers: the clock jumps from event to event
// (a login, a transfer's end), so 10,000 desks plan in well under a second.
//
// Shared with the real thing, never copied: each decision is the model's
// decide() (with the plan's clock and rollout counts, kept in the upgrade
// server's own OfferWindow), the transfer line is the upgrade server's FifoSlots, and Setup's restart rule is the simulator's
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
import { clientKey, OfferWindow } from '../upgrade/rolloutState';
import { runSetup } from '../simulator/setup';
import { seededRandom } from '../simulator/random';
import { MinHeap } from './heap';
import { OutsideWindows } from './time';
import type { LinkUse, Plan, PlanDesk, PlanInput, PlannedClient, PlanTotals } from './types';

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

  // A transfer is its client's index; its state lives in typed arrays (no
  // object per transfer: at 10,000 desks the garbage collector is a third of the cost).
  const size = new Float64Array(clients.length);
  const restartsOf = new Uint8Array(clients.length);
  /** The virtual counter's value when the transfer has all its bytes. */
  const endV = new Float64Array(clients.length);
  /** Ties (same end) go in the order the transfers started. */
  const seqOf = new Float64Array(clients.length);
  const slots = new FifoSlots<number>(config.server.maxTransfers);
  const active = new MinHeap<number>((a, b) => endV[a] < endV[b] || (endV[a] === endV[b] && seqOf[a] < seqOf[b]));
  const cap = input.clientLinkBytesPerSecond ?? Infinity;
  const perTransfer = (): number => (active.size === 0 ? 0 : Math.min(cap, input.linkBytesPerSecond / active.size));
  let t = 0;
  let v = 0;
  let seq = 0;
  let peakQueue = 0;
  const link: LinkUse = { at: [0], bytesPerSecond: [0] };
  // Distinct desks offered an upgrade in the last 60 minutes, counted as the server counts them.
  const offers = new OfferWindow();

  const start = (i: number): void => {
    const c = clients[i];
    c.downloadStart = t;
    c.queuedSeconds = t - c.login;
    endV[i] = v + size[i];
    seqOf[i] = seq++;
    active.push(i);
  };

  const finish = (i: number): void => {
    const c = clients[i];
    c.downloadEnd = t;
    c.restarts = restartsOf[i] === 1;
    c.back = t + input.setupSeconds + (c.restarts ? input.restartSeconds : 0);
  };

  // Desks of one fleet line share their apps list: Setup's answer is asked once per list.
  const restartsFor = new Map<readonly string[], boolean>();
  const restarts = (apps: readonly string[]): boolean => {
    let r = restartsFor.get(apps);
    if (r === undefined) restartsFor.set(apps, (r = runSetup(config.setup, apps, false).outcome === 'restart-required'));
    return r;
  };

  const login = (i: number, desk: PlanDesk): void => {
    const c = clients[i];
    const at = input.start + c.login * 1000;
    const key = clientKey(c.name);
    offers.prune(at);
    const alreadyOffered = offers.has(key);
    const d = decide(config, files, {
      version: c.version,
      name: c.name,
      at: new Date(at),
      rollout: { offeredLastHour: offers.size - (alreadyOffered ? 1 : 0), alreadyOffered, failures },
    });
    c.action = d.action;
    c.reason = d.reason;
    if (d.action !== 'patch' && d.action !== 'full') return;
    offers.add(key, at);
    c.mode = d.mode;
    if (d.modeReason) c.modeReason = d.modeReason;
    c.bytes = d.size;
    // Worst case for load: every optional offer is accepted.
    size[i] = d.size;
    restartsOf[i] = restarts(desk.apps) ? 1 : 0;
    if (slots.enter(i)) start(i);
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
    const endAt = first !== undefined ? t + Math.max(0, endV[first] - v) / rate : Infinity;
    const loginAt = next < clients.length ? clients[next].login : Infinity;
    // Ends before logins at the same instant: the freed slot goes to the line first.
    if (first !== undefined && endAt <= loginAt) {
      t = endAt;
      v = Math.max(v, endV[first]);
      while (active.size > 0 && endV[active.peek()!] <= v) {
        finish(active.pop()!);
        for (const waiter of slots.release()) start(waiter);
      }
    } else {
      v += rate * (loginAt - t);
      t = loginAt;
      login(next, desks[order[next]]);
      next++;
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
