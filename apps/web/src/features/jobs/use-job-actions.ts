import type { RetryJobBody } from "@jobdeck/contract";
import type { QueryClient } from "@tanstack/react-query";
import { tsr } from "../../lib/api-client";
import { statusOf } from "../../lib/api-errors";
import { completeAction, idempotencyKeyFor } from "../../lib/idempotency";
import { notify } from "../../lib/notices";
import { queryKeys } from "../../lib/query-keys";
import { navigate, paths } from "../../lib/router";
import { applyJobUpdates, restartLists } from "./job-cache";

/** A 409 means the job is not in the state this page shows: read it again. */
function refreshOnConflict(queryClient: QueryClient, error: unknown, jobId: string) {
  if (statusOf(error) === 409) void queryClient.invalidateQueries({ queryKey: queryKeys.getJob.byId(jobId) });
}

/** POST /v1/jobs/:id/cancel: a pending job is cancelled at once, a running one once its handler stops. */
export function useCancelJob() {
  const queryClient = tsr.useQueryClient();
  const mutation = tsr.jobs.cancelJob.useMutation({
    onSuccess: (response) => {
      applyJobUpdates(queryClient, [response.body.data]);
      // "Job cancelled", or what happened instead (the job ended first, or its handler has not stopped yet).
      notify(response.body.message);
    },
    onError: (error, { params }) => refreshOnConflict(queryClient, error, params.jobId),
  });
  const { mutate, isPending, error, reset } = mutation;
  return { cancel: (jobId: string) => mutate({ params: { jobId } }), isPending, error, reset };
}

/** The changes are part of the action: another set of changes is another request, with its own key. */
const retryAction = (jobId: string, changes: RetryJobBody | undefined) =>
  `POST /v1/jobs/${jobId}/retry${changes ? ` ${JSON.stringify(changes)}` : ""}`;

/**
 * POST /v1/jobs/:id/retry with an Idempotency-Key, then opens the new job: as it was, or with
 * changes (§15, "Edit & run again"). Clicking again after a failed attempt reuses the key, so a
 * retry whose answer was lost does not make a second job.
 */
export function useRetryJob() {
  const queryClient = tsr.useQueryClient();
  const mutation = tsr.jobs.retryJob.useMutation({
    onSuccess: (response, { params, body }) => {
      completeAction(retryAction(params.jobId, body));
      void restartLists(queryClient);
      // A repeat of a retry whose first answer was lost: the server answers with the job it made then.
      const isReplay = response.headers.get("idempotent-replayed") === "true";
      notify(isReplay ? "Already retried: this is the new job" : "Retrying as a new job");
      navigate(paths.job(response.body.data.id));
    },
    onError: (error, { params }) => refreshOnConflict(queryClient, error, params.jobId),
  });
  const { mutate, isPending, error, reset } = mutation;
  const retry = (jobId: string, changes?: RetryJobBody) =>
    mutate({
      params: { jobId },
      body: changes,
      headers: { "idempotency-key": idempotencyKeyFor(retryAction(jobId, changes)) },
    });
  return { retry, isPending, error, reset };
}
