// The data a plan's chart, totals and table are drawn from: what the HTML
// report embeds and what the VS Code webview is sent. Plain JSON (numbers and
// strings), no imports, so browser code can take it without the model.

/** One desk, as the per-client table shows it. Times are epoch seconds. */
export interface PlanChartClient {
  name: string;
  version: string;
  action: 'allow' | 'reject' | 'patch' | 'full';
  reason: string;
  /** null without an upgrade. */
  mode: 'forced' | 'optional' | null;
  login: number;
  queuedSeconds: number;
  downloadStart: number | null;
  downloadEnd: number | null;
  back: number;
  downMinutes: number;
  restarts: boolean;
}

/** A total, ready to show: `Back at work by` / `09:42` / `makespan 1h 42m`. */
export interface PlanChartFigure {
  label: string;
  value: string;
  detail: string;
}

export interface PlanChartData {
  /** One line saying what was planned. */
  title: string;
  /** The settings in words (link, transfers, setup and restart times, seed). */
  subtitle: string;
  /** The clock the times are shown in: an IANA zone name (never null here). */
  timeZone: string;
  /** Epoch seconds of the plan's start. */
  start: number;
  /** Desks by state over time, a step function: the counts hold from t[i] until t[i + 1]. Epoch seconds. */
  timeline: { t: number[]; waiting: number[]; downloading: number[]; installing: number[]; back: number[] };
  /** The link's use (bytes a second), a step function like the timeline, and its capacity. */
  link: { t: number[]; bytesPerSecond: number[]; capacityBytesPerSecond: number };
  /** Business hours (outside ForcedHours) within the plan, [from, to) in epoch
   *  seconds; null without ForcedHours. Drawn shaded: forced down time there hurts. */
  businessHours: Array<[number, number]> | null;
  figures: PlanChartFigure[];
  /** In login order. */
  clients: PlanChartClient[];
}

/** What VS Code's Plan panel posts to the page (the page answers `{ type: 'ready' }`
 *  when it has loaded, and again after the panel was hidden and shown). */
export type PlanPageMessage =
  /** A plan to draw; `status` says when and why it was made. */
  | { type: 'plan'; data: PlanChartData; status: string }
  /** Planning, or why there is no plan (`error`): the last plan stays drawn below. */
  | { type: 'status'; status: string; error: boolean };
