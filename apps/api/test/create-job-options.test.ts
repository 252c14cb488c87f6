import { JobResponseSchema, type Job } from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { postJson, type TestResponse } from "./support/server.js";
import { serveSuite } from "./support/suite.js";

const providers = await testProviders();

/** §11's options of POST /v1/jobs: where and when a job waits, and how creates with one dedupe key fold together. */
describe.each(providers)("POST /v1/jobs with queue options on %s", (provider) => {
  const suite = serveSuite(provider);

  const post = (body: Record<string, unknown>, token = suite.alice, headers: Record<string, string> = {}) => {
    const init = postJson({ type: "echo", payload: {}, ...body }, token);
    return suite.server.request("/v1/jobs", {
      ...init,
      headers: { ...(init.headers as object), ...headers },
    });
  };
  const jobOf = (response: TestResponse): Job => JobResponseSchema.parse(response.body).data;

  it("stores queue, priority, concurrencyKey and dedupeKey, and makes the queue exist", async () => {
    const response = await post({
      queue: "emails.v2",
      priority: -100,
      concurrencyKey: "acme",
      dedupeKey: "k-1",
    });
    expect(response.status).toBe(201);
    expect(jobOf(response)).toMatchObject({
      queue: "emails.v2",
      priority: -100,
      concurrencyKey: "acme",
      dedupeKey: "k-1",
      status: "pending",
    });
    const queue = await suite.server.prisma.queue.findUniqueOrThrow({
      where: { userId_name: { userId: "alice", name: "emails.v2" } },
    });
    expect(queue).toMatchObject({ isPaused: false, concurrency: null, isFlowControlled: false });
  });

  it("sets runAt from runAt (a past one is the creation time) or delayMs, and says the job is scheduled", async () => {
    const before = Date.now();
    const later = new Date(before + 3_600_000);
    const scheduled = jobOf(await post({ runAt: later.toISOString().replace("Z", "+00:00") }));
    expect(scheduled.runAt).toBe(later.toISOString());
    expect(scheduled.waitReason).toBe("scheduled");

    const past = jobOf(await post({ runAt: "2020-01-01T00:00:00+02:00" }));
    expect(past.runAt).toBe(past.createdAt);

    const delayed = jobOf(await post({ delayMs: 60_000 }));
    expect(Date.parse(delayed.runAt) - Date.parse(delayed.createdAt)).toBe(60_000);
    expect(delayed.waitReason).toBe("scheduled");

    const withOffset = jobOf(await post({ runAt: "2027-06-01T12:00:00.5+02:00" }));
    expect(withOffset.runAt).toBe("2027-06-01T10:00:00.500Z");
  });

  it("refuses bad options with a 400 naming the field, and writes nothing", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ queue: "Emails" }, "queue"],
      [{ queue: "-x" }, "queue"],
      [{ queue: "a".repeat(65) }, "queue"],
      [{ priority: 101 }, "priority"],
      [{ priority: 1.5 }, "priority"],
      [{ runAt: "tomorrow" }, "runAt"],
      [{ runAt: "2030-01-01T00:00:00" }, "runAt"],
      [{ runAt: new Date(Date.now() + 367 * 86_400_000).toISOString() }, "runAt"],
      [{ delayMs: -1 }, "delayMs"],
      [{ delayMs: 31_622_400_001 }, "delayMs"],
      [{ runAt: new Date().toISOString(), delayMs: 5 }, "delayMs"],
      [{ concurrencyKey: "" }, "concurrencyKey"],
      [{ concurrencyKey: "has space" }, "concurrencyKey"],
      [{ dedupeKey: "x".repeat(256) }, "dedupeKey"],
      [{ dedupe: "skip" }, "dedupe"],
      [{ debounceMs: 10 }, "debounceMs"],
      [{ dedupeKey: "k", dedupe: "debounce" }, "debounceMs"],
      [{ dedupeKey: "k", dedupe: "debounce", debounceMs: 10, delayMs: 5 }, "delayMs"],
      [{ dedupeKey: "k", dedupe: "debounce", debounceMs: 10, debounceMaxMs: 5 }, "debounceMaxMs"],
      [{ dedupeKey: "k", dedupe: "replace", debounceMs: 10 }, "debounceMs"],
      [{ dedupeKey: "k", dedupe: "later" }, "dedupe"],
      [{ dedupeKey: "k", dedupe: "debounce", debounceMs: 86_400_001 }, "debounceMs"],
    ];
    for (const [body, path] of cases) {
      const response = await suite.noWrites(() => post(body));
      expectError(response, 400, "VALIDATION_FAILED");
      const details = (response.body as { error: { details: { path: string }[] } }).error.details;
      expect(
        details.map((d) => d.path),
        JSON.stringify(body),
      ).toContain(path);
    }
  });

  it("dedupe skip: one pending job per key answers 200 Deduplicated with that job unchanged", async () => {
    const first = await post({ dedupeKey: "skip-1", payload: { n: 1 } });
    expect(first.status).toBe(201);
    const again = await post({ dedupeKey: "skip-1", payload: { n: 2 }, priority: 5 });
    expect(again.status).toBe(200);
    expect(again.headers.get("deduplicated")).toBe("true");
    expect(again.headers.get("location")).toBeNull();
    expect(JobResponseSchema.parse(again.body)).toEqual({
      success: true,
      message: "Job deduplicated",
      data: jobOf(first),
    });
    // Bob's key of the same name, and alice's in another queue, are other keys.
    expect((await post({ dedupeKey: "skip-1" }, suite.bob)).status).toBe(201);
    expect((await post({ dedupeKey: "skip-1", queue: "other" })).status).toBe(201);
  });

  it("dedupe replace: the pending job takes the new payload and options, keeps id, queue and createdAt", async () => {
    const first = jobOf(
      await post({ dedupeKey: "rep", payload: { n: 1 }, priority: 3, concurrencyKey: "a", delayMs: 60_000 }),
    );
    const replaced = await post({ dedupeKey: "rep", dedupe: "replace", payload: { n: 2 } });
    expect(replaced.status).toBe(200);
    const job = jobOf(replaced);
    expect(job).toMatchObject({
      id: first.id,
      queue: "default",
      createdAt: first.createdAt,
      payload: { n: 2 },
    });
    // Absent options take their defaults: priority 0, no key, runnable now.
    expect(job).toMatchObject({ priority: 0, concurrencyKey: null });
    expect(Date.parse(job.runAt)).toBeLessThanOrEqual(Date.now());
  });

  it("dedupe of another type than the pending job's is a 409, and writes nothing", async () => {
    await post({ dedupeKey: "typed" });
    const response = await suite.noWrites(() =>
      suite.server.request(
        "/v1/jobs",
        postJson({ type: "sleep", payload: { ms: 1 }, dedupeKey: "typed" }, suite.alice),
      ),
    );
    expectError(response, 409, "CONFLICT");
  });

  it("debounce: a new job waits debounceMs; each create pushes it out, never past debounceMaxMs", async () => {
    const rule = { dedupeKey: "deb", dedupe: "debounce", debounceMs: 5_000, debounceMaxMs: 6_000 };
    const first = jobOf(await post(rule));
    expect(Date.parse(first.runAt) - Date.parse(first.createdAt)).toBe(5_000);
    const second = await post({ ...rule, payload: { n: 2 } });
    expect(second.status).toBe(200);
    const pushed = jobOf(second);
    expect(pushed.id).toBe(first.id);
    expect(Date.parse(pushed.runAt)).toBeGreaterThanOrEqual(Date.parse(first.runAt));
    expect(Date.parse(pushed.runAt)).toBeLessThanOrEqual(Date.parse(first.createdAt) + 6_000);
  });

  it("an Idempotency-Key replay of a deduplicated create answers the same 200", async () => {
    await post({ dedupeKey: "idem" });
    const headers = { "Idempotency-Key": "dedupe-replay" };
    const first = await post({ dedupeKey: "idem" }, suite.alice, headers);
    expect(first.status).toBe(200);
    const replay = await post({ dedupeKey: "idem" }, suite.alice, headers);
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.headers.get("deduplicated")).toBe("true");
    expect(replay.body).toEqual(first.body);
  });

  it("20 simultaneous creates with one dedupeKey leave one pending job: one 201, nineteen 200", async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post({ dedupeKey: "race", payload: { i } })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([...Array(19).fill(200), 201]);
    expect(new Set(responses.map((r) => jobOf(r).id)).size).toBe(1);
    const pending = await suite.server.prisma.job.count({ where: { userId: "alice", dedupeKey: "race" } });
    expect(pending).toBe(1);
  });
});
