/**
 * §12's fire times, shared by the server (which fires schedules by them) and the dashboard (which
 * previews them), so that the two cannot disagree. A subpath of its own (`@jobdeck/contract/schedule-times`)
 * because it brings croner along, which the rest of the contract's users do not need.
 */
export { cronProblem, latestFireIn, nextFireAfter, type CronRule } from "./cron.js";
export { isTimeZone, offsetAt } from "./zone.js";
