/**
 * A stand-in for the network in component tests: `fetch` answered by a function of method and
 * path, recording every request. (The browser tests in e2e/ run against the real server.)
 */
import type { Job, JobType } from "@jobdeck/contract";
import { vi } from "vitest";
import { signIn } from "../../src/lib/session";

const base64url = (value: object) =>
  btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

/** An unsigned token the dashboard accepts (only the server verifies signatures). */
export const jwt = (claims: object) =>
  `${base64url({ alg: "HS256", typ: "JWT" })}.${base64url(claims)}.c2lnbmF0dXJl`;

export function signInAs(sub: string): string {
  const token = jwt({ sub, exp: Math.floor(Date.now() / 1000) + 3600 });
  signIn(token);
  return token;
}

export const job = (patch: Partial<Job> = {}): Job => ({
  id: "01a2233e-3c77-70aa-8925-d6a9694bb05b",
  type: "sleep",
  status: "running",
  resultType: "json",
  payload: { ms: 60000 },
  result: null,
  error: null,
  attempts: 1,
  maxAttempts: 3,
  createdAt: "2026-11-28T10:00:00.000Z",
  updatedAt: "2026-11-28T10:00:01.000Z",
  startedAt: "2026-11-28T10:00:01.000Z",
  finishedAt: null,
  queue: "default",
  priority: 0,
  runAt: "2026-11-28T10:00:00.000Z",
  concurrencyKey: null,
  dedupeKey: null,
  waitReason: null,
  scheduleId: null,
  batchId: null,
  retryOf: null,
  progress: null,
  tags: [],
  metadata: {},
  ...patch,
});

/** A job type as GET /v1/job-types describes it: `echo` unless patched. */
export const jobType = (patch: Partial<JobType> = {}): JobType => ({
  type: "echo",
  resultType: "json",
  description: "Returns its payload",
  payloadSchema: { type: "object" },
  maxAttempts: 3,
  timeoutMs: 30_000,
  ...patch,
});

export type SentRequest = { method: string; path: string; headers: Headers; body: string | undefined };
type Answer = Response | Promise<Response> | "network-error";

/** Stubs fetch; `answer` returns a Response, or "network-error" for a request that never arrives. */
export function fakeApi(answer: (request: SentRequest) => Answer) {
  const requests: SentRequest[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const request: SentRequest = {
        method: init.method ?? "GET",
        path: input,
        headers: new Headers(init.headers),
        body: typeof init.body === "string" ? init.body : undefined,
      };
      requests.push(request);
      const response = await answer(request);
      if (response === "network-error") throw new TypeError("Failed to fetch");
      return response;
    }),
  );
  return requests;
}

export const ok = (status: number, data: unknown, message = "OK", headers: HeadersInit = {}) =>
  Response.json({ success: true, data, message }, { status, headers });

export const refused = (status: number, code: string, message: string) =>
  Response.json({ success: false, error: { code, message }, requestId: "req-1" }, { status });
