import { DEFAULT_QUEUE, type CreateJobBody, type Job, type JobsBatch } from "@jobdeck/contract";
import { v7 as uuidv7 } from "uuid";
import type { AlsoWithJobs, NewJob } from "../db/job-store/index.js";
import type { JobRow } from "../db/rows.js";
import { resolveBatchTypes } from "./check-jobs-batch.js";
import { runAtOf } from "./create-job.js";
import type { JobsDeps } from "./deps.js";
import { presenterForMany } from "./present-created.js";

/**
 * More to write in a batch's transaction, given how its jobs will be shown: the stored answer of an
 * Idempotency-Key (the router builds it), so that a replay shows exactly the first answer.
 */
export type RememberBatchAnswer = (present: (rows: JobRow[]) => JobsBatch) => AlsoWithJobs;

/**
 * Creates a batch's jobs (§12): all of them or none, in one transaction, in the order sent, each
 * as a single create would make it (§6, §11) and carrying the batch's id. Every item whose type is
 * unknown or whose payload its type refuses is named in one 400; nothing is written on any 4xx.
 */
export async function createJobsBatch({
  db,
  store,
  registry,
  userId,
  jobs,
  remember,
}: Pick<JobsDeps, "db" | "store" | "registry"> & {
  userId: string;
  jobs: CreateJobBody[];
  remember?: RememberBatchAnswer | undefined;
}): Promise<JobsBatch> {
  const definitions = resolveBatchTypes(registry, jobs);
  const batchId = uuidv7();
  const now = new Date();
  const newJobs = jobs.map((body, index): NewJob & { queue: string; concurrencyKey: string | null } => {
    const definition = definitions[index]!;
    return {
      id: uuidv7(),
      userId,
      type: definition.type,
      resultType: definition.resultType,
      payload: body.payload,
      maxAttempts: definition.maxAttempts,
      timeoutMs: definition.timeoutMs,
      queue: body.queue ?? DEFAULT_QUEUE,
      priority: body.priority ?? 0,
      runAt: runAtOf(body, now.getTime()),
      concurrencyKey: body.concurrencyKey ?? null,
      batchId,
      tags: body.tags ?? null,
      metadata: body.metadata ?? null,
    };
  });
  const presentJob = await presenterForMany({ db, prospects: newJobs });
  // Shown once: the stored answer (inside the transaction) and the one sent are the same object.
  let shown: JobsBatch | undefined;
  const present = (rows: JobRow[]): JobsBatch => (shown ??= { batchId, jobs: rows.map(presentJob) });
  return present(await store.insertJobs(newJobs, now, remember?.(present)));
}

/** The answer's message: how many jobs the batch made. */
export const batchMessage = (jobs: readonly Job[]) =>
  `${jobs.length} ${jobs.length === 1 ? "job" : "jobs"} created in a batch`;
