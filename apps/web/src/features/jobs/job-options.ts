/**
 * The create form's §11 options (queue, priority, when to start, concurrency key, dedupe) as
 * typed, and the body fields they make. Checked here field by field in the form's own units
 * (seconds, a local time); the server checks again with the contract's rules.
 */
import {
  CONCURRENCY_KEY_PATTERN,
  DEBOUNCE_MS_MAX,
  DELAY_MS_MAX,
  PRIORITY_MAX,
  PRIORITY_MIN,
  QUEUE_NAME_PATTERN,
  RUN_AT_AHEAD_MAX_MS,
  type CreateJobBody,
  type DedupeMode,
  type Job,
  type RetryJobBody,
} from "@jobdeck/contract";
import { fromDateTimeLocal } from "../../lib/format";

export type StartMode = "now" | "delay" | "at";
export const DELAY_UNITS = { s: 1000, min: 60_000, h: 3_600_000 } as const;
export type DelayUnit = keyof typeof DELAY_UNITS;

export type JobOptionsForm = {
  queue: string;
  priority: string;
  start: StartMode;
  delay: string;
  delayUnit: DelayUnit;
  /** `<input type="datetime-local">` value, local time. */
  runAt: string;
  concurrencyKey: string;
  dedupeKey: string;
  dedupe: DedupeMode;
  /** Seconds. */
  debounce: string;
  debounceMax: string;
};
export type JobOptionsField = keyof JobOptionsForm;

export const EMPTY_OPTIONS: JobOptionsForm = {
  queue: "",
  priority: "",
  start: "now",
  delay: "",
  delayUnit: "min",
  runAt: "",
  concurrencyKey: "",
  dedupeKey: "",
  dedupe: "skip",
  debounce: "",
  debounceMax: "",
};

/** "Edit & run again": the same queue, priority and keys; it starts now. */
export function optionsFrom(job: Job | undefined): JobOptionsForm {
  if (!job) return EMPTY_OPTIONS;
  return {
    ...EMPTY_OPTIONS,
    queue: job.queue === "default" ? "" : job.queue,
    priority: job.priority === 0 ? "" : String(job.priority),
    concurrencyKey: job.concurrencyKey ?? "",
    dedupeKey: job.dedupeKey ?? "",
  };
}

export type JobOptions = Omit<CreateJobBody, "type" | "payload">;
export type OptionsIssues = Partial<Record<JobOptionsField, string>>;

const isInteger = (raw: string) => /^-?\d+$/.test(raw);

/** The body fields, or what is wrong, by field. Empty fields are left out: the server's defaults apply. */
export function toJobOptions(
  form: JobOptionsForm,
  now: number,
): { options: JobOptions; issues?: undefined } | { options?: undefined; issues: OptionsIssues } {
  const issues: OptionsIssues = {};
  const options: JobOptions = {};
  const queue = form.queue.trim();
  if (queue !== "") {
    if (QUEUE_NAME_PATTERN.test(queue)) options.queue = queue;
    else
      issues.queue =
        "lowercase letters, digits, dots, dashes and underscores, starting with a letter or digit (at most 64)";
  }
  const priority = form.priority.trim();
  if (priority !== "") {
    const value = Number(priority);
    if (isInteger(priority) && value >= PRIORITY_MIN && value <= PRIORITY_MAX) options.priority = value;
    else issues.priority = `a whole number from ${PRIORITY_MIN} to ${PRIORITY_MAX}`;
  }
  const isDebounce = form.dedupeKey.trim() !== "" && form.dedupe === "debounce";
  if (form.start === "delay" && !isDebounce) {
    const ms = Number(form.delay.trim()) * DELAY_UNITS[form.delayUnit];
    if (form.delay.trim() === "" || !Number.isFinite(ms) || ms < 0 || ms > DELAY_MS_MAX)
      issues.delay = "a delay from 0 up to 366 days";
    else options.delayMs = Math.round(ms);
  }
  if (form.start === "at" && !isDebounce) {
    const at = fromDateTimeLocal(form.runAt);
    if (at === undefined) issues.runAt = "choose a date and time";
    else if (at > now + RUN_AT_AHEAD_MAX_MS) issues.runAt = "at most 366 days ahead";
    else options.runAt = new Date(at).toISOString();
  }
  const key = form.concurrencyKey.trim();
  if (key !== "") {
    if (CONCURRENCY_KEY_PATTERN.test(key)) options.concurrencyKey = key;
    else issues.concurrencyKey = "1 to 255 visible ASCII characters, no spaces";
  }
  const dedupeKey = form.dedupeKey.trim();
  if (dedupeKey !== "") {
    if (!CONCURRENCY_KEY_PATTERN.test(dedupeKey))
      issues.dedupeKey = "1 to 255 visible ASCII characters, no spaces";
    else {
      options.dedupeKey = dedupeKey;
      if (form.dedupe !== "skip") options.dedupe = form.dedupe;
    }
    if (form.dedupe === "debounce") {
      const seconds = (raw: string) => Math.round(Number(raw.trim()) * 1000);
      const debounceMs = seconds(form.debounce);
      if (form.debounce.trim() === "" || !(debounceMs >= 1 && debounceMs <= DEBOUNCE_MS_MAX))
        issues.debounce = "seconds to wait after the last create: from 0.001 to 86400";
      else options.debounceMs = debounceMs;
      if (form.debounceMax.trim() !== "") {
        const debounceMaxMs = seconds(form.debounceMax);
        if (!(debounceMaxMs >= 1 && debounceMaxMs <= DEBOUNCE_MS_MAX))
          issues.debounceMax = "seconds: from 0.001 to 86400";
        else if (options.debounceMs !== undefined && debounceMaxMs < options.debounceMs)
          issues.debounceMax = "at least the debounce";
        else options.debounceMaxMs = debounceMaxMs;
      }
    }
  }
  return Object.keys(issues).length > 0 ? { issues } : { options };
}

/**
 * "Edit & run again" as a retry with changes (§15): the payload, queue, priority and start the form
 * shows (it starts from the original's). An empty queue or priority is the default's, as on create;
 * a delay becomes runAt; no start time is now. The keys are not sent: a retry keeps the original's
 * concurrency key, and its tags and metadata.
 */
export function retryChanges(payload: unknown, options: JobOptions, now: number): RetryJobBody {
  const runAt =
    options.runAt ??
    (options.delayMs !== undefined ? new Date(now + options.delayMs).toISOString() : undefined);
  return {
    payload,
    queue: options.queue ?? "default",
    priority: options.priority ?? 0,
    ...(runAt !== undefined ? { runAt } : {}),
  };
}
