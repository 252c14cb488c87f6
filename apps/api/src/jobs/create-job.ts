import type { CreateJobBody, Job } from "@jobdeck/contract";
import { v7 as uuidv7 } from "uuid";
import { Prisma } from "../../generated/prisma-sqlite/client.js";
import { validationFailed } from "../errors.js";
import type { TransactionDb } from "../idempotency/run-idempotent.js";
import { zodDetails } from "../http/validation.js";
import type { JobsDeps } from "./deps.js";
import { toJob } from "./mapper.js";

/** Validates the payload against its type's schema and stores a pending job. Nothing is written on a 4xx. */
export async function createJob({
  prisma,
  registry,
  userId,
  body,
}: Pick<JobsDeps, "registry"> & {
  prisma: TransactionDb;
  userId: string;
  body: CreateJobBody;
}): Promise<Job> {
  const definition = registry.get(body.type);
  if (!definition) {
    throw validationFailed([
      { path: "type", message: `is not a known job type; known types: ${registry.names().join(", ")}` },
    ]);
  }
  const parsed = definition.payloadSchema.safeParse(body.payload);
  if (!parsed.success) throw validationFailed(zodDetails(parsed.error, ["payload"]));

  const now = new Date();
  const row = await prisma.job.create({
    data: {
      // UUIDv7: time-ordered, so new rows land at the end of the primary key index.
      id: uuidv7(),
      userId,
      type: definition.type,
      status: "pending",
      resultType: definition.resultType,
      // Stored as submitted; the handler parses it again (and applies defaults) when it runs.
      payload: body.payload === null ? Prisma.JsonNull : (body.payload as Prisma.InputJsonValue),
      maxAttempts: definition.maxAttempts,
      timeoutMs: definition.timeoutMs,
      runAt: now,
      createdAt: now,
      updatedAt: now,
    },
  });
  return toJob(row);
}
