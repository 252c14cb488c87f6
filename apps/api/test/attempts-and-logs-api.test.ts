import { resolve } from "node:path";
import {
  JobSchema,
  LOG_EVENT,
  ListJobAttemptsResponseSchema,
  ListJobLogsResponseSchema,
  LogEventDataSchema,
  type Job,
  type JobLogLine,
} from "@jobdeck/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../src/paths.js";
import { expectError, expectNoWrites } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { createJob, openEventStream, waitForJob } from "./support/jobs.js";
import { startTestServer, type TestServer } from "./support/server.js";
import { until } from "./support/wait.js";

const providers = await testProviders();
const MODULE = resolve(repoRoot, "apps/api/test/support/job-type-modules/insight-job-types.js");
const TYPE = "test.insight";

describe.each(providers)("§14 attempts, progress and logs through the API on %s", (provider) => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    server = await startTestServer(provider, {
      JOB_TYPES_MODULE: MODULE,
      WORKER_CONCURRENCY: "2",
      WORKER_POLL_MS: "50",
      WORKER_BACKOFF_BASE_MS: "20",
      WORKER_BACKOFF_MAX_MS: "50",
    });
    alice = server.token("alice");
    bob = server.token("bob");
  });
  afterAll(() => server.close());

  const get = (path: string, token = alice) => server.request(path, { token });

  /** Every line of a job, page by page. */
  const allLines = async (jobId: string, query = "") => {
    const lines: JobLogLine[] = [];
    let cursor: string | null = null;
    do {
      const response = await get(
        `/v1/jobs/${jobId}/logs?limit=100${query}${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(response.status, response.text).toBe(200);
      const body = ListJobLogsResponseSchema.parse(response.body);
      lines.push(...body.data);
      cursor = body.pagination.nextCursor;
    } while (cursor);
    return lines;
  };

  it("lists every attempt of a job that failed twice and then succeeded, oldest first", async () => {
    const job = await createJob(server, alice, TYPE, {
      failAttempts: 2,
      lines: [{ level: "info", message: "hello", fields: { n: 1 } }],
    });
    const done = await waitForJob(server, alice, job.id);
    expect(done).toMatchObject({ status: "completed", attempts: 3, result: { attempt: 3 } });

    const response = await get(`/v1/jobs/${job.id}/attempts`);
    expect(response.status, response.text).toBe(200);
    const body = ListJobAttemptsResponseSchema.parse(response.body);
    const workerId = server.worker!.id;
    const failed = (n: number) => ({
      attempt: n,
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      outcome: "failed",
      error: { code: "TOLD_TO_FAIL", message: `attempt ${n} was told to fail (attempt ${n} of 5)` },
      workerId,
    });
    expect(body).toEqual({
      success: true,
      data: [
        failed(1),
        failed(2),
        {
          attempt: 3,
          startedAt: expect.any(String),
          finishedAt: expect.any(String),
          outcome: "completed",
          error: null,
          workerId,
        },
      ],
      message: "Attempts retrieved",
    });
    // Each attempt ends before the next starts, and the last ends when the job does.
    const times = body.data.flatMap((a) => [Date.parse(a.startedAt), Date.parse(a.finishedAt!)]);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(body.data.at(-1)!.finishedAt).toBe(done.finishedAt);

    // The handler's line of each attempt, and the worker's own line saying why each retry came.
    const lines = await allLines(job.id);
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(
      lines.map((l) => [l.attempt, l.level, l.message.replace(/retrying at .*/, "retrying at …")]),
    ).toEqual([
      [1, "info", "hello"],
      [
        1,
        "warn",
        "attempt 1 of 5 failed with TOLD_TO_FAIL: attempt 1 was told to fail (attempt 1 of 5); retrying at …",
      ],
      [2, "info", "hello"],
      [
        2,
        "warn",
        "attempt 2 of 5 failed with TOLD_TO_FAIL: attempt 2 was told to fail (attempt 2 of 5); retrying at …",
      ],
      [3, "info", "hello"],
    ]);
    expect(lines[0]!.fields).toEqual({ n: 1 });
    expect(lines[1]!.fields).toEqual({ code: "TOLD_TO_FAIL", retryAt: expect.any(String) });
  });

  it("coalesces progress to at most 4 writes a second, each a job event, and ends with the last value", async () => {
    const stream = await openEventStream(server, alice);
    try {
      await stream.readyId();
      const job = await createJob(server, alice, TYPE, {
        progress: Array.from({ length: 40 }, (_, i) => i + 1),
        progressTotal: 40,
        progressEveryMs: 25,
      });
      const done = await waitForJob(server, alice, job.id);
      expect(done.progress).toEqual({
        current: 40,
        total: 40,
        message: "at 40",
        updatedAt: expect.any(String),
      });
      // The job events of this job up to its completion, from the stream.
      const seen: Job[] = [];
      for (;;) {
        const { job: event } = await stream.next((j) => j.id === job.id);
        seen.push(event);
        if (event.status === "completed") break;
      }
      const writes = seen.filter(
        (event, i) => i > 0 && JSON.stringify(event.progress) !== JSON.stringify(seen[i - 1]!.progress),
      );
      // 40 reports over about a second: far fewer writes, each one 250 ms or more after the one before.
      expect(writes.length).toBeGreaterThanOrEqual(2);
      expect(writes.length).toBeLessThan(20);
      const at = writes.map((event) => Date.parse(event.updatedAt));
      for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(250);
      // Every write is a change of the job, with its own event.
      for (const event of writes)
        expect(Date.parse(event.updatedAt)).toBeGreaterThanOrEqual(Date.parse(event.progress!.updatedAt));
      expect(seen.at(-1)!.progress).toEqual(done.progress);
      expect(
        writes.filter((event) => event.status === "running").at(-1)!.progress!.current,
      ).toBeLessThanOrEqual(40);
    } finally {
      stream.close();
    }
  });

  it("pages a job's lines oldest first, filters by level, and refuses cursors of other lists", async () => {
    const levels = ["debug", "info", "warn", "error", "info", "warn", "debug"] as const;
    const job = await createJob(server, alice, TYPE, {
      lines: levels.map((level, i) => ({ level, message: `line ${i + 1}` })),
    });
    await waitForJob(server, alice, job.id);
    const first = await get(`/v1/jobs/${job.id}/logs?limit=3`);
    expect(first.status, first.text).toBe(200);
    const page1 = ListJobLogsResponseSchema.parse(first.body);
    expect(page1).toEqual({
      success: true,
      data: [1, 2, 3].map((seq) => ({
        seq,
        attempt: 1,
        level: levels[seq - 1],
        message: `line ${seq}`,
        fields: null,
        at: expect.any(String),
      })),
      pagination: { limit: 3, nextCursor: expect.any(String), hasMore: true, isPartial: false },
      droppedLines: 0,
      message: "Log lines retrieved",
    });
    expect((await allLines(job.id)).map((l) => l.message)).toEqual(levels.map((_, i) => `line ${i + 1}`));
    const warnings = await allLines(job.id, "&level=warn,error");
    expect(warnings.map((l) => [l.seq, l.level])).toEqual([
      [3, "warn"],
      [4, "error"],
      [6, "warn"],
    ]);

    const cursor = page1.pagination.nextCursor!;
    const other = await createJob(server, alice, TYPE, { lines: [{ level: "info", message: "x" }] });
    await waitForJob(server, alice, other.id);
    await expectNoWrites(server.prisma, async () => {
      // A cursor is bound to the user, the job and the level filter.
      expectError(
        await get(`/v1/jobs/${job.id}/logs?limit=3&level=warn&cursor=${cursor}`),
        400,
        "INVALID_CURSOR",
      );
      expectError(await get(`/v1/jobs/${other.id}/logs?limit=3&cursor=${cursor}`), 400, "INVALID_CURSOR");
      expectError(
        await get(`/v1/jobs/${job.id}/logs?limit=3&cursor=${cursor.slice(0, -2)}`),
        400,
        "INVALID_CURSOR",
      );
      expectError(await get(`/v1/jobs/${job.id}/logs?limit=3&cursor=${cursor}`, bob), 404, "NOT_FOUND");
      // The same levels in another order and with repeats are the same filter.
      const warnPage = ListJobLogsResponseSchema.parse(
        (await get(`/v1/jobs/${job.id}/logs?limit=1&level=warn,error`)).body,
      );
      const next = await get(
        `/v1/jobs/${job.id}/logs?limit=1&level=error,warn,warn&cursor=${warnPage.pagination.nextCursor}`,
      );
      expect(ListJobLogsResponseSchema.parse(next.body).data.map((l) => l.seq)).toEqual([4]);

      expectError(await get(`/v1/jobs/${job.id}/logs`), 400, "VALIDATION_FAILED", {
        details: [{ path: "limit", message: /required/i }],
      });
      expectError(await get(`/v1/jobs/${job.id}/logs?limit=101`), 400, "VALIDATION_FAILED");
      expectError(await get(`/v1/jobs/${job.id}/logs?limit=10&level=verbose`), 400, "VALIDATION_FAILED", {
        details: [
          { path: "level", message: "must be debug, info, warn, error, or a comma-separated list of them" },
        ],
      });
      expectError(await get(`/v1/jobs/${job.id}/logs?limit=10&seq=3`), 400, "VALIDATION_FAILED");
      // Another user's job, a missing one and a malformed id: the same 404 (§7).
      for (const path of [`${job.id}/logs?limit=10`, `${job.id}/attempts`]) {
        expectError(await get(`/v1/jobs/${path}`, bob), 404, "NOT_FOUND");
      }
      expectError(await get(`/v1/jobs/0190c1e0-0000-7000-8000-000000000000/attempts`), 404, "NOT_FOUND");
      expectError(await get(`/v1/jobs/not-a-uuid/logs?limit=10`), 404, "NOT_FOUND");
    });
  });

  it("keeps a job's first 10,000 lines and 1 MiB, counts the rest, and cuts long messages", async () => {
    const byLines = await createJob(server, alice, TYPE, {
      lines: [{ level: "info", message: "é".repeat(5_000) }],
      repeat: 10_049,
    });
    const byBytes = await createJob(server, alice, TYPE, { repeat: 300, repeatBytes: 4_096 });
    await waitForJob(server, alice, byLines.id, undefined, 120_000);
    await waitForJob(server, alice, byBytes.id, undefined, 120_000);

    const firstPage = ListJobLogsResponseSchema.parse(
      (await get(`/v1/jobs/${byLines.id}/logs?limit=2`)).body,
    );
    expect(firstPage.droppedLines).toBe(50);
    expect(firstPage.data[0]!.message).toBe("é".repeat(4_096));
    expect(firstPage.data[1]!.message).toBe("0:xxxxxxxx");
    expect(await server.prisma.jobLog.count({ where: { jobId: byLines.id } })).toBe(10_000);
    // The lines kept are the first ones, without holes.
    const kept = await server.prisma.jobLog.aggregate({ where: { jobId: byLines.id }, _max: { seq: true } });
    expect(kept._max.seq).toBe(10_000);
    const last = await server.prisma.jobLog.findUniqueOrThrow({
      where: { jobId_seq: { jobId: byLines.id, seq: 10_000 } },
    });
    expect(last.message).toBe("9998:".padEnd(10, "x"));

    // 256 lines of 4,096 bytes fill 1 MiB (1,048,576 bytes) exactly; the 257th does not fit.
    const bytes = await allLines(byBytes.id);
    expect(bytes.map((l) => l.seq)).toEqual(Array.from({ length: 256 }, (_, i) => i + 1));
    expect(
      ListJobLogsResponseSchema.parse((await get(`/v1/jobs/${byBytes.id}/logs?limit=1`)).body).droppedLines,
    ).toBe(44);
  }, 180_000);

  it("sends each line live as a `log` event, and replays them after Last-Event-ID", async () => {
    const stream = await openEventStream(server, alice);
    const bobStream = await openEventStream(server, bob);
    try {
      await stream.readyId();
      const job = await createJob(server, alice, TYPE, {
        lines: [
          { level: "info", message: "one", fields: { a: [1, 2] } },
          { level: "error", message: "two" },
          { level: "debug", message: "three" },
        ],
      });
      await waitForJob(server, alice, job.id);
      const logEvents = await until(() => {
        const found = stream.events.filter((e) => e.event === LOG_EVENT);
        return Promise.resolve(found.length >= 3 && found);
      });
      const data = logEvents.map((e) => LogEventDataSchema.parse(JSON.parse(e.data)));
      const lines = await allLines(job.id);
      expect(data).toEqual(lines.map((line) => ({ jobId: job.id, ...line })));
      expect(data[0]).toMatchObject({
        seq: 1,
        attempt: 1,
        level: "info",
        message: "one",
        fields: { a: [1, 2] },
      });
      const ids = logEvents.map((e) => Number(e.id));
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      // The job's own events are still there, in the same stream.
      expect(
        stream.events.some((e) => e.event === "job" && JobSchema.parse(JSON.parse(e.data)).id === job.id),
      ).toBe(true);
      expect(bobStream.events.filter((e) => e.data.includes(job.id))).toEqual([]);

      const resumed = await openEventStream(server, alice, { "last-event-id": String(ids[0]) });
      try {
        const replayed = await until(() => {
          const found = resumed.events.filter((e) => e.event === LOG_EVENT);
          return Promise.resolve(found.length >= 2 && found);
        });
        expect(replayed.map((e) => [Number(e.id), JSON.parse(e.data) as unknown])).toEqual(
          logEvents.slice(1).map((e) => [Number(e.id), JSON.parse(e.data) as unknown]),
        );
      } finally {
        resumed.close();
      }
    } finally {
      stream.close();
      bobStream.close();
    }
  });
});
