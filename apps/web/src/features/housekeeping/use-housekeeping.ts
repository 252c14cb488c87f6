import type { Retention } from "@jobdeck/contract";
import { tsr } from "../../lib/api-client";
import { queryKeys } from "../../lib/query-keys";

/** GET /v1/jobs/failure-groups: the caller's failed jobs by type and error code, largest first. */
export function useFailureGroups() {
  return tsr.jobs.listFailureGroups.useQuery({
    queryKey: queryKeys.listFailureGroups(),
    queryData: { query: {} },
    select: (response) => response.body.data,
  });
}

/** GET /v1/retention: how long the caller's ended jobs are kept (null = forever). */
export function useRetention() {
  return tsr.retention.getRetention.useQuery({
    queryKey: queryKeys.getRetention(),
    select: (response) => response.body.data,
  });
}

/** PUT /v1/retention; the answer becomes the cached setting. */
export function usePutRetention() {
  const queryClient = tsr.useQueryClient();
  const mutation = tsr.retention.putRetention.useMutation({
    onSuccess: (response) =>
      queryClient.retention.getRetention.setQueryData(queryKeys.getRetention(), response),
  });
  return {
    put: (retention: Retention, onSaved: () => void) =>
      mutation.mutate({ body: retention }, { onSuccess: onSaved }),
    isPending: mutation.isPending,
    error: mutation.error,
  };
}
