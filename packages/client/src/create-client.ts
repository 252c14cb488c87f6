import { contract, type Contract, type Job, type ListJobsQueryInput } from "@jobdeck/contract";
import {
  initClient,
  isAppRoute,
  type ApiFetcher,
  type AppRoute,
  type AppRouter,
  type InitClientReturn,
} from "@ts-rest/core";
import { JobdeckError } from "./errors.js";
import { exportJobs, type ExportFiltersInput, type ExportOptions } from "./export-jobs.js";
import { createFetcher, type TokenSource, type Transport } from "./fetcher.js";
import { iterateJobs, type IterateOptions } from "./iterate-jobs.js";
import { retryPolicy, type RetryOptions } from "./retry-policy.js";
import { subscribeEvents, type SubscribeOptions, type Subscription } from "./subscribe-events.js";
import { verifyWebhook } from "./verify-webhook.js";
import { waitForJob, type WaitForOptions } from "./wait-for-job.js";

export type ClientOptions = {
  /** Where the API is: `http://127.0.0.1:3000` (no trailing /v1). */
  url: string;
  /** The bearer token (a JWT whose `sub` is the user), or a function giving the current one. */
  token: TokenSource;
  /** Repeats of safe requests (GETs, and creates under an automatic Idempotency-Key); false for none. */
  retry?: RetryOptions | false;
  /** Sent with every request. */
  headers?: Record<string, string>;
  /** Another fetch (a proxy agent, a test double). Default: the global one. */
  fetch?: typeof fetch;
};

type ClientArgs = { baseUrl: string; api: ApiFetcher; validateResponse: false };
type RawRoutes = InitClientReturn<Contract, ClientArgs>;

function routesOf(baseUrl: string, transport: Transport): RawRoutes {
  // Not validating answers: a newer server may add fields, which the contract's strict schemas refuse.
  const args: ClientArgs = { baseUrl, api: createFetcher(transport), validateResponse: false };
  return initClient(contract, args);
}

type SuccessStatus = 200 | 201 | 202 | 204;
/** The answers of a route that are not errors (those are thrown). */
type Success<Response> = Response extends { status: SuccessStatus } ? Response : never;
type Throwing<Route> = Route extends (...args: infer Args) => Promise<infer Response>
  ? (...args: Args) => Promise<Success<Response>>
  : never;
/** Every route of the contract, as ts-rest types it, answering its success statuses and throwing the rest. */
export type Routes<Router> = {
  [Key in keyof Router]: Router[Key] extends (...args: never[]) => unknown
    ? Throwing<Router[Key]>
    : Routes<Router[Key]>;
};

type RawRoute = (args?: unknown) => Promise<{ status: number; body: unknown; headers: Headers }>;

/** ts-rest's client with every error answer (any status outside 2xx) thrown as a JobdeckError. */
function throwingRoutes(router: AppRouter, raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(router).map(([key, entry]): [string, unknown] => {
      if (!isAppRoute(entry)) {
        return [key, throwingRoutes(entry, raw[key] as Record<string, unknown>)];
      }
      const route: AppRoute = entry;
      const call = raw[key] as RawRoute;
      const throwing = async (args?: unknown) => {
        const response = await call(args);
        if (response.status >= 200 && response.status < 300) return response;
        throw JobdeckError.fromResponse(
          response.status,
          response.body,
          response.headers,
          `${route.method} ${route.path}`,
        );
      };
      return [key, throwing];
    }),
  );
}

/**
 * The filters of GET /v1/jobs, without the page's own parameters. Not Omit<>: on a type with an
 * index signature (the dynamic `metadata.<key>` filters) Omit keeps only the signature, and every
 * named filter would lose its type.
 */
export type JobFiltersInput = {
  [Key in keyof ListJobsQueryInput as Key extends "limit" | "cursor" ? never : Key]: ListJobsQueryInput[Key];
};

type ContractRoutes = Routes<RawRoutes>;

export type JobdeckClient = Omit<ContractRoutes, "jobs" | "webhooks"> & {
  jobs: ContractRoutes["jobs"] & {
    /** Every job matching `filters`, page after page: `for await (const job of jobs.iterate({ status: "failed" }))`. */
    iterate(filters?: JobFiltersInput, options?: IterateOptions): AsyncGenerator<Job, void, undefined>;
    /** The job once it has ended; rejects with a JobdeckError TIMEOUT after `timeoutMs`, or the signal's reason. */
    waitFor(jobId: string, options?: WaitForOptions): Promise<Job>;
    /**
     * GET /v1/jobs/export: every matching job as NDJSON or CSV, the answer's body as a byte stream
     * (`Readable.fromWeb(body).pipe(file)` in Node). Error answers are thrown before it starts.
     */
    export(filters: ExportFiltersInput, options: ExportOptions): Promise<ReadableStream<Uint8Array>>;
  };
  events: {
    /** GET /v1/events, kept open across failures and restarts (Last-Event-ID, backoff). */
    subscribe(options: SubscribeOptions): Subscription;
  };
  webhooks: ContractRoutes["webhooks"] & {
    /** Checks a delivery's Standard Webhooks signature; resolves with the parsed message. */
    verify: typeof verifyWebhook;
  };
};

/**
 * A client for one jobdeck server and token. Every route of the contract is there under its
 * contract name (`jobs.createJob`, `queues.putQueue`, …) with the contract's types, answering
 * `{ status, body, headers }` for its success statuses and throwing a JobdeckError for any other;
 * next to them, the helpers every caller would otherwise write: `jobs.iterate`, `jobs.waitFor`,
 * `jobs.export`,
 * `events.subscribe` and `webhooks.verify`.
 */
export function createClient(options: ClientOptions): JobdeckClient {
  const baseUrl = options.url.replace(/\/+$/, "");
  const transport: Transport = {
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    token: options.token,
    retry: retryPolicy(options.retry),
    headers: options.headers ?? {},
  };
  const routes = throwingRoutes(contract, routesOf(baseUrl, transport)) as ContractRoutes;

  const getJob = async (jobId: string, signal?: AbortSignal): Promise<Job> =>
    (await routes.jobs.getJob({ params: { jobId }, fetchOptions: { signal: signal ?? null } })).body.data;
  const subscribe = (subscribeOptions: SubscribeOptions): Subscription =>
    subscribeEvents(transport, baseUrl, subscribeOptions);

  return {
    ...routes,
    jobs: {
      ...routes.jobs,
      iterate: (filters: JobFiltersInput = {}, iterateOptions?: IterateOptions) =>
        iterateJobs(
          async (query, signal) =>
            (await routes.jobs.listJobs({ query, fetchOptions: { signal: signal ?? null } })).body,
          filters,
          iterateOptions,
        ),
      waitFor: (jobId: string, waitOptions?: WaitForOptions) =>
        waitForJob({ getJob, subscribe }, jobId, waitOptions),
      export: (filters: ExportFiltersInput, exportOptions: ExportOptions) =>
        exportJobs(transport, baseUrl, filters, exportOptions),
    },
    events: { subscribe },
    webhooks: { ...routes.webhooks, verify: verifyWebhook },
  };
}
