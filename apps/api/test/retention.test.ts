import { FailureGroupsResponseSchema, RetentionResponseSchema } from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { DELETE_BATCH, JOB_OWNED_TABLES } from "../src/db/job-store/delete-jobs.js";
import { sweepRetention, type SweepBatch } from "../src/retention/sweeper.js";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import type { TestPrisma } from "./support/prisma.js";
import { serveSuite } from "./support/suite.js";

const providers = await testProviders();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let seq = 0;
const nextId = () => `0190c1e1-0000-7000-8000-${String(++seq).padStart(12, "0")}`;

type Arranged = {
  userId: string;
  status: string;
  finishedAgoMs: number | null;
  type?: string;
  errorCode?: string;
};

/**
 * Jobs as rows (as a worker would have left them), each with a row in every table it owns and a
 * `job` and a `log` event: what the sweep must delete together.
 */
async function arrange(prisma: TestPrisma, jobs: Arranged[]): Promise<string[]> {
  const now = Date.now();
  const ids = jobs.map(() => nextId());
  await prisma.job.createMany({
    data: jobs.map((job, i) => ({
      id: ids[i]!,
      userId: job.userId,
      type: job.type ?? "echo",
      status: job.status,
      resultType: "json",
      payload: {},
      error: job.errorCode ? { code: job.errorCode, message: "it broke" } : undefined,
      maxAttempts: 3,
      timeoutMs: 1000,
      runAt: new Date(now - 30 * DAY),
      createdAt: new Date(now - 30 * DAY),
      updatedAt: new Date(now),
      finishedAt: job.finishedAgoMs === null ? null : new Date(now - job.finishedAgoMs),
    })),
  });
  const at = new Date(now);
  await prisma.jobArtifact.createMany({
    data: ids.map((jobId) => ({
      jobId,
      contentType: "image/png",
      bytes: Buffer.from([1]),
      size: 1,
      createdAt: at,
    })),
  });
  await prisma.jobAttempt.createMany({
    data: ids.map((jobId) => ({ jobId, attempt: 1, leaseOwner: "w#1", outcome: "failed", startedAt: at })),
  });
  await prisma.jobLog.createMany({
    data: ids.map((jobId) => ({ jobId, seq: 1, attempt: 1, level: "info", message: "m", at })),
  });
  await prisma.jobLogCounter.createMany({
    data: ids.map((jobId) => ({ jobId, lines: 1, bytes: 1, droppedLines: 0 })),
  });
  await prisma.jobTag.createMany({
    data: ids.map((jobId, i) => ({ jobId, userId: jobs[i]!.userId, tag: "t", createdAt: at })),
  });
  await prisma.jobMetadata.createMany({
    data: ids.map((jobId, i) => ({ jobId, userId: jobs[i]!.userId, key: "k", value: "1", createdAt: at })),
  });
  await prisma.jobEvent.createMany({
    data: ids.flatMap((jobId, i) => [
      { userId: jobs[i]!.userId, jobId, data: "{}", createdAt: at, kind: "job" },
      { userId: jobs[i]!.userId, jobId, data: "{}", createdAt: at, kind: "log" },
    ]),
  });
  return ids;
}

/** For each id: whether its job row is there, and how many rows of its own (owned tables and events) are left. */
async function remains(prisma: TestPrisma, ids: string[]): Promise<Record<string, [boolean, number]>> {
  const list = ids.map((id) => `'${id}'`).join(", ");
  const counts = new Map<string, number>();
  for (const table of [...JOB_OWNED_TABLES, "job_events"]) {
    const rows = await prisma.$queryRawUnsafe<{ jobId: string }[]>(
      `SELECT "jobId" FROM "${table}" WHERE "jobId" IN (${list})`,
    );
    for (const row of rows) counts.set(row.jobId, (counts.get(row.jobId) ?? 0) + 1);
  }
  const jobs = new Set((await prisma.job.findMany({ where: { id: { in: ids } } })).map((job) => job.id));
  return Object.fromEntries(ids.map((id) => [id, [jobs.has(id), counts.get(id) ?? 0]]));
}

/** Every owned table's row and both events. */
const WHOLE: [boolean, number] = [true, JOB_OWNED_TABLES.length + 2];
const GONE: [boolean, number] = [false, 0];

