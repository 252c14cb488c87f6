import type { JobFilters } from "@jobdeck/contract";
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
