import type { ApiFetcher, ApiFetcherArgs, AppRoute } from "@ts-rest/core";
import { JobdeckError } from "./errors.js";
import { isRetryStatus, retryDelayMs, sleep, type RetryPolicy } from "./retry-policy.js";

/** A bearer token, or a function that gives the current one (called before every request). */
export type TokenSource = string | (() => string | Promise<string>);

export type Transport = {
  fetch: typeof fetch;
  token: TokenSource;
  retry: RetryPolicy;
  /** Sent with every request (a User-Agent, a tracing header). */
  headers: Record<string, string>;
};

const IDEMPOTENCY_KEY = "idempotency-key";

export async function authorization(token: TokenSource): Promise<string> {
  return `Bearer ${typeof token === "function" ? await token() : token}`;
}

/** A random UUID (v4); crypto.randomUUID exists only in secure contexts of a browser. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A POST whose contract declares Idempotency-Key: a create (§10), safe to send again with its key. */
function acceptsIdempotencyKey(route: AppRoute): boolean {
  const headers = route.headers as { shape?: Record<string, unknown> } | undefined;
  return route.method === "POST" && headers?.shape?.[IDEMPOTENCY_KEY] !== undefined;
}

/** As ts-rest's own fetcher reads a body: JSON, text, or (an artifact's bytes) a Blob; nothing for a 204. */
export async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const type = response.headers.get("content-type") ?? "";
  // NDJSON is many JSON values, not one: text (jobs.export streams it instead).
  if (type.includes("ndjson")) return response.text();
  if (type.includes("application/") && type.includes("json")) return response.json();
  if (type.includes("text/")) return response.text();
  return response.blob();
}

/**
 * A create's repeat that arrives while its first attempt is still being processed is a 409 of the
 * Idempotency-Key: waiting and asking again gets the first attempt's answer.
 */
const isKeyInProgress = (status: number, body: unknown) =>
  status === 409 &&
  (body as { error?: { details?: { path?: string }[] } } | undefined)?.error?.details?.[0]?.path ===
    "Idempotency-Key";

/** One request as `send` repeats it: where, what, and whether repeating it is safe. */
export type OutgoingRequest = {
  url: string;
  init: RequestInit & { headers: Record<string, string> };
  /** "GET /v1/jobs": for messages. */
  what: string;
  /** A GET, or a create under an Idempotency-Key. */
  isRepeatable: boolean;
  /** A create: a 409 of its key on a repeat means the first attempt is still being processed. */
  isCreate: boolean;
};

/**
 * Sends `request` with the token, repeating it while that is safe and worth it (a network error, a
 * status that says "not now", a create whose first attempt is still in progress), and answers the
 * last response with its body unread, so that a caller may stream it. A network error ends as a
 * JobdeckError NETWORK_ERROR; an abort as the signal's reason.
 */
export async function send(transport: Transport, request: OutgoingRequest): Promise<Response> {
  const { init, what, isRepeatable, isCreate } = request;
  const headers = {
    ...transport.headers,
    ...init.headers,
    authorization: await authorization(transport.token),
  };
  const signal = init.signal ?? undefined;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await transport.fetch(request.url, { ...init, headers });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const delay = isRepeatable ? retryDelayMs(transport.retry, attempt, "network-error") : undefined;
      if (delay === undefined) {
        throw new JobdeckError(
          {
            status: 0,
            code: "NETWORK_ERROR",
            message: `${what} got no answer from ${new URL(request.url).origin}: ${(error as Error).message}`,
          },
          { cause: error },
        );
      }
      await sleep(delay, signal);
      continue;
    }
    let isWorthRepeating = isRepeatable && isRetryStatus(response.status);
    if (!isWorthRepeating && isCreate && attempt > 1 && response.status === 409) {
      isWorthRepeating = isKeyInProgress(response.status, await readBody(response.clone()));
    }
    const delay = isWorthRepeating
      ? retryDelayMs(transport.retry, attempt, { retryAfter: response.headers.get("retry-after") })
      : undefined;
    if (delay === undefined) return response;
    // The body of an answer that is not kept: cancelled, nothing waits for it.
    await response.body?.cancel();
    await sleep(delay, signal);
  }
}

/**
 * ts-rest's fetcher over `send`: with the token, and with repeats of what is safe to repeat: GETs,
 * and creates under an Idempotency-Key that it adds when the caller gave none, so that every repeat
 * of one call is the same request to the server.
 */
export function createFetcher(transport: Transport): ApiFetcher {
  return async (args: ApiFetcherArgs) => {
    const headers: Record<string, string> = { ...args.headers };
    const isCreate = acceptsIdempotencyKey(args.route);
    if (isCreate && headers[IDEMPOTENCY_KEY] === undefined) headers[IDEMPOTENCY_KEY] = newIdempotencyKey();
    const response = await send(transport, {
      url: args.path,
      init: { ...args.fetchOptions, method: args.method, headers, body: args.body ?? null },
      what: `${args.method} ${args.route.path}`,
      isRepeatable: args.method === "GET" || isCreate,
      isCreate,
    });
    return { status: response.status, body: await readBody(response), headers: response.headers };
  };
}
