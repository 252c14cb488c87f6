import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { beforeEach, describe, expect, it } from "vitest";
import { useJobStats } from "../src/features/jobs/use-job-stats";
import { fakeApi, ok, signInAs } from "./support/api";

const stats = { total: 7, byStatus: { pending: 1, running: 2, completed: 3, failed: 1, cancelled: 0 } };

beforeEach(() => {
  signInAs("counter");
});

describe("useJobStats", () => {
  it("asks GET /v1/jobs/stats with the view's filters except status and sort", async () => {
    const requests = fakeApi(() => ok(200, stats, "Job stats retrieved"));
    const client = new QueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    );
    const { result } = renderHook(
      () =>
        useJobStats({
          type: "echo,sleep",
          status: "failed",
          createdFrom: "1000",
          sortBy: "type",
          sortOrder: "asc",
        }),
      { wrapper },
    );
    await waitFor(() => expect(result.current.data).toEqual(stats));
    expect(requests).toHaveLength(1);
    const url = new URL(requests[0]?.path ?? "", "http://dashboard");
    expect(url.pathname).toBe("/v1/jobs/stats");
    expect(Object.fromEntries(url.searchParams)).toEqual({ type: "echo,sleep", createdFrom: "1000" });
  });
});
