import { isEnded, type Job } from "@jobdeck/contract";
import { tsr } from "../../lib/api-client";
import { queryKeys } from "../../lib/query-keys";
import { jobPlaceholder, newestKnown, type JobQueryData } from "./job-cache";
import { useLiveStatus } from "./live-status";

const POLL_MS = 4000;

const isActive = (job: Job | undefined) => job !== undefined && !isEnded(job.status);

const selectJob = (response: JobQueryData): Job => newestKnown(response.body.data);

/**
 * One job (its data is the Job). Opened from the list it shows at once (the row is already in the
 * cache) while the full answer loads. Without live events, an unfinished job is polled until it ends.
 */
export function useJob(jobId: string, { isEnabled = true }: { isEnabled?: boolean } = {}) {
  const queryClient = tsr.useQueryClient();
  const isLive = useLiveStatus() === "live";
  return tsr.jobs.getJob.useQuery({
    queryKey: queryKeys.getJob.byId(jobId),
    queryData: { params: { jobId } },
    enabled: isEnabled,
    placeholderData: () => jobPlaceholder(queryClient, jobId),
    select: selectJob,
    refetchInterval: (query) => (!isLive && isActive(query.state.data?.body.data) ? POLL_MS : false),
  });
}