describe.each(providers)("retention (§15) on %s", (provider) => {
  // No worker and no housekeeping in the server: the tests run the sweep themselves.
  const suite = serveSuite(provider);
  const put = (token: string, body: unknown) =>
    suite.server.request("/v1/retention", {
      method: "PUT",
      token,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const get = async (token: string) => {
    const response = await suite.server.request("/v1/retention", { token });
    expect(response.status, response.text).toBe(200);
    return RetentionResponseSchema.parse(response.body);
  };
  const sweep = (onBatch?: (batch: SweepBatch) => void) =>
    sweepRetention({ db: suite.server.runtime.db, ...(onBatch ? { onBatch } : {}) });

  it("is all null (keep forever) until set, then what the caller PUT, for that caller only", async () => {
    const carol = suite.server.token("carol");
    expect(await get(carol)).toEqual({
      success: true,
      data: { completed: null, failed: null, cancelled: null },
      message: "Retention retrieved",
    });
    const response = await put(carol, { completed: 7, failed: 0, cancelled: null });
    expect(response.status, response.text).toBe(200);
    expect(RetentionResponseSchema.parse(response.body)).toEqual({
      success: true,
      data: { completed: 7, failed: 0, cancelled: null },
      message: "Retention updated",
    });
    expect((await get(carol)).data).toEqual({ completed: 7, failed: 0, cancelled: null });
    expect((await put(carol, { completed: null, failed: 3650, cancelled: 1 })).status).toBe(200);
    expect((await get(carol)).data).toEqual({ completed: null, failed: 3650, cancelled: 1 });
    expect((await get(suite.server.token("dave"))).data).toEqual({
      completed: null,
      failed: null,
      cancelled: null,
    });
  });

  it("refuses a bad PUT with a 400 naming each field, and writes nothing", async () => {
    const erin = suite.server.token("erin");
    expect((await put(erin, { completed: 1, failed: 2, cancelled: 3 })).status).toBe(200);
    const cases: [unknown, { path: string; message: string }[]][] = [
      [{ completed: 1, failed: 2 }, [{ path: "cancelled", message: "is required" }]],
      [{}, ["completed", "failed", "cancelled"].map((path) => ({ path, message: "is required" }))],
      [
        { completed: -1, failed: 3651, cancelled: 1.5 },
        [
          { path: "completed", message: "must be between 0 and 3650" },
          { path: "failed", message: "must be between 0 and 3650" },
          { path: "cancelled", message: "must be an integer" },
        ],
      ],
      [
        { completed: "7", failed: null, cancelled: null },
        [{ path: "completed", message: "must be an integer or null" }],
      ],
      [
        { completed: 1, failed: 1, cancelled: 1, deleted: 1 },
        [{ path: "deleted", message: "is not an accepted field" }],
      ],
    ];
    for (const [body, details] of cases) {
      const response = await suite.noWrites(() => put(erin, body));
      expectError(response, 400, "VALIDATION_FAILED", { details });
    }
    const notJson = await suite.noWrites(() =>
      suite.server.request("/v1/retention", {
        method: "PUT",
        token: erin,
        headers: { "content-type": "text/plain" },
        body: "x",
      }),
    );
    expectError(notJson, 415, "UNSUPPORTED_MEDIA_TYPE");
    expect((await get(erin)).data).toEqual({ completed: 1, failed: 2, cancelled: 3 });
  });

  it("deletes only the caller's ended jobs past their age, each with everything that belongs to it", async () => {
    const { prisma } = suite.server;
    expect((await put(suite.alice, { completed: 1, failed: 0, cancelled: null })).status).toBe(200);
    // bob keeps everything: his setting is the default.
    const [oldCompleted, youngCompleted, failed, oldCancelled, pending, running, bobsOld] = await arrange(
      prisma,
      [
        { userId: "alice", status: "completed", finishedAgoMs: DAY + HOUR },
        { userId: "alice", status: "completed", finishedAgoMs: DAY - HOUR },
        { userId: "alice", status: "failed", finishedAgoMs: 1000 },
        { userId: "alice", status: "cancelled", finishedAgoMs: 400 * DAY },
        // Not ended: never deleted, whatever a stray finishedAt says.
        { userId: "alice", status: "pending", finishedAgoMs: 10 * DAY },
        { userId: "alice", status: "running", finishedAgoMs: 10 * DAY },
        { userId: "bob", status: "completed", finishedAgoMs: 400 * DAY },
      ],
    );
    const ids = [oldCompleted!, youngCompleted!, failed!, oldCancelled!, pending!, running!, bobsOld!];
    expect(await remains(prisma, ids)).toEqual(Object.fromEntries(ids.map((id) => [id, WHOLE])));

    expect(await sweep()).toBe(2);
    expect(await remains(prisma, ids)).toEqual({
      [oldCompleted!]: GONE,
      [youngCompleted!]: WHOLE,
      [failed!]: GONE,
      [oldCancelled!]: WHOLE,
      [pending!]: WHOLE,
      [running!]: WHOLE,
      [bobsOld!]: WHOLE,
    });
    // The list no longer shows them.
    const list = await suite.server.request("/v1/jobs?limit=100", { token: suite.alice });
    const listed = (list.body as { data: { id: string }[] }).data.map((job) => job.id);
    expect(listed).not.toContain(oldCompleted);
    expect(listed).toContain(youngCompleted);
    // A second sweep finds nothing more; a job of age 0 goes at the next sweep.
    expect(await sweep()).toBe(0);
    expect((await put(suite.alice, { completed: 0, failed: 0, cancelled: null })).status).toBe(200);
    expect(await sweep()).toBe(1);
    expect((await remains(prisma, [youngCompleted!]))[youngCompleted!]).toEqual(GONE);
    expect((await put(suite.alice, { completed: null, failed: null, cancelled: null })).status).toBe(200);
  });

  it("sweeps in batches of at most DELETE_BATCH jobs, each its own transaction", async () => {
    const { prisma } = suite.server;
    const frank = suite.server.token("frank");
    const total = 2 * DELETE_BATCH + 234;
    await arrange(
      prisma,
      Array.from({ length: total }, (_, i) => ({
        userId: "frank",
        status: i % 2 === 0 ? "completed" : "failed",
        finishedAgoMs: 2 * DAY + i,
      })),
    );
    expect((await put(frank, { completed: 1, failed: 1, cancelled: 1 })).status).toBe(200);
    const batches: SweepBatch[] = [];
    expect(await sweep((batch) => batches.push(batch))).toBe(total);
    const half = total / 2;
    expect(batches.map((b) => `${b.userId} ${b.status} ${b.deleted}`)).toEqual([
      `frank completed ${DELETE_BATCH}`,
      `frank completed ${half - DELETE_BATCH}`,
      `frank failed ${DELETE_BATCH}`,
      `frank failed ${half - DELETE_BATCH}`,
    ]);
    expect(await prisma.job.count({ where: { userId: "frank" } })).toBe(0);
    expect((await put(frank, { completed: null, failed: null, cancelled: null })).status).toBe(200);
  });
});

describe.each(providers)("GET /v1/jobs/failure-groups on %s", (provider) => {
  const suite = serveSuite(provider);
  const groups = async (token: string, query = "") => {
    const response = await suite.server.request(`/v1/jobs/failure-groups${query}`, { token });
    expect(response.status, response.text).toBe(200);
    return FailureGroupsResponseSchema.parse(response.body).data;
  };

  it("groups the caller's failed jobs by type and error code, largest first, with the list's filters", async () => {
    const { prisma } = suite.server;
    expect(await groups(suite.alice)).toEqual([]);
    await arrange(prisma, [
      { userId: "alice", status: "failed", finishedAgoMs: 5000, type: "http.request", errorCode: "HTTP_503" },
      { userId: "alice", status: "failed", finishedAgoMs: 1000, type: "http.request", errorCode: "HTTP_503" },
      { userId: "alice", status: "failed", finishedAgoMs: 3000, type: "http.request", errorCode: "TIMEOUT" },
      { userId: "alice", status: "failed", finishedAgoMs: 2000, type: "sleep", errorCode: "TIMEOUT" },
      { userId: "alice", status: "failed", finishedAgoMs: 2500, type: "sleep", errorCode: "TIMEOUT" },
      { userId: "alice", status: "failed", finishedAgoMs: 2500, type: "sleep", errorCode: "TIMEOUT" },
      { userId: "alice", status: "completed", finishedAgoMs: 1000, type: "sleep" },
      { userId: "bob", status: "failed", finishedAgoMs: 1000, type: "sleep", errorCode: "TIMEOUT" },
    ]);
    const all = await groups(suite.alice);
    expect(all.map(({ type, errorCode, count }) => ({ type, errorCode, count }))).toEqual([
      { type: "sleep", errorCode: "TIMEOUT", count: 3 },
      { type: "http.request", errorCode: "HTTP_503", count: 2 },
      { type: "http.request", errorCode: "TIMEOUT", count: 1 },
    ]);
    const latest = (await prisma.job.findMany({ where: { userId: "alice", type: "http.request" } }))
      .filter((job) => (job.error as { code?: string } | null)?.code === "HTTP_503")
      .map((job) => job.finishedAt!.getTime());
    expect(Date.parse(all[1]!.latestAt!)).toBe(Math.max(...latest));
    expect((await groups(suite.alice, "?type=http.request")).map((g) => g.errorCode)).toEqual([
      "HTTP_503",
      "TIMEOUT",
    ]);
    expect((await groups(suite.alice, "?errorCode=TIMEOUT")).map((g) => g.type)).toEqual([
      "sleep",
      "http.request",
    ]);
    expect(await groups(suite.alice, "?status=completed")).toEqual([]);
    expect(await groups(suite.alice, "?waitReason=queued")).toEqual([]);
    expect((await groups(suite.bob)).map((g) => g.count)).toEqual([1]);
    expectError(
      await suite.server.request("/v1/jobs/failure-groups?limit=10", { token: suite.alice }),
      400,
      "VALIDATION_FAILED",
      { details: [{ path: "limit", message: "is not an accepted field" }] },
    );
  });
});
