import type { Job } from "@jobdeck/contract";
import { QueryClient } from "@tanstack/react-query";
import { act, renderHook } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import {
  applyJobUpdates,
  clearArrivals,
  findJobInLists,
  forgetLiveUpdates,
  useArrivals,
} from "../src/features/jobs/job-cache";
import { flattenPages } from "../src/features/jobs/use-jobs";
import type { JobListQuery } from "../src/features/jobs/list-state";
import { queryKeys } from "../src/lib/query-keys";

const job = (n: number, patch: Partial<Job> = {}): Job => ({
  id: `01a2233e-3c77-70aa-8925-${String(n).padStart(12, "0")}`,
  type: "echo",
  status: "pending",
  resultType: "json",
  payload: { n },
  result: null,
  error: null,
  attempts: 0,
  maxAttempts: 3,
  createdAt: `2026-11-28T10:00:0${n}.000Z`,
  updatedAt: `2026-11-28T10:00:0${n}.000Z`,
  startedAt: null,
  finishedAt: null,
  ...patch,
});

const page = (jobs: Job[]) => ({
  status: 200,
  body: { success: true, data: jobs, pagination: { limit: 2, nextCursor: null, hasMore: false } },
  headers: new Headers(),
});

function cacheWithList(query: JobListQuery, pages: Job[][]) {
  const client = new QueryClient();
  client.setQueryData(queryKeys.jobList(query), {
    pages: pages.map(page),
    pageParams: pages.map(() => undefined),
  });
  return client;
}

const listOf = (client: QueryClient, query: JobListQuery) =>
  (client.getQueryData(queryKeys.jobList(query)) as { pages: { body: { data: Job[] } }[] }).pages.map((p) =>
    p.body.data.map((j) => `${j.payload ? (j.payload as { n: number }).n : "?"}:${j.status}`),
  );

describe("live updates in the cache", () => {
  const all: JobListQuery = { sortBy: "createdAt", sortOrder: "desc" };

  it("changes a row in place, on whichever page it is, and the open job too", () => {
    const client = cacheWithList(all, [
      [job(4), job(3)],
      [job(2), job(1)],
    ]);
    client.setQueryData(queryKeys.job(job(2).id), {
      status: 200,
      body: { success: true, data: job(2), message: "" },
    });
    applyJobUpdates(client, [job(2, { status: "running", updatedAt: "2026-11-28T10:01:00.000Z" })]);
    expect(listOf(client, all)).toEqual([
      ["4:pending", "3:pending"],
      ["2:running", "1:pending"],
    ]);
    expect(findJobInLists(client, job(2).id)?.status).toBe("running");
    expect((client.getQueryData(queryKeys.job(job(2).id)) as { body: { data: Job } }).body.data.status).toBe(
      "running",
    );
  });

  it("ignores an older version of a job than the one shown", () => {
    const client = cacheWithList(all, [
      [job(1, { status: "completed", updatedAt: "2026-11-28T11:00:00.000Z" })],
    ]);
    applyJobUpdates(client, [job(1, { status: "running", updatedAt: "2026-11-28T10:30:00.000Z" })]);
    expect(listOf(client, all)).toEqual([["1:completed"]]);
  });

  it("announces new jobs to the lists they belong in, without inserting them", () => {
    const failedOnly: JobListQuery = { ...all, status: "failed" };
    const client = cacheWithList(all, [[job(1)]]);
    client.setQueryData(queryKeys.jobList(failedOnly), { pages: [page([])], pageParams: [undefined] });
    const everything = renderHook(() => useArrivals(all));
    const failed = renderHook(() => useArrivals(failedOnly));

    act(() => applyJobUpdates(client, [job(5), job(6, { status: "failed" })]));
    expect([...everything.result.current]).toEqual([job(5).id, job(6).id]);
    expect([...failed.result.current]).toEqual([job(6).id]);
    expect(listOf(client, all)).toEqual([["1:pending"]]);

    act(() => clearArrivals(all));
    expect(everything.result.current.size).toBe(0);
    expect(failed.result.current.size).toBe(1);
    act(() => clearArrivals());
  });

  it("keeps an event's newer version over a page that was requested before it", () => {
    const client = new QueryClient();
    const running = job(7, { status: "running", updatedAt: "2026-11-28T10:05:00.000Z" });
    applyJobUpdates(client, [running]);
    // The page answers afterwards, with the job as it was when the page was read.
    expect(flattenPages([page([job(8), job(7)])]).map((j) => j.status)).toEqual(["pending", "running"]);
    forgetLiveUpdates();
    expect(flattenPages([page([job(7)])])[0]?.status).toBe("pending");
  });
});
