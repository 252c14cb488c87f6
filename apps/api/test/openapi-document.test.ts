import { ErrorCodeSchema, JobSchema } from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { documentedPaths } from "../src/http/openapi/paths.js";
import { lintWithRedocly, lintWithSpectral } from "./support/openapi-lint.js";
import { openApiDocument, operationsOf, resolveRef, walk, type Response } from "./support/openapi.js";

/**
 * The OpenAPI document as outside tools read it (docs/api.md §1.3): the linters integrators run in
 * CI find no error in it, and it says what the server does: named schemas, every status in words
 * with an example, the headers of every answer, the spec's spelling of request headers. The
 * validating proxy and the generated client are openapi-proxy.test.ts and openapi-client.test.ts.
 */
const document = openApiDocument();
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const operations = operationsOf(document);
const schemas = document.components!.schemas as Record<string, { required?: string[]; enum?: unknown[] }>;

describe("the OpenAPI document", () => {
  it("has no error for redocly lint (recommended rules)", async () => {
    const problems = await lintWithRedocly(document);
    expect(problems.filter((problem) => problem.severity === "error")).toEqual([]);
  });

  it("has no error for spectral lint (spectral:oas)", async () => {
    const problems = await lintWithSpectral(document);
    expect(problems.filter((problem) => problem.severity === "error")).toEqual([]);
  });

  it("names its shapes in components.schemas and references them: the job's shape is written once", () => {
    expect(Object.keys(schemas).sort()).toEqual(
      [
        "BulkAction",
        "BulkDryRunResponse",
        "BulkOperation",
        "BulkOperationResponse",
        "CreateBulkOperationBody",
        "ListBulkOperationsResponse",
        "CreateJobBody",
        "CreateJobsBatchBody",
        "ErrorBody",
        "ErrorCode",
        "ErrorDetail",
        "FailureGroup",
        "FailureGroupsResponse",
        "Health",
        "Job",
        "JobResponse",
        "JobStats",
        "JobStatsResponse",
        "JobStatus",
        "JobType",
        "JobsBatch",
        "JobsBatchResponse",
        "ListJobTypesResponse",
        "ListJobsResponse",
        "ListQueuesResponse",
        "Pagination",
        "Queue",
        "QueueResponse",
        "QueueSettings",
        "Readiness",
        // §15
        "RetryJobBody",
        "Retention",
        "RetentionResponse",
        // §12
        "ListSchedulesResponse",
        "Schedule",
        "ScheduleBody",
        "ScheduleResponse",
        // §13
        "ListWebhookDeliveriesResponse",
        "ListWebhooksResponse",
        "Webhook",
        "WebhookBody",
        "WebhookDelivery",
        "WebhookEvent",
        "WebhookMessageAcceptedResponse",
        "WebhookResponse",
        "WebhookWithSecret",
        "WebhookWithSecretResponse",
        // §14
        "AttemptOutcome",
        "JobAttempt",
        "JobLogLine",
        "ListJobAttemptsResponse",
        "ListJobLogsResponse",
        "LogLevel",
      ].sort(),
    );
    const jobFields = Object.keys(JobSchema.shape).sort();
    const jobShapes = [...walk(document)].filter(
      ([node]) =>
        typeof node.properties === "object" &&
        JSON.stringify(Object.keys(node.properties as object).sort()) === JSON.stringify(jobFields),
    );
    expect(jobShapes.map(([, path]) => path.join("/"))).toEqual(["components/schemas/Job"]);
    // Every field of a job is always present, payload and result included.
    expect(schemas.Job!.required!.sort()).toEqual(jobFields);
    expect(schemas.ErrorCode!.enum).toEqual(ErrorCodeSchema.options);
  });

  it("never says nullable without a type (OpenAPI 3.0 gives it no meaning; validators skip the body)", () => {
    const typeless = [...walk(document)].filter(
      ([node, path]) => node.nullable === true && node.type === undefined && !path.includes("example"),
    );
    expect(typeless.map(([, path]) => path.join("/"))).toEqual([]);
  });

  it("documents every route, those outside the contract included", () => {
    expect(operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort()).toEqual(
      [
        "GET /healthz",
        "GET /metrics",
        "GET /readyz",
        "GET /v1/events",
        "GET /v1/job-types",
        "GET /v1/jobs",
        "GET /v1/jobs/export",
        "GET /v1/jobs/stats",
        "GET /v1/jobs/{jobId}",
        "GET /v1/jobs/{jobId}/artifact",
        "POST /v1/jobs",
        "POST /v1/jobs/batch",
        "POST /v1/jobs/{jobId}/cancel",
        "POST /v1/jobs/{jobId}/retry",
        // §14
        "GET /v1/jobs/{jobId}/attempts",
        "GET /v1/jobs/{jobId}/logs",
        "GET /v1/queues",
        "GET /v1/queues/{name}",
        "POST /v1/queues/{name}/pause",
        "POST /v1/queues/{name}/resume",
        "PUT /v1/queues/{name}",
        // §13
        "POST /v1/webhooks",
        "GET /v1/webhooks",
        "GET /v1/webhooks/{id}",
        "PUT /v1/webhooks/{id}",
        "DELETE /v1/webhooks/{id}",
        "POST /v1/webhooks/{id}/rotate-secret",
        "POST /v1/webhooks/{id}/test",
        "GET /v1/webhooks/{id}/deliveries",
        "POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
        "GET /v1/schedules",
        "POST /v1/schedules",
        "GET /v1/schedules/{scheduleId}",
        "PUT /v1/schedules/{scheduleId}",
        "DELETE /v1/schedules/{scheduleId}",
        "POST /v1/schedules/{scheduleId}/pause",
        "POST /v1/schedules/{scheduleId}/resume",
        "POST /v1/schedules/{scheduleId}/trigger",
        // §15
        "POST /v1/bulk-operations",
        "GET /v1/bulk-operations",
        "GET /v1/bulk-operations/{id}",
        "POST /v1/bulk-operations/{id}/cancel",
        "GET /v1/retention",
        "PUT /v1/retention",
        // A product addition beside §15 (the Failed view)
        "GET /v1/jobs/failure-groups",
      ].sort(),
    );
  });

  describe.each(
    operations.map(({ method, path, operation }) => [`${method.toUpperCase()} ${path}`, operation] as const),
  )("%s", (_name, operation) => {
    const answers = Object.entries(operation.responses).map(
      ([status, answer]) => [Number(status), resolveRef<Response>(document, answer)] as const,
    );
    const headersOf = (answer: Response) =>
      Object.fromEntries(
        Object.entries(answer.headers ?? {}).map(([name, header]) => [
          name,
          resolveRef<{ required?: boolean }>(document, header),
        ]),
      );

    it("says in words what each status means, with an example of each error body", () => {
      for (const [status, answer] of answers) {
        expect(answer.description, `${status}`).toMatch(/[a-z]{3,}.* /);
        if (status >= 400) expect(answer.content?.["application/json"]?.example, `${status}`).toBeDefined();
      }
    });

    it("documents the headers of each answer", () => {
      const isV1 = operation.security?.some((requirement) => "bearerAuth" in (requirement as object));
      for (const [status, answer] of answers) {
        const headers = headersOf(answer);
        expect(headers["X-Request-Id"]?.required, `${status} X-Request-Id`).toBe(true);
        if (status === 401) expect(headers["WWW-Authenticate"]?.required).toBe(true);
        if (status === 429) {
          for (const name of ["Retry-After", "RateLimit", "RateLimit-Policy"])
            expect(headers[name]?.required, name).toBe(true);
        }
        if (status === 503) expect(headers["Retry-After"]?.required).toBe(true);
        if (status === 201) expect(headers.Location?.required).toBe(true);
        if (isV1 && status < 500) expect(Object.keys(headers), `${status}`).toContain("RateLimit");
      }
      if (operation.parameters?.some((parameter) => parameter.name === "Idempotency-Key")) {
        const created = answers.find(([status]) => status === 201 || status === 202);
        expect(Object.keys(headersOf(created![1]))).toContain("Idempotent-Replayed");
      }
    });

    it("describes every parameter, headers spelled as HTTP spells them", () => {
      for (const parameter of operation.parameters ?? []) {
        expect(parameter.description, parameter.name).toBeTruthy();
        if (parameter.in === "header") expect(parameter.name).toMatch(/^([A-Z][a-z]*)(-[A-Z][a-zA-Z]*)*$/);
      }
      // Every body is required, but the retry's (§15: no body is a retry without changes).
      if (operation.requestBody)
        expect(operation.requestBody.required).toBe(operation.operationId !== "retryJob");
    });
  });

  it("has the paths and methods the server's 405 answers are read from at boot (http/openapi/paths.ts)", () => {
    const methodsByPath = (paths: Record<string, object>) =>
      Object.fromEntries(
        Object.entries(paths).map(([path, item]) => [path, HTTP_METHODS.filter((method) => method in item)]),
      );
    expect(methodsByPath(documentedPaths())).toEqual(methodsByPath(document.paths));
  });

  it("spells the request headers as the reference does, and requires createJob's body", () => {
    const byId = Object.fromEntries(operations.map(({ operation }) => [operation.operationId, operation]));
    const headerNames = (id: string) =>
      (byId[id]!.parameters ?? []).filter((p) => p.in === "header").map((p) => p.name);
    expect(headerNames("createJob")).toEqual(["Idempotency-Key"]);
    expect(headerNames("retryJob")).toEqual(["Idempotency-Key"]);
    expect(headerNames("streamEvents")).toEqual(["Last-Event-ID"]);
    expect(headerNames("putQueue")).toEqual(["If-Match"]);
    expect(byId.createJob!.requestBody?.required).toBe(true);
  });

  it("gives every queue answer its ETag, a 412 to PUT, and a deduplicated create its 200 with Deduplicated", () => {
    const byId = Object.fromEntries(operations.map(({ operation }) => [operation.operationId, operation]));
    for (const id of ["getQueue", "putQueue", "pauseQueue", "resumeQueue"]) {
      const ok = resolveRef<Response>(document, byId[id]!.responses["200"]!);
      expect(resolveRef<{ required?: boolean }>(document, ok.headers!.ETag!).required, id).toBe(true);
    }
    expect(Object.keys(byId.putQueue!.responses)).toContain("412");
    const deduplicated = resolveRef<Response>(document, byId.createJob!.responses["200"]!);
    expect(Object.keys(deduplicated.headers!)).toContain("Deduplicated");
    // waitReason: one of the reasons, or null (nullable); null is not listed among the values, which
    // Prism's validator would then hold twice and stop checking answers (openapi-proxy.test.ts).
    const waitReason = (
      schemas.Job as { properties: Record<string, { enum?: unknown[]; nullable?: boolean }> }
    ).properties.waitReason!;
    expect(waitReason).toMatchObject({ nullable: true, enum: expect.arrayContaining(["queued"]) });
    expect(waitReason.enum).not.toContain(null);
  });

  it("accepts any media type for an artifact, and documents the event stream's ready event", () => {
    const [artifact] = operations.filter(({ operation }) => operation.operationId === "getJobArtifact");
    const ok = resolveRef<Response>(document, artifact!.operation.responses["200"]!);
    expect(Object.keys(ok.content!)).toContain("*/*");
    const [events] = operations.filter(({ operation }) => operation.operationId === "streamEvents");
    expect(events!.operation.description).toMatch(/`event: ready` with `data: \{\}`/);
    const stream = resolveRef<Response>(document, events!.operation.responses["200"]!);
    expect(String(stream.content!["text/event-stream"]!.example)).toMatch(/event: ready\ndata: \{\}/);
  });
});
