import type { Job } from "@jobdeck/contract";
import { act, renderHook } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import {
  addJob,
  applyJobUpdates,
  clearArrivals,
  findJobInLists,
  forgetLiveUpdates,
  jobPlaceholder,
  useArrivals,
  type JobListData,
} from "../src/features/jobs/job-cache";
import { flattenPages } from "../src/features/jobs/use-jobs";
import type { TsrQueryClient } from "../src/lib/api-client";
import { listQueryOf, queryKeys, type JobListQuery } from "../src/lib/query-keys";
import { testQueryClient } from "./support/queries";

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
  queue: "default",
  priority: 0,
  runAt: `2026-11-28T10:00:0${n}.000Z`,
  concurrencyKey: null,
  dedupeKey: null,
  waitReason: "queued",
  scheduleId: null,
  batchId: null,
  retryOf: null,
  progress: null,
  tags: [],
  metadata: {},
  ...patch,
});

// What GET /v1/jobs answers, as ts-rest's infinite query stores it.
const page = (jobs: Job[]) => ({
  status: 200 as const,
  body: {
    success: true as const,
    data: jobs,
    pagination: { limit: 2, nextCursor: null, hasMore: false, isPartial: false },
  },
  headers: new Headers(),
});

function putList(client: TsrQueryClient, query: JobListQuery, pages: Job[][]) {
  client.setQueryData<JobListData>(queryKeys.listJobs.query(query), {
    pages: pages.map(page),
    pageParams: pages.map(() => undefined),
  });
}

function cacheWithList(query: JobListQuery, pages: Job[][]) {
  const client = testQueryClient();
  putList(client, query, pages);
  return client;
}

const listOf = (client: TsrQueryClient, query: JobListQuery) =>
  client
    .getQueryData<JobListData>(queryKeys.listJobs.query(query))
    ?.pages.map((p) => p.body.data.map((j) => `${(j.payload as { n: number }).n}:${j.status}`));

const detailOf = (client: TsrQueryClient, jobId: string) =>
  client.jobs.getJob.getQueryData(queryKeys.getJob.byId(jobId))?.body.data;

describe("live updates in the cache", () => {
  const all: JobListQuery = { sortBy: "createdAt", sortOrder: "desc" };

  it("changes a row in place, on whichever page it is, and the open job too", () => {
    const client = cacheWithList(all, [
      [job(4), job(3)],
      [job(2), job(1)],
    ]);
    client.jobs.getJob.setQueryData(queryKeys.getJob.byId(job(2).id), {
      status: 200,
      body: { success: true, data: job(2), message: "Job retrieved" },
      headers: new Headers(),
    });
    applyJobUpdates(client, [job(2, { status: "running", updatedAt: "2026-11-28T10:01:00.000Z" })]);
    expect(listOf(client, all)).toEqual([
      ["4:pending", "3:pending"],
      ["2:running", "1:pending"],
    ]);
    expect(findJobInLists(client, job(2).id)?.status).toBe("running");
    expect(detailOf(client, job(2).id)?.status).toBe("running");
    // A job nobody opened gets no entry of its own.
    expect(detailOf(client, job(1).id)).toBeUndefined();
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
    putList(client, failedOnly, [[]]);
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
    const client = testQueryClient();
    const running = job(7, { status: "running", updatedAt: "2026-11-28T10:05:00.000Z" });
    applyJobUpdates(client, [running]);
    // The page answers afterwards, with the job as it was when the page was read.
    expect(flattenPages([page([job(8), job(7)])]).map((j) => j.status)).toEqual(["pending", "running"]);
    forgetLiveUpdates();
    expect(flattenPages([page([job(7)])])[0]?.status).toBe("pending");
  });

  it("shows a job opened from a list at once, from its row, until its own answer comes", () => {
    const client = cacheWithList(all, [[job(3), job(2)]]);
    expect(jobPlaceholder(client, job(2).id)?.body.data).toEqual(job(2));
    expect(jobPlaceholder(client, job(9).id)).toBeUndefined();
  });

  it("stores a created job where its page reads it, without replacing a newer version", () => {
    const client = testQueryClient();
    addJob(client, job(4));
    expect(detailOf(client, job(4).id)).toEqual(job(4));
    const running = job(4, { status: "running", updatedAt: "2026-11-28T10:01:00.000Z" });
    applyJobUpdates(client, [running]);
    addJob(client, job(4));
    expect(detailOf(client, job(4).id)).toEqual(running);
    forgetLiveUpdates();
  });
});

describe("query keys", () => {
  it("give a list's query back by name, and nothing for other keys", () => {
    const query: JobListQuery = { sortBy: "type", sortOrder: "asc", status: "failed" };
    expect(listQueryOf(queryKeys.listJobs.query(query))).toEqual(query);
    expect(listQueryOf(queryKeys.listJobs.all())).toBeUndefined();
    expect(listQueryOf(queryKeys.getJob.byId(job(1).id))).toBeUndefined();
    expect(listQueryOf(["jobs", "list", query])).toBeUndefined();
  });
});
