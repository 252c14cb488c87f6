import { tsr } from "../../lib/api-client";
import { queryKeys, type JobListQuery } from "../../lib/query-keys";

/**
 * GET /v1/jobs/stats: counts by status for the view's other filters (the status filter itself is
 * left out, so each status shows how many jobs choosing it would list). Live events re-read it.
 */
export function useJobStats(query: JobListQuery) {
  const { status: _status, sortBy: _sortBy, sortOrder: _sortOrder, ...filters } = query;
  return tsr.jobs.getJobStats.useQuery({
    queryKey: queryKeys.getJobStats.query(filters),
    queryData: { query: filters },
    staleTime: 10_000,
    select: (response) => response.body.data,
  });
}
