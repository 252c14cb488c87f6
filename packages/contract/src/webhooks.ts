import { initContract } from "@ts-rest/core";
import { z } from "zod";
import {
  ErrorBodySchema,
  PageQuerySchema,
  PaginationSchema,
  commonErrorResponses,
  withOpenApi,
} from "./common.js";
import { QUEUE_NAME_PATTERN } from "./flow.js";
import { JobErrorSchema } from "./jobs.js";

/** §13's webhooks: endpoints told when the caller's jobs change, and the log of what was sent. */

const c = initContract();

const isoTimestamp = z.string().datetime({ precision: 3 });

export const WEBHOOK_EVENTS = [
  "job.created",
  "job.started",
  "job.completed",
  "job.failed",
  "job.cancelled",
] as const;
export const WebhookEventSchema = withOpenApi(z.enum(WEBHOOK_EVENTS), {
  title: "WebhookEvent",
  description:
    "job.created (a job was stored), job.started (an attempt began), job.completed, job.failed (after its last attempt), job.cancelled. A retry going back to pending is none of them.",
});
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

/** The type of the message `POST /v1/webhooks/{id}/test` sends. */
export const WEBHOOK_TEST_EVENT = "webhook.test";

export const WEBHOOK_URL_MAX = 2048;
const FILTER_VALUES_MAX = 100;
const JOB_TYPE_MAX = 255;

const noDuplicates = (values: readonly string[]) => new Set(values).size === values.length;

