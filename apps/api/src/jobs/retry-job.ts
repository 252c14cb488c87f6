import { isEnded, type Job, type Metadata } from "@jobdeck/contract";
import { v7 as uuidv7 } from "uuid";
import { findJob } from "../db/queries/jobs.js";
import { parseJson } from "../db/rows.js";
import { AppError, notFound } from "../errors.js";
import type { JobsDeps } from "./deps.js";
import { parseJobId } from "./job-id.js";
import type { RememberAnswer } from "./create-job.js";
import { presenterFor } from "./present-created.js";

/**
 * A new pending job with the original's type and payload (docs/api.md §9); the original stays as it
 * was. 409 while the original has not ended, or when its type or payload is no longer accepted (a
 * type from a JOB_TYPES_MODULE that is not loaded any more): nothing is written then.
 */
export async function retryJob({
  db,
  store,
  registry,
  userId,
  jobId,
  remember,
}: Pick<JobsDeps, "db" | "store" | "registry"> & {
  userId: string;
  jobId: string;
  remember?: RememberAnswer | undefined;
}): Promise<Job> {
  const original = await findJob(db, { id: parseJobId(jobId), userId });
  if (!original) throw notFound();
  if (!isEnded(original.status)) {
    throw new AppError(
      "CONFLICT",
      `Job is still ${original.status}; only completed, failed or cancelled jobs can be retried`,
    );
  }
  const definition = registry.get(original.type);
  if (!definition) {
    throw new AppError("CONFLICT", `Job type ${original.type} is not registered any more`);
  }
  const payload = parseJson(original.payload);
  if (!definition.payloadSchema.safeParse(payload).success) {
    throw new AppError("CONFLICT", `The job's payload is no longer valid for type ${original.type}`);
  }
  const id = uuidv7();
  const { queue, concurrencyKey } = original;
  const present = await presenterFor({
    db,
    prospect: { id, userId, type: original.type, queue, concurrencyKey },
  });
  const row = await store.insertJob(
    {
      id,
      userId,
      type: definition.type,
      resultType: definition.resultType,
      payload,
      maxAttempts: definition.maxAttempts,
      timeoutMs: definition.timeoutMs,
      // It waits where the original did, in the same order and under the same key's limits.
      queue: original.queue,
      priority: original.priority,
      concurrencyKey: original.concurrencyKey,
      // §15: it names the original, and carries its tags and metadata.
      retryOf: original.id,
      tags: parseJson(original.tags) as string[] | null,
      metadata: parseJson(original.metadata) as Metadata | null,
    },
    new Date(),
    remember?.(present),
  );
  return present(row);
}
