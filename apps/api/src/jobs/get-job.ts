import type { Job } from "@jobdeck/contract";
import { notFound } from "../errors.js";
import type { JobsDeps } from "./deps.js";
import { toJob } from "./mapper.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed id, a missing job and another user's job all give the same 404 (spec §7). */
export async function getJob({
  db,
  userId,
  jobId,
}: Pick<JobsDeps, "db"> & { userId: string; jobId: string }): Promise<Job> {
  if (!UUID.test(jobId)) throw notFound();
  const row = await db.prisma.job.findFirst({ where: { id: jobId.toLowerCase(), userId } });
  if (!row) throw notFound();
  return toJob(row);
}
