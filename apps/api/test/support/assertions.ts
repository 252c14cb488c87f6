import { ErrorBodySchema, type ErrorCode } from "@jobdeck/contract";
import { expect } from "vitest";
import type { TestPrisma } from "./prisma.js";
import type { TestResponse } from "./server.js";

/** Everything a request could have written, so a test can show a 4xx wrote nothing. */
export async function fingerprint(prisma: TestPrisma): Promise<string> {
  const jobs = await prisma.job.findMany({ orderBy: { id: "asc" } });
  const settings = await prisma.setting.findMany({ orderBy: { key: "asc" } });
  const events = await prisma.jobEvent.findMany({ orderBy: { id: "asc" } });
  const artifacts = await prisma.jobArtifact.findMany({ orderBy: { jobId: "asc" } });
  const retention = await prisma.retentionSetting.findMany({ orderBy: { userId: "asc" } });
  return JSON.stringify({ jobs, settings, events, artifacts, retention }, (_key, value: unknown) =>
    typeof value === "bigint"
      ? value.toString()
      : value instanceof Uint8Array
        ? Buffer.from(value).toString("base64")
        : value,
  );
}

/** Runs `fn` and fails if the database changed meanwhile. */
export async function expectNoWrites<T>(prisma: TestPrisma, fn: () => Promise<T>): Promise<T> {
  const before = await fingerprint(prisma);
  const result = await fn();
  expect(await fingerprint(prisma)).toBe(before);
  return result;
}

/** The whole error body of docs/api.md §3, parsed with the contract's schema. */
export function expectError(
  response: TestResponse,
  status: number,
  code: ErrorCode,
  error: { message?: string | RegExp; details?: { path: string; message: string | RegExp }[] } = {},
) {
  expect({ status: response.status, body: response.body }).toMatchObject({ status });
  const body = ErrorBodySchema.parse(response.body);
  expect(body.error.code).toBe(code);
  expect(body.requestId).toBe(response.headers.get("x-request-id"));
  if (error.message instanceof RegExp) expect(body.error.message).toMatch(error.message);
  else if (error.message !== undefined) expect(body.error.message).toBe(error.message);
  if (error.details) {
    expect(body.error.details).toEqual(
      error.details.map((d) => ({
        path: d.path,
        message: d.message instanceof RegExp ? expect.stringMatching(d.message) : d.message,
      })),
    );
  }
  return body;
}
