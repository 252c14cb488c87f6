import { AppError, notFound } from "../errors.js";
import type { JobsDeps } from "./deps.js";
import { parseJobId } from "./job-id.js";

export type JobArtifact = { contentType: string; bytes: Buffer };

/** The binary result of one of the caller's jobs; another user's job is the same 404 as none. */
export async function getJobArtifact({
  db,
  userId,
  jobId,
}: Pick<JobsDeps, "db"> & { userId: string; jobId: string }): Promise<JobArtifact> {
  const id = parseJobId(jobId);
  const job = await db.prisma.job.findFirst({ where: { id, userId }, select: { id: true } });
  if (!job) throw notFound();
  const artifact = await db.prisma.jobArtifact.findUnique({ where: { jobId: id } });
  if (!artifact) throw new AppError("NOT_FOUND", "This job has no artifact");
  return { contentType: artifact.contentType, bytes: Buffer.from(artifact.bytes) };
}
