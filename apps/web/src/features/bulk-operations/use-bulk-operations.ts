import type { BulkAction, BulkOperation, JobStatsQueryInput } from "@jobdeck/contract";
import { tsr, type TsrQueryClient } from "../../lib/api-client";
import { completeAction, idempotencyKeyFor } from "../../lib/idempotency";
import { queryKeys } from "../../lib/query-keys";

/** Operations the history page shows: the newest 100 (one page). */
const HISTORY_SIZE = 100;
/** Without the event stream (or while it reconnects), a running operation is read again this often. */
const RUNNING_POLL_MS = 2_000;

/** A bulk operation as an event or an answer showed it: its own query holds it, the history is read again. */
export function storeBulkOperation(queryClient: TsrQueryClient, operation: BulkOperation) {
  queryClient.bulkOperations.getBulkOperation.setQueryData(queryKeys.getBulkOperation.byId(operation.id), {
    status: 200,
    body: { success: true, data: operation, message: "" },
    headers: new Headers(),
  });
  void queryClient.invalidateQueries({ queryKey: queryKeys.listBulkOperations.all() });
  // Its jobs changed: counts and lists catch up through their own events; the stats are read again.
  if (operation.status !== "running")
    void queryClient.invalidateQueries({ queryKey: queryKeys.getJobStats.all() });
}

/** GET /v1/bulk-operations: the newest operations first. */
export function useBulkOperations() {
  return tsr.bulkOperations.listBulkOperations.useQuery({
    queryKey: queryKeys.listBulkOperations.all(),
    queryData: { query: { limit: String(HISTORY_SIZE) } },
    select: (response) => response.body.data,
  });
}

/** GET /v1/bulk-operations/{id}, kept current by `bulk-operation` events (and a slow poll while it runs). */
export function useBulkOperation(id: string | undefined) {
  return tsr.bulkOperations.getBulkOperation.useQuery({
    queryKey: queryKeys.getBulkOperation.byId(id ?? ""),
    queryData: { params: { id: id ?? "" } },
    enabled: id !== undefined,
    select: (response) => response.body.data,
    refetchInterval: (query) => (query.state.data?.body.data.status === "running" ? RUNNING_POLL_MS : false),
  });
}

export type BulkSelection = { filter: JobStatsQueryInput } | { ids: string[] };

const actionName = (body: unknown) => `POST /v1/bulk-operations ${JSON.stringify(body)}`;

/**
 * POST /v1/bulk-operations, a dry run or the real thing. One Idempotency-Key per user action: a
 * retry after a lost answer reuses it, so the operation starts at most once.
 */
export function useStartBulkOperation() {
  const queryClient = tsr.useQueryClient();
  const mutation = tsr.bulkOperations.createBulkOperation.useMutation({
    onSuccess: (response, { body }) => {
      completeAction(actionName(body));
      if (response.status === 202) storeBulkOperation(queryClient, response.body.data);
    },
  });
  const send = async (action: BulkAction, selection: BulkSelection, isDryRun: boolean) => {
    const body = {
      action,
      ...("ids" in selection
        ? { ids: selection.ids }
        : { filter: selection.filter as Record<string, string> }),
      ...(isDryRun ? { dryRun: true as const } : {}),
    };
    return mutation.mutateAsync({
      body,
      headers: { "idempotency-key": idempotencyKeyFor(actionName(body)) },
    });
  };
  return {
    /** How many jobs an operation would match now. */
    count: async (action: BulkAction, selection: BulkSelection) => {
      const response = await send(action, selection, true);
      return response.status === 200 ? response.body.data.matched : response.body.data.matched;
    },
    start: async (action: BulkAction, selection: BulkSelection) => {
      const response = await send(action, selection, false);
      if (response.status !== 202) throw new Error("the operation was not accepted");
      return response.body.data;
    },
    isPending: mutation.isPending,
    error: mutation.error,
    reset: mutation.reset,
  };
}

/** POST /v1/bulk-operations/{id}/cancel. */
export function useCancelBulkOperation() {
  const queryClient = tsr.useQueryClient();
  return tsr.bulkOperations.cancelBulkOperation.useMutation({
    onSuccess: (response) => storeBulkOperation(queryClient, response.body.data),
  });
}
