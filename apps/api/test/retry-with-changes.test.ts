import { JobResponseSchema, type Job } from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { fetchJob } from "./support/jobs.js";
import { postJson } from "./support/server.js";
import { serveSuite } from "./support/suite.js";

const providers = await testProviders();

const DAY = 86_400_000;

describe.each(providers)("POST /v1/jobs/{jobId}/retry with changes (§15) on %s", (provider) => {
  // No worker in the server: jobs stay where the tests put them.
  const suite = serveSuite(provider);

  /** An ended job with every field a retry may change set to something other than its default. */
  async function endedJob(status = "failed"): Promise<Job> {
    const created = await suite.server.request(
      "/v1/jobs",
      postJson(
        {
          type: "sleep",
          payload: { ms: 5 },
          queue: "original-queue",
          priority: 7,
          concurrencyKey: "customer-1",
          tags: ["first", "second"],
          metadata: { team: "billing", n: 1 },
        },
        suite.alice,
      ),
    );
    expect(created.status, created.text).toBe(201);
    const job = JobResponseSchema.parse(created.body).data;
    await suite.setStatus(job.id, status);
    return job;
  }

  const retry = (id: string, body?: unknown, headers: Record<string, string> = {}) =>
    suite.server.request(`/v1/jobs/${id}/retry`, {
      method: "POST",
      token: suite.alice,
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  const retried = (response: Awaited<ReturnType<typeof retry>>) => {
    expect(response.status, response.text).toBe(201);
    const body = JobResponseSchema.parse(response.body);
    expect(body.message).toBe("Job created as a retry");
    return body.data;
  };

  it("takes every change at once; the rest (the concurrency key) is the original's, and the original stays", async () => {
    const original = await endedJob();
    const runAt = new Date(Date.now() + DAY).toISOString();
    const job = retried(
      await retry(original.id, {
        payload: { ms: 10 },
        queue: "other-queue",
        priority: -3,
        runAt,
        tags: ["changed"],
        metadata: { team: "ops" },
      }),
    );
    expect(job).toMatchObject({
      type: "sleep",
      status: "pending",
      payload: { ms: 10 },
      queue: "other-queue",
      priority: -3,
      runAt,
      waitReason: "scheduled",
      tags: ["changed"],
      metadata: { team: "ops" },
      concurrencyKey: "customer-1",
      retryOf: original.id,
      attempts: 0,
    });
    expect(await fetchJob(suite.server, suite.alice, job.id)).toEqual(job);
    expect(await fetchJob(suite.server, suite.alice, original.id)).toEqual({
      ...original,
      status: "failed",
      waitReason: null,
    });
  });

  it("changes each field alone; every absent field keeps the original's value, and runAt absent is now", async () => {
    const original = await endedJob("completed");
    const kept = {
      type: "sleep",
      payload: { ms: 5 },
      queue: "original-queue",
      priority: 7,
      concurrencyKey: "customer-1",
      tags: ["first", "second"],
      metadata: { team: "billing", n: 1 },
      retryOf: original.id,
    };
    const ahead = new Date(Date.now() + 2 * DAY).toISOString();
    const changes: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ payload: { ms: 99 } }, { payload: { ms: 99 } }],
      [{ queue: "q2" }, { queue: "q2" }],
      [{ priority: 100 }, { priority: 100 }],
      [{ runAt: ahead }, { runAt: ahead }],
      [{ tags: [] }, { tags: [] }],
      [{ tags: ["x:y/z"] }, { tags: ["x:y/z"] }],
      [{ metadata: {} }, { metadata: {} }],
      [{ metadata: { flag: true } }, { metadata: { flag: true } }],
    ];
    for (const [change, expected] of changes) {
      const before = Date.now();
      const job = retried(await retry(original.id, change));
      expect(job, JSON.stringify(change)).toMatchObject({ ...kept, ...expected });
      if (change.runAt === undefined) {
        // Now: not the original's runAt, and no later than the answer.
        expect(Date.parse(job.runAt)).toBeGreaterThanOrEqual(before);
        expect(Date.parse(job.runAt)).toBeLessThanOrEqual(Date.now());
        expect(job.runAt).toBe(job.createdAt);
      }
    }
  });

  it("treats a runAt in the past as now", async () => {
    const original = await endedJob();
    const job = retried(await retry(original.id, { runAt: "2001-01-01T00:00:00Z" }));
    expect(job.runAt).toBe(job.createdAt);
  });

  it("with no body or an empty one, is the plain retry of §9", async () => {
    const original = await endedJob("cancelled");
    for (const body of [undefined, {}]) {
      const job = retried(await retry(original.id, body));
      expect(job).toMatchObject({
        payload: { ms: 5 },
        queue: "original-queue",
        priority: 7,
        tags: ["first", "second"],
        metadata: { team: "billing", n: 1 },
        retryOf: original.id,
      });
    }
  });

  it("refuses what create would refuse with a 400 naming the field, and writes nothing", async () => {
    const original = await endedJob();
    const cases: [unknown, { path: string; message: string | RegExp }[]][] = [
      [{ payload: { ms: -1 } }, [{ path: "payload.ms", message: /at least 0/ }]],
      [{ payload: null }, [{ path: "payload", message: /object/ }]],
      [{ payload: { ms: 1, extra: 1 } }, [{ path: "payload.extra", message: "is not an accepted field" }]],
      [{ queue: "Not A Queue" }, [{ path: "queue", message: "must match ^[a-z0-9][a-z0-9._-]{0,63}$" }]],
      [{ priority: 101 }, [{ path: "priority", message: "must be between -100 and 100" }]],
      [{ priority: 1.5 }, [{ path: "priority", message: "must be an integer" }]],
      // As on create: both of runAt's checks speak.
      [
        { runAt: "tomorrow" },
        [
          { path: "runAt", message: /ISO 8601/ },
          { path: "runAt", message: "must be a real time" },
        ],
      ],
      [
        { runAt: new Date(Date.now() + 400 * DAY).toISOString() },
        [{ path: "runAt", message: "must be at most 366 days ahead" }],
      ],
      [{ tags: ["a", "a"] }, [{ path: "tags.1", message: "duplicate tag a" }]],
      [{ tags: ["has space"] }, [{ path: "tags.0", message: /1–64 characters/ }]],
      [{ metadata: { k: null } }, [{ path: "metadata.k", message: /a string of at most 256/ }]],
      [{ metadata: { k: { nested: 1 } } }, [{ path: "metadata.k", message: /a string of at most 256/ }]],
      [{ delayMs: 1000 }, [{ path: "delayMs", message: "is not an accepted field" }]],
      [{ type: "echo" }, [{ path: "type", message: "is not an accepted field" }]],
      [{ concurrencyKey: "k" }, [{ path: "concurrencyKey", message: "is not an accepted field" }]],
    ];
    for (const [body, details] of cases) {
      const response = await suite.noWrites(() => retry(original.id, body));
      expectError(response, 400, "VALIDATION_FAILED", { details });
    }
    // Not a JSON object at all.
    for (const body of [[], "text", 3]) {
      const response = await suite.noWrites(() => retry(original.id, body));
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });

  it("checks the original first: 404 for another user's job, 409 for one that has not ended, whatever the body", async () => {
    const original = await endedJob();
    const response = await suite.noWrites(() =>
      suite.server.request(`/v1/jobs/${original.id}/retry`, postJson({ priority: 1 }, suite.bob)),
    );
    expectError(response, 404, "NOT_FOUND");
    await suite.setStatus(original.id, "running");
    expectError(await suite.noWrites(() => retry(original.id, { priority: 1 })), 409, "CONFLICT");
  });

  it("counts the body in the Idempotency-Key's fingerprint: the same body replays, another is a 409", async () => {
    const original = await endedJob();
    const jobCount = () => suite.server.prisma.job.count();
    const key = { "idempotency-key": `retry-changes-${provider}` };
    const first = retried(await retry(original.id, { priority: 3 }, key));
    const count = await jobCount();
    const again = await retry(original.id, { priority: 3 }, key);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(JobResponseSchema.parse(again.body).data).toEqual(first);
    for (const other of [{ priority: 4 }, undefined, {}]) {
      const response = await suite.noWrites(() => retry(original.id, other, key));
      expectError(response, 409, "CONFLICT", {
        message: "This Idempotency-Key was already used with a different request",
      });
    }
    expect(await jobCount()).toBe(count);
    // No body and {} are the same request.
    const plainKey = { "idempotency-key": `retry-plain-${provider}` };
    const plain = retried(await retry(original.id, undefined, plainKey));
    const replay = await retry(original.id, {}, plainKey);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(JobResponseSchema.parse(replay.body).data).toEqual(plain);
  });
});
