import type { Job, JobStatus } from "@jobdeck/contract";
import type { Colors } from "./output.js";

export function statusText(status: string, colors: Colors): string {
  const paint: Record<JobStatus, (text: string) => string> = {
    pending: colors.yellow,
    running: colors.cyan,
    completed: colors.green,
    failed: colors.red,
    cancelled: colors.dim,
  };
  return (paint[status as JobStatus] ?? ((text: string) => text))(status);
}

const UNITS: [number, string][] = [
  [86_400_000, "d"],
  [3_600_000, "h"],
  [60_000, "m"],
  [1_000, "s"],
];

/** "3m ago", "in 20s": on a terminal, where a person reads it. */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const delta = Date.parse(iso) - now;
  const size = Math.abs(delta);
  if (size < 1_000) return "now";
  const [unit, name] = UNITS.find(([ms]) => size >= ms) ?? UNITS[UNITS.length - 1]!;
  const amount = `${Math.floor(size / unit)}${name}`;
  return delta < 0 ? `${amount} ago` : `in ${amount}`;
}

/** A timestamp as the output wants it: relative on a terminal, ISO 8601 when piped. */
export const timeText = (iso: string | null, isTTY: boolean): string =>
  iso === null ? "-" : isTTY ? relativeTime(iso) : iso;

/** What a job is up to, in a few words: why it waits, its error, or its progress. */
export function jobNote(job: Job): string {
  if (job.error) return `${job.error.code}: ${job.error.message}`;
  if (job.status === "pending" && job.waitReason) return `waiting: ${job.waitReason}`;
  if (job.progress) {
    const { current, total, message } = job.progress;
    return [total === null ? `${current}` : `${current}/${total}`, message].filter(Boolean).join(" ");
  }
  return "";
}

export const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;

/** A job as a table row: the columns of JOB_COLUMNS. */
export const JOB_COLUMNS = ["ID", "TYPE", "STATUS", "QUEUE", "ATTEMPTS", "CREATED", "NOTE"];
export function jobRow(job: Job, colors: Colors, isTTY: boolean): string[] {
  return [
    job.id,
    job.type,
    statusText(job.status, colors),
    job.queue,
    `${job.attempts}/${job.maxAttempts}`,
    timeText(job.createdAt, isTTY),
    isTTY ? truncate(jobNote(job), 60) : jobNote(job),
  ];
}

export const json = (value: unknown): string => JSON.stringify(value);
