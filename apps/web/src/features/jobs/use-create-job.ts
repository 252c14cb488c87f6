import type { CreateJobBody } from "@jobdeck/contract";
import { tsr } from "../../lib/api-client";
import { completeAction, idempotencyKeyFor } from "../../lib/idempotency";
import { addJob, restartLists } from "./job-cache";

const actionOf = (body: CreateJobBody) => `POST /v1/jobs ${JSON.stringify(body)}`;

/**
 * POST /v1/jobs with an Idempotency-Key: submitting the same job again after a failed attempt
 * cannot create it twice. On success the lists start again from the top, where the new job is.
 */
export function useCreateJob() {
  const queryClient = tsr.useQueryClient();
  const mutation = tsr.jobs.createJob.useMutation({
    onSuccess: async (response, { body }) => {
      completeAction(actionOf(body));
      // Opening the new job from the notice shows it at once.
      addJob(queryClient, response.body.data);
      await restartLists(queryClient);
    },
  });
  const { mutate, isPending, error, reset } = mutation;
  const create = (body: CreateJobBody, options?: Parameters<typeof mutate>[1]) =>
    mutate({ body, headers: { "idempotency-key": idempotencyKeyFor(actionOf(body)) } }, options);
  return { create, isPending, error, reset };
}
