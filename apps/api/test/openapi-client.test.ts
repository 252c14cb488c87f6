import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./support/server.js";

/**
 * A client generated from /openapi.json as integrators generate one (openapi-typescript +
 * openapi-fetch): it compiles under strict TypeScript, names the job and error types, requires the
 * bodies the API requires, types the headers, and works against a real server. The program below
 * is type-checked as written; `@ts-expect-error` lines are the things that must not compile.
 */

const API_DIR = fileURLToPath(new URL("..", import.meta.url));

const PROGRAM = `
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type Job = components["schemas"]["Job"];
export type JobStatus = components["schemas"]["JobStatus"];
export type ErrorBody = components["schemas"]["ErrorBody"];
export type ErrorCode = components["schemas"]["ErrorCode"];

type IsOptional<T, K extends keyof T> = {} extends Pick<T, K> ? true : false;
const holds = <T extends true>(): T | undefined => undefined;

// Every field of a job is present, payload and result included.
holds<IsOptional<Job, "payload"> extends false ? true : false>();
holds<IsOptional<Job, "result"> extends false ? true : false>();
holds<Job["status"] extends JobStatus ? true : false>();
// Creating a job needs a body; the error body's code is the contract's list.
holds<IsOptional<paths["/v1/jobs"]["post"], "requestBody"> extends false ? true : false>();
holds<"METHOD_NOT_ALLOWED" extends ErrorCode ? true : false>();
// Typed headers: the request's Idempotency-Key, the answers' Location, X-Request-Id, Retry-After.
type CreateJob = paths["/v1/jobs"]["post"];
holds<NonNullable<CreateJob["parameters"]["header"]>["Idempotency-Key"] extends string | undefined ? true : false>();
holds<CreateJob["responses"][201]["headers"]["Location"] extends string ? true : false>();
holds<CreateJob["responses"][201]["headers"]["X-Request-Id"] extends string ? true : false>();
holds<components["responses"]["RateLimited"]["headers"]["Retry-After"] extends number ? true : false>();
holds<components["responses"]["Unauthorized"]["headers"]["WWW-Authenticate"] extends string ? true : false>();

export async function run(baseUrl: string, token: string) {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: "Bearer " + token } });

  // @ts-expect-error: the body is required
  void client.POST("/v1/jobs", {});
  // @ts-expect-error: a payload is required
  void client.POST("/v1/jobs", { body: { type: "echo" } });
  // @ts-expect-error: limit is required
  void client.GET("/v1/jobs", { params: { query: {} } });

  const created = await client.POST("/v1/jobs", {
    body: { type: "echo", payload: { hello: "typed" } },
    params: { header: { "Idempotency-Key": "typed-client-1" } },
  });
  if (!created.data) throw new Error("create failed: " + JSON.stringify(created.error));
  const job: Job = created.data.data;
  const location: string | null = created.response.headers.get("Location");

  const page = await client.GET("/v1/jobs", { params: { query: { limit: 10, status: "pending, completed" } } });
  const listed: Job[] = page.data?.data ?? [];
  const nextCursor: string | null | undefined = page.data?.pagination.nextCursor;

  const missing = await client.GET("/v1/jobs/{jobId}", {
    params: { path: { jobId: "0190c1e0-0000-7000-8000-000000000001" } },
  });
  const notFound: ErrorBody | undefined = missing.error;
  const code: ErrorCode | undefined = missing.error?.error.code;

  const types = await client.GET("/v1/job-types");
  const typeNames: string[] = (types.data?.data ?? []).map((type) => type.type);

  return { job, location, listed: listed.map((j) => j.id), nextCursor, notFound, code, typeNames };
}
`;

describe("a client generated from /openapi.json", () => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startTestServer("sqlite");
    // Inside apps/api, so that the program finds openapi-fetch in node_modules.
    dir = mkdtempSync(join(API_DIR, ".openapi-client-"));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  });

  it("has named types, required bodies and typed headers, compiles, and talks to the server", async () => {
    const served = await fetch(`${server.url}/openapi.json`);
    const schema = astToString(await openapiTS((await served.json()) as OpenAPI3));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(join(dir, "schema.ts"), schema);
    writeFileSync(join(dir, "client.ts"), PROGRAM);
    expect(schema).toMatch(/\bJob: \{/);
    expect(schema).toMatch(/\bErrorBody: \{/);

    const program = ts.createProgram([join(dir, "client.ts")], {
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
      types: [],
      noEmit: true,
      skipLibCheck: true,
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diagnostics).toEqual([]);

    const { run } = (await import(pathToFileURL(join(dir, "client.ts")).href)) as {
      run: (baseUrl: string, token: string) => Promise<Record<string, unknown>>;
    };
    const result = await run(server.url, server.token("typed"));
    const job = result.job as { id: string; status: string };
    expect(job.status).toBe("pending");
    expect(result.location).toBe(`/v1/jobs/${job.id}`);
    expect(result.listed).toEqual([job.id]);
    expect(result.code).toBe("NOT_FOUND");
    expect(result.typeNames).toContain("echo");
  });
});