export const WebhookUrlSchema = withOpenApi(
  z
    .string({ required_error: "is required", invalid_type_error: "must be a string" })
    .max(WEBHOOK_URL_MAX, `must be at most ${WEBHOOK_URL_MAX} characters`)
    .url("must be an absolute http or https URL")
    .regex(/^https?:\/\/[^/?#]/i, "must be an absolute http or https URL"),
  {
    description: "Where messages are POSTed: an absolute http or https URL.",
    example: "https://example.com/hooks/jobdeck",
  },
);

export const WebhookFilterSchema = withOpenApi(
  z
    .object({
      type: z
        .array(
          z
            .string()
            .min(1, "must not be empty")
            .max(JOB_TYPE_MAX, `must be at most ${JOB_TYPE_MAX} characters`),
        )
        .min(1, "must list at least one job type (omit it to match every type)")
        .max(FILTER_VALUES_MAX, `must list at most ${FILTER_VALUES_MAX} job types`)
        .refine(noDuplicates, "must not list a job type twice")
        .optional()
        .describe("Only jobs of one of these types."),
      queue: z
        .array(z.string().regex(QUEUE_NAME_PATTERN, "must match ^[a-z0-9][a-z0-9._-]{0,63}$"))
        .min(1, "must list at least one queue (omit it to match every queue)")
        .max(FILTER_VALUES_MAX, `must list at most ${FILTER_VALUES_MAX} queues`)
        .refine(noDuplicates, "must not list a queue twice")
        .optional()
        .describe("Only jobs in one of these queues."),
    })
    .strict(),
  // Not named in the OpenAPI document: the body's use is nullable, and OpenAPI 3.0 has no way to
  // say "this $ref, or null" (as for JobErrorSchema).
  {
    description:
      "Which jobs' events are sent: each list matches any of its values; with both, a job must match both. `{}` matches every job.",
    example: { type: ["http.request"], queue: ["emails"] },
  },
);
export type WebhookFilter = z.infer<typeof WebhookFilterSchema>;

/** POST's body, which PUT takes too (an omitted optional field takes its default). */
export const WebhookBodySchema = withOpenApi(
  z
    .object({
      url: WebhookUrlSchema,
      events: z
        .array(WebhookEventSchema, { required_error: "is required", invalid_type_error: "must be an array" })
        .min(1, "must list at least one event")
        .refine(noDuplicates, "must not list an event twice"),
      filter: WebhookFilterSchema.nullable().optional().describe("Absent or null: every job."),
      isEnabled: z.boolean().optional().describe("Default true. Events while disabled are never sent."),
    })
    .strict(),
  {
    title: "WebhookBody",
    example: {
      url: "https://example.com/hooks/jobdeck",
      events: ["job.completed", "job.failed"],
      filter: { queue: ["emails"] },
    },
  },
);
export type WebhookBody = z.infer<typeof WebhookBodySchema>;

const webhookFields = {
  id: z.string(),
  url: z.string(),
  events: z.array(WebhookEventSchema),
  filter: WebhookFilterSchema,
  isEnabled: z.boolean(),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
};

const webhookExample = {
  id: "0193a4c2-8f1e-7b3a-9c55-2f1e8d7c6b5a",
  url: "https://example.com/hooks/jobdeck",
  events: ["job.completed", "job.failed"],
  filter: { queue: ["emails"] },
  isEnabled: true,
  createdAt: "2026-12-04T12:00:00.000Z",
  updatedAt: "2026-12-04T12:00:00.000Z",
};

export const WebhookSchema = withOpenApi(z.object(webhookFields).strict(), {
  title: "Webhook",
  example: webhookExample,
});
export type Webhook = z.infer<typeof WebhookSchema>;

export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{43}=$/;

export const WebhookWithSecretSchema = withOpenApi(
  z
    .object({
      ...webhookFields,
      secret: z
        .string()
        .regex(WEBHOOK_SECRET_PATTERN)
        .describe("whsec_ + base64 of 32 random bytes. Shown only by create and rotate-secret."),
    })
    .strict(),
  {
    title: "WebhookWithSecret",
    example: { ...webhookExample, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw2IYKfdcg1Xo=" },
  },
);
export type WebhookWithSecret = z.infer<typeof WebhookWithSecretSchema>;

export const WebhookResponseSchema = withOpenApi(
  z.object({ success: z.literal(true), data: WebhookSchema, message: z.string() }).strict(),
  { title: "WebhookResponse" },
);
export type WebhookResponse = z.infer<typeof WebhookResponseSchema>;

export const WebhookWithSecretResponseSchema = withOpenApi(
  z.object({ success: z.literal(true), data: WebhookWithSecretSchema, message: z.string() }).strict(),
  {
    title: "WebhookWithSecretResponse",
    description: "The webhook with its signing secret, shown this once.",
  },
);
export type WebhookWithSecretResponse = z.infer<typeof WebhookWithSecretResponseSchema>;

export const ListWebhooksResponseSchema = withOpenApi(
  z.object({ success: z.literal(true), data: z.array(WebhookSchema), pagination: PaginationSchema }).strict(),
  { title: "ListWebhooksResponse", description: "One page of the caller's webhooks, newest first." },
);
export type ListWebhooksResponse = z.infer<typeof ListWebhooksResponseSchema>;

export const WebhookDeliverySchema = withOpenApi(
  z
    .object({
      id: z.string(),
      eventType: z.string().describe("A WebhookEvent, or webhook.test."),
      jobId: z.string().nullable().describe("null for webhook.test."),
      webhookMessageId: z
        .string()
        .describe("The webhook-id header: the same for every attempt of one message."),
      attempt: z
        .number()
        .int()
        .min(1)
        .describe("1 for a message's first attempt; redeliveries go on counting."),
      statusCode: z
        .number()
        .int()
        .nullable()
        .describe("The receiver's status; null when none came (timeout, network error, refused address)."),
      durationMs: z
        .number()
        .int()
        .nonnegative()
        .nullable()
        .describe("Until the receiver's status line; null when the request was never sent."),
      error: JobErrorSchema.nullable().describe(
        "Why the attempt failed ({ code, message }); null after a 2xx.",
      ),
      nextAttemptAt: isoTimestamp
        .nullable()
        .describe("When the message is tried again; null once delivered or failed."),
      createdAt: isoTimestamp.describe("When the attempt ended."),
    })
    .strict(),
  {
    title: "WebhookDelivery",
    description: "One attempt to send a message.",
    example: {
      id: "0193a4c3-0a11-7e0c-8f6a-4d2b1c0e9f8d",
      eventType: "job.completed",
      jobId: "01a23c14-75dd-7328-a0b2-20ec35b135c7",
      webhookMessageId: "msg_2f9c1a7e4b8d4e6f9a0b1c2d3e4f5a6b",
      attempt: 2,
      statusCode: 500,
      durationMs: 41,
      error: { code: "HTTP_STATUS", message: "the receiver answered 500" },
      nextAttemptAt: "2026-12-04T12:00:04.000Z",
      createdAt: "2026-12-04T12:00:02.000Z",
    },
  },
);
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

export const ListWebhookDeliveriesResponseSchema = withOpenApi(
  z
    .object({ success: z.literal(true), data: z.array(WebhookDeliverySchema), pagination: PaginationSchema })
    .strict(),
  { title: "ListWebhookDeliveriesResponse", description: "One page of a webhook's attempts, newest first." },
);
export type ListWebhookDeliveriesResponse = z.infer<typeof ListWebhookDeliveriesResponseSchema>;

export const WebhookMessageAcceptedResponseSchema = withOpenApi(
  z
    .object({
      success: z.literal(true),
      data: z.object({ webhookMessageId: z.string() }).strict(),
      message: z.string(),
    })
    .strict(),
  {
    title: "WebhookMessageAcceptedResponse",
    description:
      "The message is stored and will be sent at once by a worker; its attempts appear in the deliveries.",
  },
);
export type WebhookMessageAcceptedResponse = z.infer<typeof WebhookMessageAcceptedResponseSchema>;

export const WebhookPageQuerySchema = PageQuerySchema;
export type WebhookPageQuery = z.output<typeof WebhookPageQuerySchema>;

/** Ids are checked by the server: one that is not a webhook's is the same 404 as a missing one. */
const WebhookIdParamsSchema = z.object({
  id: withOpenApi(z.string(), {
    description: "A webhook's id. Another user's webhook is the same 404 as a missing one.",
    example: webhookExample.id,
  }),
});

const DeliveryParamsSchema = z.object({
  id: WebhookIdParamsSchema.shape.id,
  deliveryId: withOpenApi(z.string(), {
    description: "One of the webhook's deliveries (an attempt); its message is sent again.",
    example: "0193a4c3-0a11-7e0c-8f6a-4d2b1c0e9f8d",
  }),
});

const bodyErrors = { 400: ErrorBodySchema, 413: ErrorBodySchema, 415: ErrorBodySchema } as const;

export const webhooksContract = c.router(
  {
    createWebhook: {
      method: "POST",
      path: "/v1/webhooks",
      body: WebhookBodySchema,
      responses: { 201: WebhookWithSecretResponseSchema, ...bodyErrors },
      summary: "Register an endpoint; the answer shows its signing secret this once",
    },
    listWebhooks: {
      method: "GET",
      path: "/v1/webhooks",
      query: WebhookPageQuerySchema,
      responses: { 200: ListWebhooksResponseSchema, 400: ErrorBodySchema },
      summary: "The caller's webhooks, newest first, one keyset page at a time",
    },
    getWebhook: {
      method: "GET",
      path: "/v1/webhooks/:id",
      pathParams: WebhookIdParamsSchema,
      responses: { 200: WebhookResponseSchema, 404: ErrorBodySchema },
      summary: "One of the caller's webhooks (without its secret)",
    },
    putWebhook: {
      method: "PUT",
      path: "/v1/webhooks/:id",
      pathParams: WebhookIdParamsSchema,
      body: WebhookBodySchema,
      responses: { 200: WebhookResponseSchema, 404: ErrorBodySchema, ...bodyErrors },
      summary: "Replace a webhook's url, events, filter and isEnabled (the secret stays)",
    },
    deleteWebhook: {
      method: "DELETE",
      path: "/v1/webhooks/:id",
      pathParams: WebhookIdParamsSchema,
      body: c.noBody(),
      responses: { 204: c.noBody(), 404: ErrorBodySchema, ...bodyErrors },
      summary: "Delete a webhook, its unsent messages and its delivery log",
    },
    rotateWebhookSecret: {
      method: "POST",
      path: "/v1/webhooks/:id/rotate-secret",
      pathParams: WebhookIdParamsSchema,
      body: c.noBody(),
      responses: { 200: WebhookWithSecretResponseSchema, 404: ErrorBodySchema, ...bodyErrors },
      summary: "Give a webhook a new secret, shown this once; from now on only it signs",
    },
    testWebhook: {
      method: "POST",
      path: "/v1/webhooks/:id/test",
      pathParams: WebhookIdParamsSchema,
      body: c.noBody(),
      responses: { 202: WebhookMessageAcceptedResponseSchema, 404: ErrorBodySchema, ...bodyErrors },
      summary: "Send a webhook.test message at once, whatever events and isEnabled say",
    },
    listWebhookDeliveries: {
      method: "GET",
      path: "/v1/webhooks/:id/deliveries",
      pathParams: WebhookIdParamsSchema,
      query: WebhookPageQuerySchema,
      responses: { 200: ListWebhookDeliveriesResponseSchema, 400: ErrorBodySchema, 404: ErrorBodySchema },
      summary: "A webhook's delivery attempts, newest first, one keyset page at a time",
    },
    redeliverWebhookDelivery: {
      method: "POST",
      path: "/v1/webhooks/:id/deliveries/:deliveryId/redeliver",
      pathParams: DeliveryParamsSchema,
      body: c.noBody(),
      responses: { 202: WebhookMessageAcceptedResponseSchema, 404: ErrorBodySchema, ...bodyErrors },
      summary: "Send a delivery's message again: same webhook-id and body, new timestamp and signature",
    },
  },
  { strictStatusCodes: true, commonResponses: commonErrorResponses },
);
