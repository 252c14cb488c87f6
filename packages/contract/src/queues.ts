import { initContract } from "@ts-rest/core";
import { z } from "zod";
import {
  ErrorBodySchema,
  PageQuerySchema,
  PaginationSchema,
  commonErrorResponses,
  withOpenApi,
} from "./common.js";
import { QueueNameSchema } from "./flow.js";

/** §11's queues: their limits, their pause switch and what waits in them. */

const c = initContract();

const isoTimestamp = z.string().datetime({ precision: 3 });
const limitValue = z.number({ invalid_type_error: "must be an integer" }).int("must be an integer");

export const PERIOD_MS_MIN = 1_000;
export const PERIOD_MS_MAX = 86_400_000;

export const RateLimitSchema = withOpenApi(
  z
    .object({
      limit: limitValue.min(1, "must be at least 1").max(1_000_000_000, "must be at most 1000000000"),
      periodMs: limitValue
        .min(PERIOD_MS_MIN, `must be between ${PERIOD_MS_MIN} and ${PERIOD_MS_MAX}`)
        .max(PERIOD_MS_MAX, `must be between ${PERIOD_MS_MIN} and ${PERIOD_MS_MAX}`),
    })
    .strict(),
  // Not named in the OpenAPI document: every use is nullable, and OpenAPI 3.0 has no way to say
  // "this $ref, or null" (as for JobErrorSchema).
  {
    description: "At most `limit` starts (retries included) in any window of `periodMs`.",
    example: { limit: 100, periodMs: 60000 },
  },
);
export type RateLimit = z.infer<typeof RateLimitSchema>;

const concurrencyLimit = limitValue
  .min(1, "must be at least 1")
  .max(1_000_000_000, "must be at most 1000000000");

/** The four settings of a queue, as PUT takes them: each required, null for "no limit". */
export const QueueSettingsSchema = withOpenApi(
  z
    .object({
      concurrency: concurrencyLimit
        .nullable()
        .describe("Running jobs of this queue at once; null = no limit."),
      perKeyConcurrency: concurrencyLimit
        .nullable()
        .describe("Running jobs per concurrencyKey at once; null = no limit."),
      rateLimit: RateLimitSchema.nullable().describe("Starts of the queue per window; null = none."),
      perKeyRateLimit: RateLimitSchema.nullable().describe(
        "Starts per concurrencyKey per window; null = none.",
      ),
    })
    .strict(),
  {
    title: "QueueSettings",
    example: {
      concurrency: 10,
      perKeyConcurrency: 1,
      rateLimit: { limit: 100, periodMs: 60000 },
      perKeyRateLimit: null,
    },
  },
);
export type QueueSettings = z.infer<typeof QueueSettingsSchema>;

const count = z.number().int().nonnegative();

export const QueueSchema = withOpenApi(
  z
    .object({
      name: z.string(),
      isPaused: z.boolean().describe("While paused no job of the queue starts; running ones go on."),
      concurrency: z.number().int().nullable(),
      perKeyConcurrency: z.number().int().nullable(),
      rateLimit: RateLimitSchema.nullable(),
      perKeyRateLimit: RateLimitSchema.nullable(),
      counts: z
        .object({
          pending: count.describe("Pending jobs, scheduled and backing-off ones included."),
          running: count,
        })
        .strict(),
      oldestPendingAt: isoTimestamp.nullable().describe("The earliest createdAt among its pending jobs."),
      updatedAt: isoTimestamp.describe("When its settings or pause last changed."),
    })
    .strict(),
  {
    title: "Queue",
    example: {
      name: "emails",
      isPaused: false,
      concurrency: 10,
      perKeyConcurrency: 1,
      rateLimit: { limit: 100, periodMs: 60000 },
      perKeyRateLimit: null,
      counts: { pending: 12, running: 3 },
      oldestPendingAt: "2026-12-03T13:25:03.583Z",
      updatedAt: "2026-12-03T13:20:00.000Z",
    },
  },
);
export type Queue = z.infer<typeof QueueSchema>;

export const QueueResponseSchema = withOpenApi(
  z.object({ success: z.literal(true), data: QueueSchema, message: z.string() }).strict(),
  { title: "QueueResponse" },
);
export type QueueResponse = z.infer<typeof QueueResponseSchema>;

export const ListQueuesResponseSchema = withOpenApi(
  z.object({ success: z.literal(true), data: z.array(QueueSchema), pagination: PaginationSchema }).strict(),
  { title: "ListQueuesResponse", description: "One page of the caller's queues, by name." },
);
export type ListQueuesResponse = z.infer<typeof ListQueuesResponseSchema>;

export const ListQueuesQuerySchema = PageQuerySchema;
export type ListQueuesQuery = z.output<typeof ListQueuesQuerySchema>;

/**
 * The path's name is checked by the server, not here: a name that does not match the pattern is a
 * 404 on GET (no such queue) but a 400 on PUT, pause and resume (§11).
 */
const QueueNameParamsSchema = z.object({
  name: withOpenApi(z.string(), {
    description: "The queue's name: ^[a-z0-9][a-z0-9._-]{0,63}$.",
    example: "emails",
  }),
});

export const QueueIfMatchHeadersSchema = z.object({
  "if-match": withOpenApi(z.string().min(1).max(1024), {
    description:
      "The ETag of GET /v1/queues/{name}: a queue changed since is a 412, as is one that does not exist.",
  }).optional(),
});

export { QueueNameSchema };

export const queuesContract = c.router(
  {
    listQueues: {
      method: "GET",
      path: "/v1/queues",
      query: ListQueuesQuerySchema,
      responses: { 200: ListQueuesResponseSchema, 400: ErrorBodySchema },
      summary: "The caller's queues by name, one keyset page at a time",
    },
    getQueue: {
      method: "GET",
      path: "/v1/queues/:name",
      pathParams: QueueNameParamsSchema,
      responses: { 200: QueueResponseSchema, 404: ErrorBodySchema },
      summary: "One queue with its settings, counts and an ETag",
    },
    putQueue: {
      method: "PUT",
      path: "/v1/queues/:name",
      pathParams: QueueNameParamsSchema,
      headers: QueueIfMatchHeadersSchema,
      body: QueueSettingsSchema,
      responses: {
        200: QueueResponseSchema,
        400: ErrorBodySchema,
        412: ErrorBodySchema,
        413: ErrorBodySchema,
        415: ErrorBodySchema,
      },
      summary: "Set a queue's limits (creating it if needed); with If-Match, 412 when it changed since",
    },
    pauseQueue: {
      method: "POST",
      path: "/v1/queues/:name/pause",
      pathParams: QueueNameParamsSchema,
      body: c.noBody(),
      responses: {
        200: QueueResponseSchema,
        400: ErrorBodySchema,
        413: ErrorBodySchema,
        415: ErrorBodySchema,
      },
      summary: "Pause a queue: once answered, none of its jobs starts until resume",
    },
    resumeQueue: {
      method: "POST",
      path: "/v1/queues/:name/resume",
      pathParams: QueueNameParamsSchema,
      body: c.noBody(),
      responses: {
        200: QueueResponseSchema,
        400: ErrorBodySchema,
        413: ErrorBodySchema,
        415: ErrorBodySchema,
      },
      summary: "Resume a paused queue",
    },
  },
  { strictStatusCodes: true, commonResponses: commonErrorResponses },
);
