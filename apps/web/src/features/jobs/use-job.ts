import type { Job } from "@jobdeck/contract";
import { useQueryClient } from "@tanstack/react-query";
import { tsr } from "../../lib/api-client";
import { queryKeys } from "../../lib/query-keys";
import { findJobInLists, newestKnown } from "./job-cache";
import { useLiveStatus } from "./live-status";

const POLL_MS = 4000;

const isActive = (job: Job | undefined) => job?.status === "pending" || job?.status === "running";

/**
 * One job. Opened from the list it shows at once (the row is already in the cache) while the
 * full answer loads. Without live events, an unfinished job is polled until it ends.
 */
export function useJob(jobId: string, { isEnabled = true }: { isEnabled?: boolean } = {}) {
  const queryClient = useQueryClient();
  const isLive = useLiveStatus() === "live";
  return tsr.jobs.getJob.useQuery({
    queryKey: queryKeys.job(jobId),
    queryData: { params: { jobId } },
    enabled: isEnabled,
    placeholderData: () => {
      const job = findJobInLists(queryClient, jobId);
      return (
        job && {
          status: 200 as const,
          body: { success: true as const, data: job, message: "" },
          headers: new Headers(),
        }
      );
    },
    select: (response) => ({
      ...response,
      body: { ...response.body, data: newestKnown(response.body.data) },
    }),
    refetchInterval: (query) => (!isLive && isActive(query.state.data?.body.data) ? POLL_MS : false),
  });
}
