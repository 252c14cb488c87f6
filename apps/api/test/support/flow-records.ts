import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The record of what ran, and the invariants of §11 checked over all of it: a limit holds when it
 * holds at every instant and in every window of the record, not when one sample was under it.
 *
 * Attempts come from the recording job type (job-type-modules/flow-recording-job-types.js): the
 * handler's start and end, which lie inside the attempt's time as `running` in the database, so an
 * overlap of recorded attempts is an overlap of running jobs. Claim times (`startedAt`, the instant
 * rate windows count) come from the job events each claim appends in its own transaction.
 */

/** One line of the record, as the job type writes it. */
export type RecordLine = {
  event: "start" | "end";
  jobId: string;
  attempt: number;
  worker: string;
  at: number;
  outcome?: string;
};

/** One attempt: `endedAt` is Infinity while it runs (or when its process died: see `pairAttempts`). */
export type RecordedAttempt = {
  jobId: string;
  attempt: number;
  worker: string;
  startedAt: number;
  endedAt: number;
  outcome: string | undefined;
};

export type Interval = { start: number; end: number };

/** Every line written under `dir`, one file per process. */
export function readRecordDir(dir: string): RecordLine[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".jsonl"))
    .flatMap((name) =>
      readFileSync(join(dir, name), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as RecordLine),
    );
}

/**
 * Pairs each start with its end. An attempt with no end (its process was killed) ends at
 * `endOf(jobId, attempt)` when given — its lease's expiry, when the database may give its slot to
 * another — else never. A second start of one attempt, or an end without a start, is an error.
 */
export function pairAttempts(
  lines: RecordLine[],
  endOf: (jobId: string, attempt: number) => number | undefined = () => undefined,
): RecordedAttempt[] {
  const byAttempt = new Map<string, RecordedAttempt>();
  const keyOf = (line: Pick<RecordLine, "jobId" | "attempt">) => `${line.jobId}#${line.attempt}`;
  for (const line of lines.filter((l) => l.event === "start")) {
    if (byAttempt.has(keyOf(line))) throw new Error(`attempt ${keyOf(line)} started twice`);
    byAttempt.set(keyOf(line), {
      jobId: line.jobId,
      attempt: line.attempt,
      worker: line.worker,
      startedAt: line.at,
      endedAt: Infinity,
      outcome: undefined,
    });
  }
  for (const line of lines.filter((l) => l.event === "end")) {
    const attempt = byAttempt.get(keyOf(line));
    if (!attempt) throw new Error(`attempt ${keyOf(line)} ended without starting`);
    if (attempt.endedAt !== Infinity) throw new Error(`attempt ${keyOf(line)} ended twice`);
    attempt.endedAt = line.at;
    attempt.outcome = line.outcome;
  }
  for (const attempt of byAttempt.values()) {
    if (attempt.endedAt === Infinity) attempt.endedAt = endOf(attempt.jobId, attempt.attempt) ?? Infinity;
  }
  return [...byAttempt.values()].sort((a, b) => a.startedAt - b.startedAt);
}

/**
 * The most intervals open at one instant, and the first instant it happens. Intervals are
 * half-open, [start, end): one that ends at t and one that starts at t do not overlap (the record
 * has millisecond resolution, and an end is written before the job's slot is given back).
 */
export function maxOverlap(intervals: Interval[]): { count: number; at: number | undefined } {
  const edges = intervals.flatMap(({ start, end }) => [
    { at: start, delta: 1 },
    { at: end, delta: -1 },
  ]);
  // Ends before starts at the same instant.
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let open = 0;
  let best = { count: 0, at: undefined as number | undefined };
  for (const edge of edges) {
    open += edge.delta;
    if (open > best.count) best = { count: open, at: edge.at };
  }
  return best;
}

/** The most starts in any window [t, t + periodMs), and the first such t. */
export function maxStartsInWindow(
  starts: number[],
  periodMs: number,
): { count: number; from: number | undefined } {
  const sorted = [...starts].sort((a, b) => a - b);
  let best = { count: 0, from: undefined as number | undefined };
  let last = 0;
  // The busiest window can always be moved to begin at one of the starts.
  for (let first = 0; first < sorted.length; first++) {
    if (last < first) last = first;
    while (last < sorted.length && sorted[last]! < sorted[first]! + periodMs) last++;
    if (last - first > best.count) best = { count: last - first, from: sorted[first]! };
  }
  return best;
}

/** Groups values by a key; values whose key is undefined are left out. */
export function groupBy<T>(values: T[], keyOf: (value: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) {
    const key = keyOf(value);
    if (key === undefined) continue;
    groups.set(key, [...(groups.get(key) ?? []), value]);
  }
  return groups;
}

/** A job as its events show it while it runs. */
type EventJob = {
  id: string;
  status: string;
  attempts: number;
  startedAt: string | null;
  queue: string;
  concurrencyKey: string | null;
};

/** One claim of one job: the instant the claim's transaction stamped (§11's start), and the event's place in commit order. */
export type ClaimStart = {
  jobId: string;
  attempt: number;
  startedAt: number;
  queue: string;
  concurrencyKey: string | null;
  eventId: number;
};

/**
 * Every claim, from the job events (rows of job_events, in any order): each claim appends the
 * job's `running` state with its attempt number, in the claim's transaction, so retries and
 * crashed attempts are all there. Event ids follow commit order on both databases.
 */
export function claimStartsOf(events: { id: bigint | number; data: string }[]): ClaimStart[] {
  const starts = new Map<string, ClaimStart>();
  for (const event of [...events].sort((a, b) => Number(a.id) - Number(b.id))) {
    const job = JSON.parse(event.data) as EventJob;
    if (job.status !== "running" || job.startedAt === null) continue;
    const key = `${job.id}#${job.attempts}`;
    if (starts.has(key)) continue;
    starts.set(key, {
      jobId: job.id,
      attempt: job.attempts,
      startedAt: Date.parse(job.startedAt),
      queue: job.queue,
      concurrencyKey: job.concurrencyKey,
      eventId: Number(event.id),
    });
  }
  return [...starts.values()];
}
