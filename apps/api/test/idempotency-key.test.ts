import { serveSuite } from "./support/suite.js";
import { JobResponseSchema } from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { requestFingerprint } from "../src/idempotency/run-idempotent.js";
import { expectError, expectNoWrites } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { postJson } from "./support/server.js";

const providers = await testProviders();

describe.each(providers)("Idempotency-Key on POST /v1/jobs on %s", (provider) => {
  const suite = serveSuite(provider);

  const postWithKey = (body: unknown, key: string | undefined, token = suite.alice) =>
    suite.server.request("/v1/jobs", {
      ...postJson(body, token),
      headers: {
        "content-type": "application/json",
        ...(key === undefined ? {} : { "idempotency-key": key }),
      },
    });
  const jobCount = () => suite.server.prisma.job.count();

  it("replays the original status and body for the same key and body, creating nothing", async () => {
    const before = await jobCount();
    const first = await postWithKey({ type: "echo", payload: { n: 1 } }, "key-replay");
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const again = await postWithKey({ payload: { n: 1 }, type: "echo" }, "key-replay");
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(JobResponseSchema.parse(again.body)).toEqual(JobResponseSchema.parse(first.body));
    expect(await jobCount()).toBe(before + 1);
  });

  it("makes POST /v1/jobs/{id}/retry safe to repeat too, per original job", async () => {
    const original = JobResponseSchema.parse(
      (await postWithKey({ type: "echo", payload: { r: 1 } }, undefined)).body,
    ).data;
    const other = JobResponseSchema.parse(
      (await postWithKey({ type: "echo", payload: { r: 2 } }, undefined)).body,
    ).data;
    await suite.server.prisma.job.updateMany({
      where: { id: { in: [original.id, other.id] } },
      data: { status: "failed" },
    });
    const retry = (id: string, key: string) =>
      suite.server.request(`/v1/jobs/${id}/retry`, {
        method: "POST",
        token: suite.alice,
        headers: { "idempotency-key": key },
      });
    const before = await jobCount();
    const first = await retry(original.id, "retry-key");
    expect(first.status).toBe(201);
    const again = await retry(original.id, "retry-key");
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    expect(JobResponseSchema.parse(first.body).message).toBe("Job created as a retry");
    expect(await jobCount()).toBe(before + 1);
    // The same key for another job's retry is another request: 409, nothing created.
    expectError(await retry(other.id, "retry-key"), 409, "CONFLICT");
    expect(await jobCount()).toBe(before + 1);
  });

  it("answers 409 for the same key with a different body, and keeps the first answer", async () => {
    await postWithKey({ type: "echo", payload: { n: 1 } }, "key-different");
    const other = await expectNoWrites(suite.server.prisma, () =>
      postWithKey({ type: "echo", payload: { n: 2 } }, "key-different"),
    );
    expectError(other, 409, "CONFLICT", {
      message: "This Idempotency-Key was already used with a different request",
      details: [{ path: "Idempotency-Key", message: "was already used with a different request" }],
    });
    expect(
      (await postWithKey({ type: "echo", payload: { n: 1 } }, "key-different")).headers.get(
        "idempotent-replayed",
      ),
    ).toBe("true");
  });

  it("scopes keys to the user: another user's identical key is unrelated", async () => {
    const mine = await postWithKey({ type: "echo", payload: {} }, "shared-key");
    const theirs = await postWithKey({ type: "echo", payload: {} }, "shared-key", suite.server.token("bob"));
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get("idempotent-replayed")).toBeNull();
    expect(JobResponseSchema.parse(theirs.body).data.id).not.toBe(JobResponseSchema.parse(mine.body).data.id);
  });

  it("stores nothing for a 4xx: after fixing the body the same key creates the job", async () => {
    const bad = await expectNoWrites(suite.server.prisma, () =>
      postWithKey({ type: "sleep", payload: { ms: -5 } }, "key-after-400"),
    );
    expectError(bad, 400, "VALIDATION_FAILED");
    const good = await postWithKey({ type: "sleep", payload: { ms: 5 } }, "key-after-400");
    expect(good.status).toBe(201);
    expect(good.headers.get("idempotent-replayed")).toBeNull();
  });

  it("refuses a malformed key with a 400 naming the header", async () => {
    for (const key of ["", "x".repeat(256), "has space", "tab\tkey", "ünicode"]) {
      const response = await expectNoWrites(suite.server.prisma, () =>
        suite.server.request("/v1/jobs", {
          method: "POST",
          token: suite.alice,
          headers: { "content-type": "application/json", "idempotency-key": key },
          body: JSON.stringify({ type: "echo", payload: {} }),
        }),
      );
      expectError(response, 400, "VALIDATION_FAILED", {
        details: [{ path: "idempotency-key", message: "must be 1 to 255 visible ASCII characters" }],
      });
    }
  });

  it("creates exactly one job for 20 simultaneous requests with one key", async () => {
    const before = await jobCount();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => postWithKey({ type: "echo", payload: { race: true } }, "key-race")),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const created = responses.filter(
      (r) => r.status === 201 && r.headers.get("idempotent-replayed") === null,
    );
    expect(created).toHaveLength(1);
    for (const conflict of responses.filter((r) => r.status === 409)) {
      expectError(conflict, 409, "CONFLICT", {
        message: "A request with this Idempotency-Key is still in progress",
      });
    }
    expect(await jobCount()).toBe(before + 1);
  });

  it("forgets keys after 24 hours and takes over a key whose request never finished", async () => {
    const prisma = suite.server.prisma;
    await postWithKey({ type: "echo", payload: {} }, "key-expired");
    await prisma.idempotencyKey.update({
      where: { userId_key: { userId: "alice", key: "key-expired" } },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const fresh = await postWithKey({ type: "echo", payload: {} }, "key-expired");
    expect(fresh.status).toBe(201);
    expect(fresh.headers.get("idempotent-replayed")).toBeNull();

    const now = Date.now();
    await prisma.idempotencyKey.create({
      data: {
        userId: "alice",
        key: "key-stuck",
        fingerprint: requestFingerprint("POST /v1/jobs", { type: "echo", payload: {} }),
        createdAt: new Date(now),
        expiresAt: new Date(now + 86_400_000),
      },
    });
    expectError(await postWithKey({ type: "echo", payload: {} }, "key-stuck"), 409, "CONFLICT", {
      message: "A request with this Idempotency-Key is still in progress",
    });
    await prisma.idempotencyKey.update({
      where: { userId_key: { userId: "alice", key: "key-stuck" } },
      data: { createdAt: new Date(now - 10 * 60_000) },
    });
    expect((await postWithKey({ type: "echo", payload: {} }, "key-stuck")).status).toBe(201);
  });
});
