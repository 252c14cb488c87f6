import { QueryClient } from "@tanstack/react-query";
import { statusOf } from "./api-errors";

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will answer the same again (and a 401 has already signed the user out); retry only
        // what may pass on a second try: network errors, 5xx, 429.
        retry: (failureCount, error) => {
          const status = statusOf(error);
          return failureCount < 2 && (status === undefined || status >= 500 || status === 429);
        },
        refetchOnWindowFocus: false,
      },
    },
  });
}
