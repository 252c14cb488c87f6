import type { Job } from "@jobdeck/contract";
import { findJob } from "../db/queries/jobs.js";
import { notFound } from "../errors.js";
import type { JobsDeps } from "./deps.js";
import { parseJobId } from "./job-id.js";
import { toJob } from "./mapper.js";

/** A malformed id, a missing job and another user's job all give the same 404 (docs/api.md §7). */
export async function getJob({
  db,
  userId,
  jobId,
}: Pick<JobsDeps, "db"> & { userId: string; jobId: string }): Promise<Job> {
  const row = await findJob(db, { id: parseJobId(jobId), userId });
  if (!row) throw notFound();
  return toJob(row);
}
