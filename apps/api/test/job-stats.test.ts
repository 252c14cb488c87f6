import { serveSuite } from "./support/suite.js";
import { JobStatsResponseSchema, type Job } from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { createJob } from "./support/jobs.js";
import { postJson } from "./support/server.js";

const providers = await testProviders();

describe.each(providers)("GET /v1/jobs/stats on %s", (provider) => {
  // No worker in the server: jobs stay where the tests put them.
  const suite = serveSuite(provider);

  it("counts the caller's jobs by status, with the list's filters", async () => {
    const carol = suite.server.token("carol");
    const made: Job[] = [];
    for (const [type, payload] of [
      ["echo", {}],
      ["echo", {}],
      ["sleep", { ms: 1 }],
      ["markdown.render", { markdown: "x" }],
    ] as const) {
      made.push(await createJob(suite.server, carol, type, payload));
    }
    await suite.setStatus(made[1]!.id, "completed");
    await suite.setStatus(made[2]!.id, "failed");
    const stats = async (query: string, token = carol) => {
      const response = await suite.server.request(`/v1/jobs/stats${query}`, { token });
      expect(response.status, response.text).toBe(200);
      const body = JobStatsResponseSchema.parse(response.body);
      expect(body.message).toBe("Job stats retrieved");
      return body.data;
    };
    expect(await stats("")).toEqual({
      total: 4,
      byStatus: { pending: 2, running: 0, completed: 1, failed: 1, cancelled: 0 },
    });
    expect(await stats("?type=echo")).toEqual({
      total: 2,
      byStatus: { pending: 1, running: 0, completed: 1, failed: 0, cancelled: 0 },
    });
    expect((await stats("?status=pending,failed")).total).toBe(3);
    expect((await stats("?resultType=html")).total).toBe(1);
    const at = Date.parse(made[3]!.createdAt);
    expect((await stats(`?createdFrom=${at}&createdTo=${at}`)).total).toBeGreaterThanOrEqual(1);
    expect((await stats(`?createdTo=${Date.parse(made[0]!.createdAt) - 1}`)).total).toBe(0);
    expect(await stats("", suite.server.token("dave"))).toEqual({
      total: 0,
      byStatus: { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0 },
    });
  });

  it("filters by queue and concurrencyKey, comma lists like type (§11)", async () => {
    const erin = suite.server.token("erin");
    for (const options of [
      { queue: "emails", concurrencyKey: "acme" },
      { queue: "emails", concurrencyKey: "globex" },
      { queue: "reports", concurrencyKey: "acme" },
      {},
    ]) {
      const response = await suite.server.request(
        "/v1/jobs",
        postJson({ type: "echo", payload: {}, ...options }, erin),
      );
      expect(response.status, response.text).toBe(201);
    }
    const total = async (query: string) => {
      const response = await suite.server.request(`/v1/jobs/stats?${query}`, { token: erin });
      expect(response.status, response.text).toBe(200);
      return JobStatsResponseSchema.parse(response.body).data.total;
    };
    expect(await total("queue=emails")).toBe(2);
    expect(await total("queue=emails,default")).toBe(3);
    expect(await total("concurrencyKey=acme")).toBe(2);
    expect(await total("concurrencyKey=acme&queue=reports")).toBe(1);
    expect(await total("concurrencyKey=nobody")).toBe(0);
    // No worker runs in this server: every runnable pending job waits for one.
    expect(await total("waitReason=no_worker")).toBe(4);
    expect(await total("waitReason=queued,scheduled")).toBe(0);
  });

  it("refuses paging, sorting, unknown and bad parameters with 400", async () => {
    const cases: [string, { path: string; message: string | RegExp }[]][] = [
      ["limit=10", [{ path: "limit", message: "is not an accepted field" }]],
      ["cursor=abc", [{ path: "cursor", message: "is not an accepted field" }]],
      ["sortBy=type", [{ path: "sortBy", message: "is not an accepted field" }]],
      ["status=done", [{ path: "status", message: /must be one of pending/ }]],
      ["createdFrom=10&createdTo=9", [{ path: "createdFrom", message: "must not be after createdTo" }]],
      ["waitReason=idle", [{ path: "waitReason", message: /must be one of backoff/ }]],
      ["queue=", [{ path: "queue", message: /must be queue names/ }]],
    ];
    for (const [query, details] of cases) {
      const response = await suite.noWrites(() =>
        suite.server.request(`/v1/jobs/stats?${query}`, { token: suite.alice }),
      );
      expectError(response, 400, "VALIDATION_FAILED", { details });
    }
    expectError(await suite.server.request("/v1/jobs/stats"), 401, "UNAUTHORIZED");
  });
});
