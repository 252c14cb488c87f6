import { useQuery } from "@tanstack/react-query";
import { fetchJobStats, hasStatsRoute, isNotFound } from "../../lib/live-api";
import { queryKeys } from "../../lib/query-keys";
import type { JobListQuery } from "./list-state";

/**
 * Counts by status for the view's other filters (the status filter itself is left out, so each
 * status shows how many jobs choosing it would list). `data` stays undefined where the server has
 * no stats route: the filter bar then simply shows no counts.
 */
export function useJobStats(query: JobListQuery) {
  const { status: _status, sortBy: _sortBy, sortOrder: _sortOrder, ...filters } = query;
  return useQuery({
    queryKey: queryKeys.jobStats(filters),
    // TEMPORARY: switch to tsr.jobs.jobStats.useQuery once the contract declares GET /v1/jobs/stats.
    queryFn: ({ signal }) => fetchJobStats(filters, signal),
    enabled: hasStatsRoute(),
    staleTime: 10_000,
    retry: (failureCount, error) => !isNotFound(error) && failureCount < 2,
  });
}
