import { randomUUID } from "node:crypto";
import {
  BULK_OPERATION_EVENT,
  BulkDryRunResponseSchema,
  BulkOperationResponseSchema,
  BulkOperationSchema,
  ListBulkOperationsResponseSchema,
  type BulkOperation,
} from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { createJob, openEventStream } from "./support/jobs.js";
import { postJson } from "./support/server.js";
import { serveSuite, type Suite } from "./support/suite.js";
import { until } from "./support/wait.js";

/**
 * §15's bulk operations through the API on both databases, run by the server's own runner (no
 * worker: jobs stay where the tests put them): what each action does and skips, the snapshot taken
 * at acceptance, other users' jobs, dry runs, Idempotency-Key, cancelling, paging, events.
 */

const providers = await testProviders();
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * Jobs through the server's own job store (many, fast, on its one writer: a second writing
 * connection would stall the server's event loop on SQLite), then put in `status` as a worker would.
 */
async function seedJobs(
  suite: Suite,
  userId: string,
  count: number,
  fields: { status?: string; type?: string } = {},
): Promise<string[]> {
  const { store, db } = suite.server.runtime;
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1_000) {
    const rows = await store.insertJobs(
      Array.from({ length: Math.min(1_000, count - i) }, () => ({
        id: randomUUID(),
        userId,
        type: fields.type ?? "echo",
        resultType: "json",
        payload: { n: 1 },
        maxAttempts: 3,
        timeoutMs: 30_000,
      })),
      new Date(),
    );
    ids.push(...rows.map((row) => row.id));
  }
  if (fields.status && fields.status !== "pending")
    await db.writer.run(
      `UPDATE "jobs" SET "status" = @status, "finishedAt" = CASE WHEN @status = 'running' THEN NULL ELSE "createdAt" END
        WHERE ${db.sql.inArray(`"id"`, "ids")}`,
      { status: fields.status, ids },
    );
  return ids;
}

