import { JOB_STATUSES, type JobFilters, type JobStats, type JobStatus } from "@jobdeck/contract";
import type { JobsDeps } from "./deps.js";
import { jobFilters } from "./list-jobs.js";

/** Counts by status over the list's filters: one GROUP BY on the (userId, status, id) index. */
export async function getJobStats({
  db,
  userId,
  query,
}: Pick<JobsDeps, "db"> & { userId: string; query: JobFilters }): Promise<JobStats> {
  const groups = await db.prisma.job.groupBy({
    by: ["status"],
    where: jobFilters(userId, query),
    _count: { _all: true },
  });
  const byStatus = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as Record<JobStatus, number>;
  let total = 0;
  for (const group of groups) {
    total += group._count._all;
    if (group.status in byStatus) byStatus[group.status as JobStatus] = group._count._all;
  }
  return { total, byStatus };
}
