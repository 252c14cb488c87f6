import { JOB_STATUSES, type JobFilters, type JobStatus } from "@jobdeck/contract";
import { inList } from "../index.js";

/**
 * The list's filters (docs/api.md §5) as SQL conditions on "jobs", shared by the list and the stats.
 * Every value is a bound parameter added to `params`; only column names are spliced in.
 */
export function filterConditions(
  userId: string,
  filters: JobFilters,
  params: Record<string, unknown>,
): string[] {
  params.userId = userId;
  const conditions = [`"userId" = @userId`];
  if (filters.type) conditions.push(`"type" IN ${inList("type", filters.type, params)}`);
  if (filters.status) conditions.push(`"status" IN ${inList("status", filters.status, params)}`);
  if (filters.resultType)
    conditions.push(`"resultType" IN ${inList("resultType", filters.resultType, params)}`);
  if (filters.queue) conditions.push(`"queue" IN ${inList("queue", filters.queue, params)}`);
  if (filters.concurrencyKey)
    conditions.push(`"concurrencyKey" IN ${inList("concurrencyKey", filters.concurrencyKey, params)}`);
  if (filters.scheduleId)
    conditions.push(`"scheduleId" IN ${inList("scheduleId", filters.scheduleId, params)}`);
  if (filters.batchId) conditions.push(`"batchId" IN ${inList("batchId", filters.batchId, params)}`);
  if (filters.createdFrom !== undefined) {
    conditions.push(`"createdAt" >= @createdFrom`);
    params.createdFrom = new Date(filters.createdFrom);
  }
  if (filters.createdTo !== undefined) {
    conditions.push(`"createdAt" <= @createdTo`);
    params.createdTo = new Date(filters.createdTo);
  }
  return conditions;
}

/**
 * Only a pending job has a waitReason, so a waitReason filter reads pending jobs only: the status
 * filter becomes its intersection with `pending` (an index range like any status filter), and
 * undefined means nothing can match (`status=failed&waitReason=queued`). The reason itself is
 * computed per row afterwards (jobs/wait-reasons.ts).
 */
export function pendingOnly<F extends JobFilters>(filters: F): F | undefined {
  const statuses: readonly JobStatus[] = filters.status ?? JOB_STATUSES;
  if (!statuses.includes("pending")) return undefined;
  return { ...filters, status: ["pending"] };
}
