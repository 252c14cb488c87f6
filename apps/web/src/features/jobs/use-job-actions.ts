import type { Job } from "@jobdeck/contract";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { cancelJob, retryJob } from "../../lib/live-api";
import { navigate, paths } from "../../lib/router";
import { notify } from "../../lib/notices";
import { applyJobUpdates, restartLists } from "./job-cache";

// TEMPORARY: both call live-api.ts; switch to tsr.jobs.cancelJob/retryJob.useMutation once the
// contract declares POST /v1/jobs/:id/cancel and /retry. The UI around them does not change.

export function useCancelJob() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (jobId: string) => cancelJob(jobId),
    onSuccess: (job: Job) => {
      applyJobUpdates(queryClient, [job]);
      notify(`Job ${job.status === "cancelled" ? "cancelled" : "is being cancelled"}`);
    },
  });
}

export function useRetryJob() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (jobId: string) => retryJob(jobId),
    onSuccess: (job: Job) => {
      void restartLists(queryClient);
      notify(`Retrying as a new job`);
      navigate(paths.job(job.id));
    },
  });
}