describe.each(providers)("bulk operations on %s", (provider) => {
  // A small scan limit: a list request reads at most 50 rows for a payload filter; a bulk operation
  // must still select every matching job.
  const suite = serveSuite(provider, { FILTER_SCAN_LIMIT: "50" });
  const start = (body: unknown, token = suite.alice, key: string | null = randomUUID()) =>
    suite.server.request("/v1/bulk-operations", {
      ...postJson(body, token),
      headers: { "content-type": "application/json", ...(key === null ? {} : { "idempotency-key": key }) },
    });
  const accepted = async (body: unknown, token = suite.alice) => {
    const response = await start(body, token);
    expect(response.status, response.text).toBe(202);
    return BulkOperationResponseSchema.parse(response.body).data;
  };
  const fetchOperation = async (id: string, token = suite.alice) => {
    const response = await suite.server.request(`/v1/bulk-operations/${id}`, { token });
    expect(response.status, response.text).toBe(200);
    return BulkOperationResponseSchema.parse(response.body).data;
  };
  const ended = (id: string, token = suite.alice) =>
    until(async () => {
      const operation = await fetchOperation(id, token);
      return operation.status !== "running" && operation;
    }, 60_000);
  const statusesOf = async (ids: string[]) =>
    new Map(
      (
        await suite.server.prisma.job.findMany({
          where: { id: { in: ids } },
          select: { id: true, status: true },
        })
      ).map((job) => [job.id, job.status]),
    );
  const operationRows = () => suite.server.prisma.bulkOperation.count();

  it("refuses a request without an Idempotency-Key, and bad bodies, writing nothing", async () => {
    const before = await operationRows();
    await suite.noWrites(async () => {
      expectError(
        await start({ action: "cancel", filter: {} }, suite.alice, null),
        400,
        "VALIDATION_FAILED",
        {
          details: [{ path: "idempotency-key", message: /required/ }],
        },
      );
      expectError(await start({ action: "explode", filter: {} }), 400, "VALIDATION_FAILED");
      expectError(await start({ action: "cancel" }), 400, "VALIDATION_FAILED", {
        details: [{ path: "filter", message: "exactly one of filter and ids is required" }],
      });
      expectError(
        await start({ action: "cancel", filter: {}, ids: [randomUUID()] }),
        400,
        "VALIDATION_FAILED",
      );
      expectError(await start({ action: "cancel", filter: { colour: "red" } }), 400, "VALIDATION_FAILED");
      expectError(
        await start({ action: "cancel", filter: { status: "sleeping" } }),
        400,
        "VALIDATION_FAILED",
        {
          details: [{ path: "filter.status", message: /must be one of/ }],
        },
      );
      expectError(await start({ action: "cancel", filter: { limit: "5" } }), 400, "VALIDATION_FAILED");
      expectError(await start({ action: "cancel", filter: { status: 3 } }), 400, "VALIDATION_FAILED");
      expectError(await start({ action: "retry", ids: [] }), 400, "VALIDATION_FAILED");
      const tooMany = Array.from({ length: 1_001 }, () => randomUUID());
      expectError(await start({ action: "retry", ids: tooMany }), 400, "VALIDATION_FAILED");
      expectError(await start({ action: "retry", filter: {}, dryRun: false }), 400, "VALIDATION_FAILED");
    });
    expect(await operationRows()).toBe(before);
  });

  it("a dry run counts the caller's matching jobs and changes nothing; its key replays it", async () => {
    await seedJobs(suite, "dry", 7, { type: "dry.one" });
    await seedJobs(suite, "dry", 3, { type: "dry.two", status: "failed" });
    await seedJobs(suite, "someone-else", 5, { type: "dry.one" });
    const token = suite.server.token("dry");
    const before = await operationRows();
    const key = randomUUID();
    const answer = await suite.noWrites(() =>
      start({ action: "cancel", filter: { type: "dry.one,dry.two" }, dryRun: true }, token, key),
    );
    expect(answer.status, answer.text).toBe(200);
    expect(BulkDryRunResponseSchema.parse(answer.body).data).toEqual({ matched: 10 });
    const failedOnly = await start({ action: "retry", filter: { status: "failed" }, dryRun: true }, token);
    expect(BulkDryRunResponseSchema.parse(failedOnly.body).data).toEqual({ matched: 3 });
    expect(await operationRows()).toBe(before);
    // The same key and body: the first answer again, even though more jobs match now.
    await seedJobs(suite, "dry", 2, { type: "dry.one" });
    const replay = await start(
      { action: "cancel", filter: { type: "dry.one,dry.two" }, dryRun: true },
      token,
      key,
    );
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(answer.body);
  });

  it("cancels the caller's pending jobs a filter selects, skips ended ones, and leaves other users' alone", async () => {
    const pending = await seedJobs(suite, "carol", 600, { type: "bulk.cancel" });
    const done = await seedJobs(suite, "carol", 40, { type: "bulk.cancel", status: "completed" });
    const running = await seedJobs(suite, "carol", 1, { type: "bulk.cancel", status: "running" });
    const others = await seedJobs(suite, "dave", 50, { type: "bulk.cancel" });
    const carol = suite.server.token("carol");
    const operation = await accepted({ action: "cancel", filter: { type: "bulk.cancel" } }, carol);
    expect(operation).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      action: "cancel",
      status: "running",
      matched: 641,
      processed: 0,
      succeeded: 0,
      skipped: 0,
      createdAt: expect.stringMatching(ISO) as unknown,
      finishedAt: null,
    });
    const finished = await ended(operation.id, carol);
    expect(finished).toMatchObject({
      status: "completed",
      matched: 641,
      processed: 641,
      succeeded: 601,
      skipped: 40,
    });
    expect(finished.finishedAt).toMatch(ISO);
    const statuses = await statusesOf([...pending, ...done, ...others]);
    expect(pending.every((id) => statuses.get(id) === "cancelled")).toBe(true);
    expect(done.every((id) => statuses.get(id) === "completed")).toBe(true);
    expect(others.every((id) => statuses.get(id) === "pending")).toBe(true);
    // The running job's cancellation was requested from its worker, as POST /v1/jobs/{id}/cancel does.
    const runningRow = await suite.server.prisma.job.findUniqueOrThrow({ where: { id: running[0]! } });
    expect(runningRow.cancelRequestedAt).not.toBeNull();
    // Another user sees none of it.
    const bobs = await suite.server.request(`/v1/bulk-operations/${operation.id}`, { token: suite.bob });
    expectError(bobs, 404, "NOT_FOUND");
  });

  it("retries the ended jobs among the ids given, once each, naming the original; others' ids are ignored", async () => {
    const failed = await seedJobs(suite, "erin", 5, { status: "failed" });
    const waiting = await seedJobs(suite, "erin", 2);
    const foreign = await seedJobs(suite, "frank", 3, { status: "failed" });
    const erin = suite.server.token("erin");
    const operation = await accepted(
      { action: "retry", ids: [...failed, ...waiting, ...foreign, randomUUID(), "not-a-job", failed[0]!] },
      erin,
    );
    expect(operation.matched).toBe(7);
    expect(await ended(operation.id, erin)).toMatchObject({
      status: "completed",
      processed: 7,
      succeeded: 5,
      skipped: 2,
    });
    const retries = await suite.server.prisma.job.findMany({
      where: { retryOf: { in: [...failed, ...waiting, ...foreign] } },
    });
    expect(retries.map((job) => job.retryOf).sort()).toEqual([...failed].sort());
    expect(
      retries.every((job) => job.userId === "erin" && job.status === "pending" && job.type === "echo"),
    ).toBe(true);
  });

  it("deletes the ended jobs a payload filter selects, past the list's scan limit, with their events", async () => {
    const { db, store } = suite.server.runtime;
    const finished = await seedJobs(suite, "lena", 300, { status: "completed" });
    const waiting = await seedJobs(suite, "lena", 20);
    const other = await store.insertJobs(
      Array.from({ length: 30 }, () => ({
        id: randomUUID(),
        userId: "lena",
        type: "echo",
        resultType: "json",
        payload: { n: 2 },
        maxAttempts: 3,
        timeoutMs: 30_000,
      })),
      new Date(),
    );
    await db.writer.run(
      `UPDATE "jobs" SET "status" = 'failed', "finishedAt" = "createdAt" WHERE ${db.sql.inArray(`"id"`, "ids")}`,
      { ids: other.map((job) => job.id) },
    );
    const lena = suite.server.token("lena");
    const operation = await accepted({ action: "delete", filter: { "payload.n": "1" } }, lena);
    // More than FILTER_SCAN_LIMIT: every matching job, not the first rows a list request would read.
    expect(operation.matched).toBe(320);
    expect(await ended(operation.id, lena)).toMatchObject({
      status: "completed",
      succeeded: 300,
      skipped: 20,
    });
    const left = await suite.server.prisma.job.findMany({ where: { userId: "lena" }, select: { id: true } });
    expect(left.map((job) => job.id).sort()).toEqual([...waiting, ...other.map((job) => job.id)].sort());
    expect(await suite.server.prisma.jobEvent.count({ where: { jobId: { in: finished } } })).toBe(0);
    expect(
      await suite.server.prisma.jobEvent.count({ where: { jobId: operation.id } }),
    ).toBeGreaterThanOrEqual(2);
  });

  it("acts only on the jobs that existed when it was accepted", async () => {
    const before = await seedJobs(suite, "gina", 3_000, { type: "bulk.snapshot" });
    const gina = suite.server.token("gina");
    const operation = await accepted({ action: "cancel", filter: { type: "bulk.snapshot" } }, gina);
    const later = await createJob(suite.server, gina, "echo", { late: true });
    await suite.server.prisma.job.update({ where: { id: later.id }, data: { type: "bulk.snapshot" } });
    expect(await ended(operation.id, gina)).toMatchObject({
      status: "completed",
      matched: 3_000,
      succeeded: 3_000,
    });
    const statuses = await statusesOf([...before, later.id]);
    expect(before.every((id) => statuses.get(id) === "cancelled")).toBe(true);
    expect(statuses.get(later.id)).toBe("pending");
  });

  it("an Idempotency-Key starts one operation: a replay answers the same, another body is a 409", async () => {
    await seedJobs(suite, "hana", 4, { status: "failed" });
    const hana = suite.server.token("hana");
    const key = randomUUID();
    const body = { action: "retry", filter: { status: "failed" } };
    const first = await start(body, hana, key);
    expect(first.status, first.text).toBe(202);
    const id = BulkOperationResponseSchema.parse(first.body).data.id;
    expect(first.headers.get("location")).toBe(`/v1/bulk-operations/${id}`);
    await ended(id, hana);
    const again = await start(body, hana, key);
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    expect(await suite.server.prisma.bulkOperation.count({ where: { userId: "hana" } })).toBe(1);
    expect(await suite.server.prisma.job.count({ where: { userId: "hana", retryOf: { not: null } } })).toBe(
      4,
    );
    expectError(await start({ ...body, action: "cancel" }, hana, key), 409, "CONFLICT");
  });

  it("a cancelled operation stops before its next job and keeps its counts; cancelling again is a 409", async () => {
    const ids = await seedJobs(suite, "ivan", 20_000, { type: "bulk.stop" });
    const ivan = suite.server.token("ivan");
    const operation = await accepted({ action: "cancel", filter: { type: "bulk.stop" } }, ivan);
    const cancel = await suite.post(`/v1/bulk-operations/${operation.id}/cancel`, ivan);
    expect(cancel.status, cancel.text).toBe(200);
    const cancelled = BulkOperationResponseSchema.parse(cancel.body).data;
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.processed).toBeLessThan(cancelled.matched);
    // Nothing more happens to it: the counts stay, and they are the jobs that were cancelled.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const later = await fetchOperation(operation.id, ivan);
    expect(later).toEqual(cancelled);
    const statuses = await statusesOf(ids);
    const cancelledJobs = ids.filter((id) => statuses.get(id) === "cancelled").length;
    expect(cancelledJobs).toBe(cancelled.succeeded);
    expect(ids.length - cancelledJobs).toBe(ids.filter((id) => statuses.get(id) === "pending").length);
    expectError(await suite.post(`/v1/bulk-operations/${operation.id}/cancel`, ivan), 409, "CONFLICT");
    expectError(await suite.post(`/v1/bulk-operations/${operation.id}/cancel`, suite.bob), 404, "NOT_FOUND");
    expectError(await suite.post(`/v1/bulk-operations/not-a-uuid/cancel`, ivan), 404, "NOT_FOUND");
  });

  it("sends bulk-operation events at least once a second while it runs, and one when it ends", async () => {
    await seedJobs(suite, "jack", 5_000, { status: "failed" });
    const jack = suite.server.token("jack");
    const stream = await openEventStream(suite.server, jack);
    await stream.readyId();
    const operation = await accepted({ action: "retry", filter: { status: "failed" } }, jack);
    // Each event's arrival, as the stream delivers them, until the last one.
    const arrivals: { at: number; operation: BulkOperation }[] = [];
    let taken = 0;
    await until(() => {
      for (; taken < stream.events.length; taken++) {
        const event = stream.events[taken]!;
        if (event.event !== BULK_OPERATION_EVENT) continue;
        const data = BulkOperationSchema.parse(JSON.parse(event.data));
        if (data.id === operation.id) arrivals.push({ at: Date.now(), operation: data });
      }
      return Promise.resolve(arrivals.at(-1)?.operation.status === "completed");
    }, 60_000);
    stream.close();
    const events = arrivals.map((arrival) => arrival.operation);
    expect(events[0]).toMatchObject({ status: "running", processed: 0 });
    expect(events.at(-1)).toEqual(await fetchOperation(operation.id, jack));
    expect(events.at(-1)).toMatchObject({ status: "completed", succeeded: 5_000, processed: 5_000 });
    for (const [i, event] of events.entries())
      if (i > 0) expect(event.processed).toBeGreaterThanOrEqual(events[i - 1]!.processed);
    // At least once a second while it runs: a generous bound on the gaps between arrivals.
    const gaps = arrivals.slice(1).map((arrival, i) => arrival.at - arrivals[i]!.at);
    expect(Math.max(0, ...gaps)).toBeLessThan(2_500);
  });

  it("lists the caller's operations newest first, a page at a time, with a cursor bound to the caller", async () => {
    const kim = suite.server.token("kim");
    const made: BulkOperation[] = [];
    for (let i = 0; i < 5; i++) made.push(await accepted({ action: "cancel", ids: [randomUUID()] }, kim));
    expect(made.every((operation) => operation.status === "completed" && operation.matched === 0)).toBe(true);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/v1/bulk-operations?limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const response = await suite.server.request(query, { token: kim });
      expect(response.status, response.text).toBe(200);
      const page = ListBulkOperationsResponseSchema.parse(response.body);
      seen.push(...page.data.map((operation) => operation.id));
      cursor = page.pagination.nextCursor;
      if (cursor) {
        const stolen = await suite.server.request(`/v1/bulk-operations?limit=2&cursor=${cursor}`, {
          token: suite.bob,
        });
        expectError(stolen, 400, "INVALID_CURSOR");
      }
    } while (cursor);
    expect(seen).toEqual(made.map((operation) => operation.id).reverse());
    expectError(await suite.server.request("/v1/bulk-operations", { token: kim }), 400, "VALIDATION_FAILED");
    expectError(
      await suite.server.request("/v1/bulk-operations?limit=2&status=x", { token: kim }),
      400,
      "VALIDATION_FAILED",
    );
  });
});
