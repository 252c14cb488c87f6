/**
 * A fresh query cache per test, wrapped the way main.tsx wraps the app: TanStack Query's provider
 * and ts-rest's, which gives `tsr.useQueryClient()` its typed client.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { tsr, type TsrQueryClient } from "../../src/lib/api-client";

/** Failed requests are not retried: a test sees the first answer. */
export const testQueryClient = (): TsrQueryClient =>
  tsr.initQueryClient(new QueryClient({ defaultOptions: { queries: { retry: false } } }));

export function QueryProviders({ client, children }: { client: QueryClient; children: ReactNode }) {
  return (
    <QueryClientProvider client={client}>
      <tsr.ReactQueryProvider>{children}</tsr.ReactQueryProvider>
    </QueryClientProvider>
  );
}

/** For renderHook: `{ wrapper: withQueries(client) }`. */
export const withQueries =
  (client: QueryClient) =>
  ({ children }: { children: ReactNode }) => <QueryProviders client={client}>{children}</QueryProviders>;
