import { tsr } from "../../lib/api-client";
import { queryKeys } from "../../lib/query-keys";

/** The registered job types; they only change when the server restarts. */
export function useJobTypes() {
  return tsr.jobs.listJobTypes.useQuery({
    queryKey: queryKeys.listJobTypes(),
    staleTime: 10 * 60_000,
    select: (response) => response.body.data,
  });
}
