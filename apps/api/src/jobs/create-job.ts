import { DEFAULT_QUEUE, type CreateJobBody, type Job } from "@jobdeck/contract";
import { v7 as uuidv7 } from "uuid";
import type { AlsoInTransaction, DedupeRule, NewJob } from "../db/job-store/index.js";
import type { JobRow } from "../db/rows.js";
import { AppError, validationFailed } from "../errors.js";
import { zodDetails } from "../http/validation.js";
import type { JobsDeps } from "./deps.js";
import { presenterFor, presenterFromWaits } from "./present-created.js";
import { WORKER_ALIVE_MS } from "./wait-reasons.js";

/**
 * More to write in a create's transaction, given how the job will be shown: the stored answer of an
 * Idempotency-Key (the router builds it), so that a replay shows exactly the first answer.
 */
export type RememberAnswer = (present: (row: JobRow) => Job) => AlsoInTransaction;

/** When the job may start (§11): runAt (a past one means now), now + delayMs, now + debounceMs, or now. */
export function runAtOf(body: CreateJobBody, now: number): Date {
  if (body.runAt !== undefined) return new Date(Math.max(now, Date.parse(body.runAt)));
  if (body.delayMs !== undefined) return new Date(now + body.delayMs);
  if (body.dedupe === "debounce" && body.debounceMs !== undefined) return new Date(now + body.debounceMs);
  return new Date(now);
}

function dedupeRuleOf(body: CreateJobBody): DedupeRule {
  if (body.dedupe === "debounce")
    return { mode: "debounce", debounceMs: body.debounceMs ?? 0, debounceMaxMs: body.debounceMaxMs };
  return { mode: body.dedupe ?? "skip" };
}

/**
 * Validates the payload against its type's schema and stores a pending job in its queue (with its
 * `created` event, and `also` — the answer for its Idempotency-Key — in the same transaction;
 * workers are woken). With a dedupeKey held by a pending job, the create is folded into that job
 * by the `dedupe` rule instead (§11). Nothing is written on a 4xx.
 */
export async function createJob({
  db,
  store,
  registry,
  userId,
  body,
  remember,
}: Pick<JobsDeps, "db" | "store" | "registry"> & {
  userId: string;
  body: CreateJobBody;
  remember?: RememberAnswer | undefined;
}): Promise<{ job: Job; isDeduplicated: boolean }> {
  const definition = registry.get(body.type);
  if (!definition) {
    throw validationFailed([
      { path: "type", message: `is not a known job type; known types: ${registry.names().join(", ")}` },
    ]);
  }
  const parsed = definition.payloadSchema.safeParse(body.payload);
  if (!parsed.success) throw validationFailed(zodDetails(parsed.error, ["payload"]));

  const now = new Date();
  const job: NewJob = {
    // UUIDv7: time-ordered, so new rows land at the end of the primary key index.
    id: uuidv7(),
    userId,
    type: definition.type,
    resultType: definition.resultType,
    // Stored as submitted; the handler parses it again (and applies defaults) when it runs.
    payload: body.payload,
    maxAttempts: definition.maxAttempts,
    timeoutMs: definition.timeoutMs,
    queue: body.queue ?? DEFAULT_QUEUE,
    priority: body.priority ?? 0,
    runAt: runAtOf(body, now.getTime()),
    concurrencyKey: body.concurrencyKey ?? null,
    dedupeKey: body.dedupeKey ?? null,
    tags: body.tags ?? null,
    metadata: body.metadata ?? null,
  };
  const { queue, concurrencyKey } = { queue: DEFAULT_QUEUE, concurrencyKey: null, ...job };
  const prospect = { ...job, queue, concurrencyKey };
  if (job.dedupeKey === null && !remember && db.sql.createJobSql) {
    // No answer to store before the write: what the reason depends on is read in the write's own
    // statement (one round trip instead of three); where that is not enough (a queue with limits,
    // whose running jobs and starts must be counted, or tags and metadata), it is read after it.
    const aliveSince = new Date(now.getTime() - WORKER_ALIVE_MS);
    const { row, waits } = await store.insertJobAndExplain(job, now, aliveSince);
    const present = (waits && presenterFromWaits(prospect, waits)) ?? (await presenterFor({ db, prospect }));
    return { job: present(row), isDeduplicated: false };
  }
  const present = await presenterFor({ db, prospect });
  const also = remember?.(present);
  if (job.dedupeKey === null)
    return { job: present(await store.insertJob(job, now, also)), isDeduplicated: false };

  const result = await store.insertOrDeduplicate(job, now, dedupeRuleOf(body), also);
  if (result.kind === "type-conflict") {
    throw new AppError(
      "CONFLICT",
      `A pending job of type ${result.holder.type} holds dedupeKey ${job.dedupeKey} in queue ${job.queue}`,
      {
        details: [
          { path: "dedupeKey", message: `is held by pending job ${result.holder.id} of another type` },
        ],
      },
    );
  }
  return { job: present(result.row), isDeduplicated: result.kind === "deduplicated" };
}
