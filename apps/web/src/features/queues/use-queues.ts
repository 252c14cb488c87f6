import type { contract, Queue, QueueSettings } from "@jobdeck/contract";
import type { InfiniteData } from "@tanstack/react-query";
import type { DataResponse } from "@ts-rest/react-query/v5";
import { tsr, type TsrQueryClient } from "../../lib/api-client";
import { queryKeys } from "../../lib/query-keys";
import { useLiveStatus } from "../jobs/live-status";

/** Queues per request; a user with more pages through them with "Show more queues". */
export const QUEUES_PAGE_SIZE = 50;
/** Without live events the counts are read again this often; with them, events trigger the reads. */
const POLL_MS = 5000;

type QueueListData = InfiniteData<DataResponse<typeof contract.queues.listQueues>, string | undefined>;
const NO_QUEUES: Queue[] = [];

const selectQueues = (data: QueueListData): Queue[] => data.pages.flatMap((page) => page.body.data);

/** GET /v1/queues, page after page along `nextCursor`. */
export function useQueues() {
  const isLive = useLiveStatus() === "live";
  const result = tsr.queues.listQueues.useInfiniteQuery<Queue[], string | undefined>({
    queryKey: queryKeys.listQueues.all(),
    queryData: ({ pageParam: cursor }) => ({
      query: { limit: String(QUEUES_PAGE_SIZE), ...(cursor ? { cursor } : {}) },
    }),
    initialPageParam: undefined,
    getNextPageParam: (lastPage: DataResponse<typeof contract.queues.listQueues>) =>
      lastPage.body.pagination.nextCursor ?? undefined,
    select: selectQueues,
    refetchInterval: isLive ? false : POLL_MS,
  });
  return { ...result, queues: result.data ?? NO_QUEUES };
}

/** A queue with the ETag its answer carried: what a PUT sends back as If-Match. */
export type QueueWithEtag = { queue: Queue; etag: string | undefined };

/** GET /v1/queues/{name}: the queue and its ETag. */
export function useQueue(name: string, { isEnabled = true }: { isEnabled?: boolean } = {}) {
  return tsr.queues.getQueue.useQuery({
    queryKey: queryKeys.getQueue.byName(name),
    queryData: { params: { name } },
    enabled: isEnabled,
    select: (response): QueueWithEtag => ({
      queue: response.body.data,
      etag: response.headers.get("etag") ?? undefined,
    }),
  });
}

/** A queue as a pause, resume or PUT answered it: the list shows it, and its own query holds its new ETag. */
function storeQueue(queryClient: TsrQueryClient, response: DataResponse<typeof contract.queues.getQueue>) {
  const queue = response.body.data;
  queryClient.queues.getQueue.setQueryData(queryKeys.getQueue.byName(queue.name), response);
  queryClient.setQueryData<QueueListData>(queryKeys.listQueues.all(), (old) =>
    old
      ? {
          ...old,
          pages: old.pages.map((page) => ({
            ...page,
            body: { ...page.body, data: page.body.data.map((q) => (q.name === queue.name ? queue : q)) },
          })),
        }
      : old,
  );
}

/** POST /v1/queues/{name}/pause or /resume. */
export function useSetPaused() {
  const queryClient = tsr.useQueryClient();
  const onSuccess = (response: DataResponse<typeof contract.queues.pauseQueue>) =>
    storeQueue(queryClient, response);
  const pause = tsr.queues.pauseQueue.useMutation({ onSuccess });
  const resume = tsr.queues.resumeQueue.useMutation({ onSuccess });
  return {
    setPaused: (name: string, isPaused: boolean) => (isPaused ? pause : resume).mutate({ params: { name } }),
    isPending: pause.isPending || resume.isPending,
    error: pause.error ?? resume.error,
    reset: () => {
      pause.reset();
      resume.reset();
    },
  };
}

/** PUT /v1/queues/{name} with If-Match: a queue changed since `etag` is a 412, and nothing is written. */
export function usePutQueue() {
  const queryClient = tsr.useQueryClient();
  const mutation = tsr.queues.putQueue.useMutation({
    onSuccess: (response) => storeQueue(queryClient, response),
  });
  const { mutate, isPending, error, reset } = mutation;
  const put = (
    name: string,
    settings: QueueSettings,
    etag: string | undefined,
    options?: Parameters<typeof mutate>[1],
  ) => mutate({ params: { name }, body: settings, headers: etag ? { "if-match": etag } : {} }, options);
  return { put, isPending, error, reset };
}
