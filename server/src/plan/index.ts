// The planner's library API (spec section 9): the CLI (`nsupgrade plan`), the
// workbench child and the report call these.
export { planRollout } from './planner';
export { desksOfFleet } from './fleet';
export { planJson, formatPlanText, formatSpan } from './format';
export { isoInZone, nextMondayAt8, zonedInstant } from './time';
export type { Plan, PlanDesk, PlanInput, PlannedClient, PlanTotals, LinkUse } from './types';
export { toChartData, planHeadline } from './chartData';
export { loadReportAssets, planReportHtml, writeFileWhole, type ReportAssets } from './report';
export type { PlanChartData, PlanChartClient, PlanChartFigure, PlanPageMessage } from './chartTypes';
export { parsePlanStart, defaultLink, DEFAULT_SETUP_SECONDS, DEFAULT_RESTART_SECONDS } from './options';
