import { setTimeout as delay } from "node:timers/promises";
import { isEnded } from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { selectJobAttempts } from "../src/db/queries/attempts.js";
import { keepWithinCap } from "../src/db/job-store/log-cap.js";
import { defineJobType } from "../src/job-types/types.js";
import { newLogLine } from "../src/worker/attempt-reporter.js";
import { testProviders } from "./support/databases.js";
import { test } from "./support/fixtures.js";
import { endlessType } from "./support/job-types.js";
import type { TestPrisma } from "./support/prisma.js";
import { gate, until } from "./support/wait.js";
import { z } from "zod";

const providers = await testProviders();

describe("the log cap, as a decision", () => {
  const lines = (...bytes: number[]) => bytes.map((b) => ({ bytes: b }));
  const fresh = { lines: null, bytes: null, droppedLines: null };
  const caps = { lines: 3, bytes: 100 };

  it("keeps the first lines up to either cap and counts the rest", () => {
    expect(keepWithinCap(fresh, lines(10, 10, 10, 10), 0, caps)).toEqual({
      kept: 3,
      firstSeq: 1,
      counter: { lines: 3, bytes: 30, droppedLines: 1 },
    });
    expect(keepWithinCap(fresh, lines(60, 40, 1), 2, caps)).toEqual({
      kept: 2,
      firstSeq: 1,
      counter: { lines: 2, bytes: 100, droppedLines: 3 },
    });
  });

  it("never keeps a line after one was dropped, however small: the log has no holes", () => {
    expect(keepWithinCap(fresh, lines(90, 20, 5), 0, caps).kept).toBe(1);
    expect(keepWithinCap({ lines: 1, bytes: 90, droppedLines: 1 }, lines(1), 0, caps)).toEqual({
      kept: 0,
      firstSeq: 2,
      counter: { lines: 1, bytes: 90, droppedLines: 2 },
    });
  });

  it("counts a line's message and fields in UTF-8, and cuts a message at 4,096 characters", () => {
    const line = newLogLine("info", "é".repeat(5_000), { k: "ü" }, new Date(0));
    expect(line.message).toBe("é".repeat(4_096));
    expect(line.bytes).toBe(4_096 * 2 + Buffer.byteLength(JSON.stringify({ k: "ü" })));
    // A surrogate pair is never cut in half, and NUL (which PostgreSQL cannot store) is replaced.
    expect(newLogLine("info", `${"a".repeat(4_095)}😀`, undefined, new Date(0)).message).toBe(
      "a".repeat(4_095),
    );
    expect(newLogLine("info", "a\u0000b", undefined, new Date(0)).message).toBe("a\uFFFDb");
  });
});

