/**
 * A queue's four limits as the Queues page shows and edits them: words for each, and the edit
 * form's text fields to and from the settings PUT /v1/queues/{name} takes. Periods are edited in
 * seconds (the API takes milliseconds, 1,000…86,400,000).
 */
import {
  PERIOD_MS_MAX,
  PERIOD_MS_MIN,
  type Queue,
  type QueueSettings,
  type RateLimit,
} from "@jobdeck/contract";
import { formatDuration } from "../../lib/format";

/** 1 min, 30 s, 2 h, 1 d; uneven periods in formatDuration's words. */
export function formatPeriod(ms: number): string {
  for (const [unit, size] of [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["min", 60_000],
    ["s", 1000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${unit}`;
  }
  return formatDuration(ms);
}

export const formatRate = (rate: RateLimit | null) =>
  rate ? `${rate.limit.toLocaleString()} per ${formatPeriod(rate.periodMs)}` : "no limit";

/** "3 / 10": running against the limit; "3" alone when there is none. */
export const runningText = (queue: Queue) =>
  queue.concurrency === null ? `${queue.counts.running}` : `${queue.counts.running} / ${queue.concurrency}`;

/** The edit form's fields, as typed. An empty field is "no limit". */
export type LimitsForm = {
  concurrency: string;
  perKeyConcurrency: string;
  rateLimit: string;
  ratePeriodS: string;
  perKeyRateLimit: string;
  perKeyRatePeriodS: string;
};
export type LimitsField = keyof LimitsForm;

export function toLimitsForm(queue: QueueSettings): LimitsForm {
  const text = (n: number | null | undefined) => (n === null || n === undefined ? "" : String(n));
  return {
    concurrency: text(queue.concurrency),
    perKeyConcurrency: text(queue.perKeyConcurrency),
    rateLimit: text(queue.rateLimit?.limit),
    ratePeriodS: queue.rateLimit ? String(queue.rateLimit.periodMs / 1000) : "",
    perKeyRateLimit: text(queue.perKeyRateLimit?.limit),
    perKeyRatePeriodS: queue.perKeyRateLimit ? String(queue.perKeyRateLimit.periodMs / 1000) : "",
  };
}

export type LimitsIssues = Partial<Record<LimitsField, string>>;
export type ParsedLimits =
  { settings: QueueSettings; issues?: undefined } | { settings?: undefined; issues: LimitsIssues };

const LIMIT_MAX = 1_000_000_000;

/** The form's text as settings, or what is wrong with it, field by field (the server checks again). */
export function parseLimitsForm(form: LimitsForm): ParsedLimits {
  const issues: LimitsIssues = {};
  const whole = (field: LimitsField): number | null => {
    const raw = form[field].trim();
    if (raw === "") return null;
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(value >= 1 && value <= LIMIT_MAX)) {
      issues[field] = "must be a whole number of at least 1, or empty for no limit";
      return null;
    }
    return value;
  };
  const rate = (limitField: LimitsField, periodField: LimitsField): RateLimit | null => {
    const limit = whole(limitField);
    const rawPeriod = form[periodField].trim();
    const periodMs = rawPeriod === "" ? Number.NaN : Number(rawPeriod) * 1000;
    if (limit === null && rawPeriod === "") return null;
    if (limit === null) {
      issues[limitField] ??= "starts per period: required with a period";
      return null;
    }
    if (!Number.isInteger(periodMs) || periodMs < PERIOD_MS_MIN || periodMs > PERIOD_MS_MAX) {
      issues[periodField] = `period: ${PERIOD_MS_MIN / 1000} to ${PERIOD_MS_MAX / 1000} seconds`;
      return null;
    }
    return { limit, periodMs };
  };
  const settings: QueueSettings = {
    concurrency: whole("concurrency"),
    perKeyConcurrency: whole("perKeyConcurrency"),
    rateLimit: rate("rateLimit", "ratePeriodS"),
    perKeyRateLimit: rate("perKeyRateLimit", "perKeyRatePeriodS"),
  };
  return Object.keys(issues).length > 0 ? { issues } : { settings };
}
