import { useQueryClient } from "@tanstack/react-query";
import { tsr } from "../../lib/api-client";
import { queryKeys } from "../../lib/query-keys";
import { restartLists } from "./job-cache";

/** POST /v1/jobs; on success the lists start again from the top, where the new job now is. */
export function useCreateJob() {
  const queryClient = useQueryClient();
  return tsr.jobs.createJob.useMutation({
    onSuccess: async (response) => {
      // Opening the new job from the notice shows it at once.
      const job = response.body.data;
      queryClient.setQueryData(queryKeys.job(job.id), { ...response, status: 200 });
      await restartLists(queryClient);
    },
  });
}
