import type { JobFilters, JobStats } from "@jobdeck/contract";
import { countJobsByStatus } from "../db/queries/job-stats.js";
import type { JobsDeps } from "./deps.js";

/** Counts of the caller's jobs by status, over the list's filters (docs/api.md §9). */
export async function getJobStats({
  db,
  userId,
  query,
}: Pick<JobsDeps, "db"> & { userId: string; query: JobFilters }): Promise<JobStats> {
  const byStatus = await countJobsByStatus(db, userId, query);
  const total = Object.values(byStatus).reduce((sum, count) => sum + count, 0);
  return { total, byStatus };
}