describe.each(providers)("attempt records, progress and logs in the data layer on %s", (provider) => {
  test.override({ provider });

  let seq = 0;
  const newJob = (type: string, maxAttempts = 3, timeoutMs = 10_000) => ({
    id: `0190c1e0-0000-7000-8000-${String(++seq).padStart(12, "0")}`,
    userId: "u",
    type,
    resultType: "json",
    payload: {},
    maxAttempts,
    timeoutMs,
  });

  const ended = (prisma: TestPrisma, id: string) =>
    until(async () => {
      const current = await prisma.job.findUniqueOrThrow({ where: { id } });
      return isEnded(current.status) && current;
    });

  test("a lease that ran out closes its attempt as lease_expired; the next attempt gets a row of its own", async ({
    db,
    store,
  }) => {
    const job = await store.insertJob(newJob("t"), new Date());
    await store.claimJobs({ owner: "w1:1:aa#1", types: ["t"], limit: 1, leaseMs: 1, now: new Date() });
    expect(await selectJobAttempts(db, job.id)).toMatchObject([
      { attempt: 1, leaseOwner: "w1:1:aa#1", outcome: "running", error: null, finishedAt: null },
    ]);
    await delay(5);
    await store.reapExpiredLeases(new Date());
    await store.claimJobs({ owner: "w2:2:bb#1", types: ["t"], limit: 1, leaseMs: 60_000, now: new Date() });
    const done = await store.settleAttempt(
      { id: job.id, attempts: 2, leaseOwner: "w2:2:bb#1" },
      { status: "completed", result: 1 },
      new Date(),
    );
    const rows = await selectJobAttempts(db, job.id);
    expect(rows.map((r) => [r.attempt, r.leaseOwner, r.outcome])).toEqual([
      [1, "w1:1:aa#1", "lease_expired"],
      [2, "w2:2:bb#1", "completed"],
    ]);
    expect(JSON.parse(rows[0]!.error!)).toMatchObject({ code: "LEASE_EXPIRED" });
    expect(rows[1]!.finishedAt).toBe(done!.finishedAt);
  });

  test("completions settled together close each one's attempt (one statement on PostgreSQL)", async ({
    db,
    store,
  }) => {
    const jobs = [
      await store.insertJob(newJob("t"), new Date()),
      await store.insertJob(newJob("t"), new Date()),
    ];
    const claimed = await store.claimJobs({
      owner: "w#1",
      types: ["t"],
      limit: 2,
      leaseMs: 60_000,
      now: new Date(),
    });
    expect(claimed).toHaveLength(2);
    await Promise.all(
      claimed.map((row) =>
        store.settleAttempt(
          { id: row.id, attempts: 1, leaseOwner: "w#1" },
          { status: "completed", result: row.id },
          new Date(),
        ),
      ),
    );
    for (const job of jobs)
      expect((await selectJobAttempts(db, job.id)).map((r) => [r.attempt, r.outcome])).toEqual([
        [1, "completed"],
      ]);
  });

  test("records handed_back at shutdown (the attempt not counted), timed_out and cancelled", async ({
    db,
    store,
    prisma,
    startWorker,
  }) => {
    const first = startWorker([endlessType("endless")], { concurrency: 1 });
    const handed = await store.insertJob(newJob("endless"), new Date());
    await until(() => Promise.resolve(first.activeJobIds().length === 1));
    await first.stop(0);
    expect(await prisma.job.findUniqueOrThrow({ where: { id: handed.id } })).toMatchObject({
      status: "pending",
      attempts: 0,
    });

    const second = startWorker([
      endlessType("endless"),
      endlessType("slow", { maxAttempts: 1, timeoutMs: 150 }),
    ]);
    const timedOut = await store.insertJob(newJob("slow", 1, 150), new Date());
    await ended(prisma, timedOut.id);
    await until(() => Promise.resolve(second.activeJobIds().includes(handed.id)));
    await store.requestCancel({ userId: "u", jobId: handed.id, now: new Date() });
    await ended(prisma, handed.id);

    const handedRows = await selectJobAttempts(db, handed.id);
    expect(handedRows.map((r) => [r.attempt, r.outcome, r.error])).toEqual([
      [1, "handed_back", null],
      [1, "cancelled", null],
    ]);
    expect(handedRows[0]!.leaseOwner.startsWith(`${first.id}#`)).toBe(true);
    expect(handedRows[1]!.leaseOwner.startsWith(`${second.id}#`)).toBe(true);
    const [slow] = await selectJobAttempts(db, timedOut.id);
    expect(slow).toMatchObject({ attempt: 1, outcome: "timed_out" });
    expect(JSON.parse(slow!.error!)).toEqual({
      code: "TIMEOUT",
      message: "timed out after 150 ms (attempt 1 of 1)",
    });
    // The worker says so in the job's log, with the end.
    expect(
      await prisma.jobLog.findMany({
        where: { jobId: timedOut.id },
        select: { seq: true, level: true, message: true },
      }),
    ).toEqual([
      { seq: 1, level: "error", message: "attempt 1 of 1 timed out after 150 ms; the job has failed" },
    ]);
  });

  test("fences progress and lines: a worker whose lease was taken over writes neither", async ({
    store,
    prisma,
  }) => {
    const job = await store.insertJob(newJob("t"), new Date());
    await store.claimJobs({ owner: "A", types: ["t"], limit: 1, leaseMs: 1, now: new Date() });
    await delay(5);
    await store.reapExpiredLeases(new Date());
    await store.claimJobs({ owner: "B", types: ["t"], limit: 1, leaseMs: 60_000, now: new Date() });
    const fenceA = { id: job.id, attempts: 1, leaseOwner: "A" };
    const fenceB = { id: job.id, attempts: 2, leaseOwner: "B" };
    const events = await prisma.jobEvent.count();
    const progress = JSON.stringify({
      current: 1,
      total: null,
      message: null,
      updatedAt: new Date().toISOString(),
    });
    expect(await store.setProgress(fenceA, progress, new Date())).toBe(false);
    expect(
      await store.appendLogs(fenceA, [newLogLine("info", "from A", undefined, new Date())], 0, new Date()),
    ).toBeNull();
    expect(await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ progress: null });
    expect(await prisma.jobLog.count()).toBe(0);
    expect(await prisma.jobLogCounter.count()).toBe(0);
    expect(await prisma.jobEvent.count()).toBe(events);

    // The holder of the lease writes both, each with its event.
    expect(await store.setProgress(fenceB, progress, new Date())).toBe(true);
    expect(
      await store.appendLogs(fenceB, [newLogLine("warn", "from B", { x: 1 }, new Date())], 0, new Date()),
    ).toEqual({
      kept: 1,
      dropped: 0,
    });
    expect(
      await prisma.jobLog.findMany({ select: { seq: true, attempt: true, message: true, fields: true } }),
    ).toEqual([{ seq: 1, attempt: 2, message: "from B", fields: '{"x":1}' }]);
    expect(
      (await prisma.jobEvent.findMany({ where: { id: { gt: events } }, orderBy: { id: "asc" } })).map(
        (e) => e.kind,
      ),
    ).toEqual(["job", "log"]);
  });

  test("a running worker that loses its lease drops what its handler reports after", async ({
    store,
    prisma,
    startWorker,
  }) => {
    const started = gate();
    const release = gate();
    const lost: string[] = [];
    const reporting = defineJobType({
      type: "reporting",
      description: "reports after the test lets it go",
      resultType: "json",
      payloadSchema: z.object({}).passthrough(),
      maxAttempts: 3,
      timeoutMs: 60_000,
      handler: async (_payload, { log, progress }) => {
        started.open();
        await release.promise;
        for (let i = 1; i <= 20; i++) {
          progress(i, 20);
          log("info", `line ${i}`);
          await delay(20);
        }
        return { result: "late" };
      },
    });
    const worker = startWorker([reporting], {
      leaseMs: 900,
      abortGraceMs: 60_000,
      hooks: { onLeaseLost: (id) => lost.push(id) },
    });
    const job = await store.insertJob(newJob("reporting"), new Date());
    await started.promise;
    // Another worker takes the job over (a reaper and a claim elsewhere, in one write here).
    await prisma.job.update({
      where: { id: job.id },
      data: { attempts: 2, leaseOwner: "B", leaseExpiresAt: new Date(Date.now() + 60_000) },
    });
    release.open();
    await until(() => Promise.resolve(worker.activeJobIds().length === 0));
    expect(lost).toEqual([job.id]);
    expect(await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: "running",
      leaseOwner: "B",
      progress: null,
      result: null,
    });
    expect(await prisma.jobLog.count({ where: { jobId: job.id } })).toBe(0);
  });
});
