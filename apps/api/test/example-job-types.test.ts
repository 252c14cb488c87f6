import { resolve } from "node:path";
import { JobResponseSchema, ListJobTypesResponseSchema } from "@jobdeck/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadJobTypes } from "../src/job-types/load-job-types.js";
import { loadConfig } from "../src/config.js";
import { repoRoot } from "../src/paths.js";
import { testProviders } from "./support/databases.js";
import { createJob, waitForJob } from "./support/jobs.js";
import { startTestServer, type TestServer } from "./support/server.js";

const providers = await testProviders();
const EXAMPLE = resolve(repoRoot, "examples/job-types.js");

describe.each(providers)("the example JOB_TYPES_MODULE on %s", (provider) => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer(provider, {
      JOB_TYPES_MODULE: EXAMPLE,
      WORKER_CONCURRENCY: "2",
      WORKER_POLL_MS: "50",
    });
    token = server.token("alice");
  });
  afterAll(() => server.close());

  it("adds its types beside the built-in ones, payload schemas published", async () => {
    const body = ListJobTypesResponseSchema.parse((await server.request("/v1/job-types", { token })).body);
    expect(body.data.map((t) => t.type)).toEqual([
      "echo",
      "sleep",
      "markdown.render",
      "http.request",
      "image.thumbnail",
      "text.stats",
      "countdown",
    ]);
    expect(body.data.find((t) => t.type === "text.stats")).toMatchObject({
      resultType: "json",
      maxAttempts: 1,
      timeoutMs: 5_000,
      payloadSchema: {
        type: "object",
        properties: { text: { type: "string", maxLength: 100_000 } },
        required: ["text"],
      },
    });
  });

  it("runs them like built-in types: results, validation, permanent failures, cancellation", async () => {
    const stats = await createJob(server, token, "text.stats", { text: "one two\nthree" });
    expect(await waitForJob(server, token, stats.id)).toMatchObject({
      status: "completed",
      result: { characters: 13, words: 3, lines: 2 },
    });
    const empty = await createJob(server, token, "text.stats", { text: "  " });
    expect(await waitForJob(server, token, empty.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      error: { code: "EMPTY_TEXT" },
    });
    const invalid = await server.request("/v1/jobs", {
      method: "POST",
      token,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "countdown", payload: { from: 0 } }),
    });
    expect(invalid.status).toBe(400);

    const countdown = await createJob(server, token, "countdown", { from: 1_000, stepMs: 50 });
    await waitForJob(server, token, countdown.id, (job) => job.status === "running");
    const cancel = await server.request(`/v1/jobs/${countdown.id}/cancel`, { method: "POST", token });
    expect(JobResponseSchema.parse(cancel.body).data.status).toBe("cancelled");
    const quick = await createJob(server, token, "countdown", { from: 2, stepMs: 1 });
    expect(await waitForJob(server, token, quick.id)).toMatchObject({
      status: "completed",
      result: { counted: 2 },
    });
  });
});

describe("loading JOB_TYPES_MODULE", () => {
  const config = (module: string) => loadConfig({ NODE_ENV: "test", JOB_TYPES_MODULE: module });

  it("resolves the path against the working directory", async () => {
    const registry = await loadJobTypes(config("./examples/job-types.js"), repoRoot);
    expect(registry.names()).toContain("countdown");
  });

  it("refuses a module that cannot load, exports nothing, or defines a type badly, naming it", async () => {
    await expect(loadJobTypes(config("./no/such/module.js"), repoRoot)).rejects.toThrow(
      /cannot load .*no\/such\/module\.js/,
    );
    await expect(
      loadJobTypes(config("./apps/api/test/support/job-type-modules/invalid-job-types.js"), repoRoot),
    ).rejects.toThrow(
      'JOB_TYPES_MODULE ./apps/api/test/support/job-type-modules/invalid-job-types.js: job type "broken": maxAttempts must be an integer from 1 to 100',
    );
    await expect(
      loadJobTypes(config("./apps/api/test/support/job-type-modules/no-job-types.js"), repoRoot),
    ).rejects.toThrow(/exports no job types: export an array of them as default or as jobTypes/);
  });
});
