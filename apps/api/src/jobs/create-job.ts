import type { CreateJobBody, Job } from "@jobdeck/contract";
import { v7 as uuidv7 } from "uuid";
import type { AlsoInTransaction } from "../db/job-store/index.js";
import { validationFailed } from "../errors.js";
import { zodDetails } from "../http/validation.js";
import type { JobsDeps } from "./deps.js";
import { toJob } from "./mapper.js";

/**
 * Validates the payload against its type's schema and stores a pending job (with its `created`
 * event, and `also` — the answer for its Idempotency-Key — in the same transaction; workers are
 * woken). Nothing is written on a 4xx.
 */
export async function createJob({
  store,
  registry,
  userId,
  body,
  also,
}: Pick<JobsDeps, "store" | "registry"> & {
  userId: string;
  body: CreateJobBody;
  also?: AlsoInTransaction | undefined;
}): Promise<Job> {
  const definition = registry.get(body.type);
  if (!definition) {
    throw validationFailed([
      { path: "type", message: `is not a known job type; known types: ${registry.names().join(", ")}` },
    ]);
  }
  const parsed = definition.payloadSchema.safeParse(body.payload);
  if (!parsed.success) throw validationFailed(zodDetails(parsed.error, ["payload"]));

  const row = await store.insertJob(
    {
      // UUIDv7: time-ordered, so new rows land at the end of the primary key index.
      id: uuidv7(),
      userId,
      type: definition.type,
      resultType: definition.resultType,
      // Stored as submitted; the handler parses it again (and applies defaults) when it runs.
      payload: body.payload,
      maxAttempts: definition.maxAttempts,
      timeoutMs: definition.timeoutMs,
    },
    new Date(),
    also,
  );
  return toJob(row);
}
