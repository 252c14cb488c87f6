import type { contract, Webhook, WebhookBody, WebhookDelivery, WebhookWithSecret } from "@jobdeck/contract";
import type { InfiniteData } from "@tanstack/react-query";
import type { DataResponse } from "@ts-rest/react-query/v5";
import { tsr, type TsrQueryClient } from "../../lib/api-client";
import { queryKeys } from "../../lib/query-keys";

export const WEBHOOKS_PAGE_SIZE = 50;
export const DELIVERIES_PAGE_SIZE = 25;
/** New attempts appear at the top of the log: its first page is read again this often. */
const DELIVERIES_POLL_MS = 3000;

type WebhookListData = InfiniteData<DataResponse<typeof contract.webhooks.listWebhooks>, string | undefined>;
type DeliveryListData = InfiniteData<
  DataResponse<typeof contract.webhooks.listWebhookDeliveries>,
  string | undefined
>;
const NO_WEBHOOKS: Webhook[] = [];
const NO_DELIVERIES: WebhookDelivery[] = [];

/** GET /v1/webhooks, page after page. */
export function useWebhooks() {
  const result = tsr.webhooks.listWebhooks.useInfiniteQuery<Webhook[], string | undefined>({
    queryKey: queryKeys.listWebhooks.all(),
    queryData: ({ pageParam: cursor }) => ({
      query: { limit: String(WEBHOOKS_PAGE_SIZE), ...(cursor ? { cursor } : {}) },
    }),
    initialPageParam: undefined,
    getNextPageParam: (lastPage: DataResponse<typeof contract.webhooks.listWebhooks>) =>
      lastPage.body.pagination.nextCursor ?? undefined,
    select: (data: WebhookListData) => data.pages.flatMap((page) => page.body.data),
  });
  return { ...result, webhooks: result.data ?? NO_WEBHOOKS };
}

/** GET /v1/webhooks/{id} (never with its secret). */
export function useWebhook(webhookId: string) {
  return tsr.webhooks.getWebhook.useQuery({
    queryKey: queryKeys.getWebhook.byId(webhookId),
    queryData: { params: { id: webhookId } },
    select: (response) => response.body.data,
  });
}

/** The webhook without its secret: a secret is shown once and never kept in the cache. */
const withoutSecret = ({ secret: _secret, ...webhook }: WebhookWithSecret): Webhook => webhook;

function storeWebhook(queryClient: TsrQueryClient, webhook: Webhook) {
  queryClient.webhooks.getWebhook.setQueryData(queryKeys.getWebhook.byId(webhook.id), {
    status: 200,
    body: { success: true, data: webhook, message: "" },
    headers: new Headers(),
  });
  queryClient.setQueryData<WebhookListData>(queryKeys.listWebhooks.all(), (old) =>
    old
      ? {
          ...old,
          pages: old.pages.map((page) => ({
            ...page,
            body: { ...page.body, data: page.body.data.map((w) => (w.id === webhook.id ? webhook : w)) },
          })),
        }
      : old,
  );
}

/** POST /v1/webhooks. The answer's secret goes to the caller (to show once), not to the cache. */
export function useCreateWebhook() {
  const queryClient = tsr.useQueryClient();
  return tsr.webhooks.createWebhook.useMutation({
    onSuccess: (response) => {
      storeWebhook(queryClient, withoutSecret(response.body.data));
      void queryClient.invalidateQueries({ queryKey: queryKeys.listWebhooks.all() });
    },
  });
}

/** PUT /v1/webhooks/{id}: url, events, filter and isEnabled, all of them (the secret stays). */
export function usePutWebhook() {
  const queryClient = tsr.useQueryClient();
  const mutation = tsr.webhooks.putWebhook.useMutation({
    onSuccess: (response) => storeWebhook(queryClient, response.body.data),
  });
  const { mutate, isPending, error, reset } = mutation;
  const put = (webhookId: string, body: WebhookBody, options?: Parameters<typeof mutate>[1]) =>
    mutate({ params: { id: webhookId }, body }, options);
  return { put, isPending, error, reset };
}

/** The body that PUT takes, from the webhook as it is, with `patch` applied (enable, disable). */
export const bodyOf = (webhook: Webhook, patch: Partial<WebhookBody> = {}): WebhookBody => ({
  url: webhook.url,
  events: webhook.events,
  filter: webhook.filter,
  isEnabled: webhook.isEnabled,
  ...patch,
});

export function useDeleteWebhook() {
  const queryClient = tsr.useQueryClient();
  return tsr.webhooks.deleteWebhook.useMutation({
    onSuccess: (_response, { params }) => {
      queryClient.removeQueries({ queryKey: queryKeys.getWebhook.byId(params.id) });
      queryClient.removeQueries({ queryKey: queryKeys.listWebhookDeliveries.byWebhook(params.id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.listWebhooks.all() });
    },
  });
}

/** POST /v1/webhooks/{id}/rotate-secret: the new secret is the caller's to show, once. */
export function useRotateSecret() {
  const queryClient = tsr.useQueryClient();
  return tsr.webhooks.rotateWebhookSecret.useMutation({
    onSuccess: (response) => storeWebhook(queryClient, withoutSecret(response.body.data)),
  });
}

const refreshDeliveries = (queryClient: TsrQueryClient, webhookId: string) =>
  queryClient.invalidateQueries({ queryKey: queryKeys.listWebhookDeliveries.byWebhook(webhookId) });

/** POST /v1/webhooks/{id}/test: a webhook.test message, sent at once; its attempts show in the log. */
export function useTestWebhook() {
  const queryClient = tsr.useQueryClient();
  return tsr.webhooks.testWebhook.useMutation({
    onSuccess: (_response, { params }) => void refreshDeliveries(queryClient, params.id),
  });
}

/** POST …/deliveries/{deliveryId}/redeliver: the same message again (same webhook-id and body). */
export function useRedeliver() {
  const queryClient = tsr.useQueryClient();
  return tsr.webhooks.redeliverWebhookDelivery.useMutation({
    onSuccess: (_response, { params }) => void refreshDeliveries(queryClient, params.id),
  });
}

/**
 * GET /v1/webhooks/{id}/deliveries, newest first, page after page. While only the first page is
 * loaded it is read again every few seconds, so new attempts appear at the top; once the reader
 * pages back through the log it stays put (a refetch would re-read every loaded page).
 */
export function useDeliveries(webhookId: string) {
  const result = tsr.webhooks.listWebhookDeliveries.useInfiniteQuery<WebhookDelivery[], string | undefined>({
    queryKey: queryKeys.listWebhookDeliveries.byWebhook(webhookId),
    queryData: ({ pageParam: cursor }) => ({
      params: { id: webhookId },
      query: { limit: String(DELIVERIES_PAGE_SIZE), ...(cursor ? { cursor } : {}) },
    }),
    initialPageParam: undefined,
    getNextPageParam: (lastPage: DataResponse<typeof contract.webhooks.listWebhookDeliveries>) =>
      lastPage.body.pagination.nextCursor ?? undefined,
    select: (data: DeliveryListData) => data.pages.flatMap((page) => page.body.data),
    refetchInterval: (query: { state: { data: unknown } }) =>
      ((query.state.data as DeliveryListData | undefined)?.pages.length ?? 0) <= 1
        ? DELIVERIES_POLL_MS
        : false,
  });
  return { ...result, deliveries: result.data ?? NO_DELIVERIES };
}
