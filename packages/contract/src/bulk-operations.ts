import { initContract } from "@ts-rest/core";
import { z } from "zod";
import {
  ErrorBodySchema,
  PageQuerySchema,
  PaginationSchema,
  commonErrorResponses,
  withOpenApi,
} from "./common.js";
import { parseJobFilterObject } from "./jobs.js";

/**
 * §15's bulk operations: cancel, retry or delete every job a filter (or a list of ids) selects, in
 * the background, with a dry run that only counts them first.
 */

const c = initContract();

const isoTimestamp = z.string().datetime({ precision: 3 });

export const BULK_ACTIONS = ["cancel", "retry", "delete"] as const;
export const BulkActionSchema = withOpenApi(
  z.enum(BULK_ACTIONS, {
    errorMap: () => ({ message: `must be one of ${BULK_ACTIONS.join(", ")}` }),
  }),
  {
    title: "BulkAction",
    description:
      "cancel: as POST /v1/jobs/{id}/cancel (an ended job is skipped); retry: a new job as POST /v1/jobs/{id}/retry (a job that has not ended is skipped); delete: the ended job with its artifact, logs and events (one that has not ended is skipped).",
  },
);
export type BulkAction = z.infer<typeof BulkActionSchema>;

export const BULK_OPERATION_STATUSES = ["running", "completed", "cancelled", "failed"] as const;
export const BulkOperationStatusSchema = z.enum(BULK_OPERATION_STATUSES);
export type BulkOperationStatus = z.infer<typeof BulkOperationStatusSchema>;
export const isBulkOperationEnded = (status: BulkOperationStatus) => status !== "running";

/** Ids one request may name. */
export const BULK_IDS_MAX = 1000;

/** The SSE event (GET /v1/events) whose data is a BulkOperation. */
export const BULK_OPERATION_EVENT = "bulk-operation";

/**
 * A bulk operation's `filter` as the list's query parameters, strings by name, parsed by the list's
 * own parser (parseJobFilterObject): one filter language (§15). Unknown keys and bad values are
 * refused as the list refuses them.
 */
export const parseBulkFilter = parseJobFilterObject;

const FilterSchema = withOpenApi(
  z
    .record(z.string({ invalid_type_error: "must be a string, as in the list's query" }), {
      invalid_type_error: "must be an object of the list's query parameters",
    })
    .superRefine((filter, ctx) => {
      const parsed = parseBulkFilter(filter);
      if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue(issue);
    }),
  {
    type: "object",
    additionalProperties: { type: "string" },
    description:
      'The list\'s query parameters (GET /v1/jobs) as strings, without limit, cursor and sort: `{ "status": "failed", "type": "echo,sleep" }`. An unknown key is a 400; `{}` selects all the caller\'s jobs.',
    example: { status: "failed", type: "http.request" },
  },
);

export const CreateBulkOperationBodySchema = withOpenApi(
  z
    .object({
      action: BulkActionSchema,
      filter: FilterSchema.optional(),
      ids: z
        .array(z.string({ invalid_type_error: "must be a string" }).min(1, "must not be empty").max(255), {
          invalid_type_error: "must be an array of job ids",
        })
        .min(1, "must name at least one job")
        .max(BULK_IDS_MAX, `must name at most ${BULK_IDS_MAX} jobs`)
        .describe("Up to 1,000 job ids; ids that are not the caller's jobs are ignored.")
        .optional(),
      dryRun: z
        .literal(true, { errorMap: () => ({ message: "must be true, or left out" }) })
        .describe("Only count the jobs it would act on: 200 { data: { matched } }, nothing changes.")
        .optional(),
    })
    .strict()
    .superRefine((body, ctx) => {
      if ((body.filter === undefined) === (body.ids === undefined))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: body.filter === undefined ? ["filter"] : ["ids"],
          message: "exactly one of filter and ids is required",
        });
    }),
  {
    title: "CreateBulkOperationBody",
    example: { action: "retry", filter: { status: "failed", type: "http.request" } },
  },
);
export type CreateBulkOperationBody = z.infer<typeof CreateBulkOperationBodySchema>;

const BULK_OPERATION_EXAMPLE = {
  id: "01a23c14-75dd-7328-a0b2-20ec35b135c7",
  action: "retry",
  status: "running",
  matched: 1200,
  processed: 500,
  succeeded: 480,
  skipped: 20,
  createdAt: "2026-12-05T12:00:00.000Z",
  finishedAt: null,
};

export const BulkOperationSchema = withOpenApi(
  z
    .object({
      id: z.string().uuid(),
      action: BulkActionSchema,
      status: BulkOperationStatusSchema.describe(
        "running until every matched job is processed (completed), it is cancelled, or it cannot go on (failed).",
      ),
      matched: z
        .number()
        .int()
        .describe("The caller's jobs the filter or ids selected when the request was accepted."),
      processed: z.number().int().describe("succeeded + skipped; equals matched once completed."),
      succeeded: z.number().int().describe("Jobs acted on."),
      skipped: z
        .number()
        .int()
        .describe(
          "Jobs left as they were: a cancel of an ended job, a retry or delete of one that has not ended, a job deleted meanwhile, a retry whose type is no longer registered or whose payload it refuses.",
        ),
      createdAt: isoTimestamp,
      finishedAt: isoTimestamp.nullable(),
    })
    .strict(),
  { title: "BulkOperation", example: BULK_OPERATION_EXAMPLE },
);
export type BulkOperation = z.infer<typeof BulkOperationSchema>;

export const BulkOperationResponseSchema = withOpenApi(
  z.object({ success: z.literal(true), data: BulkOperationSchema, message: z.string() }).strict(),
  { title: "BulkOperationResponse" },
);
export type BulkOperationResponse = z.infer<typeof BulkOperationResponseSchema>;

export const BulkDryRunResponseSchema = withOpenApi(
  z
    .object({
      success: z.literal(true),
      data: z.object({ matched: z.number().int() }).strict(),
      message: z.string(),
    })
    .strict(),
  { title: "BulkDryRunResponse", example: { success: true, data: { matched: 1200 }, message: "Dry run" } },
);
export type BulkDryRunResponse = z.infer<typeof BulkDryRunResponseSchema>;

export const ListBulkOperationsResponseSchema = withOpenApi(
  z
    .object({ success: z.literal(true), data: z.array(BulkOperationSchema), pagination: PaginationSchema })
    .strict(),
  {
    title: "ListBulkOperationsResponse",
    description: "One page of the caller's bulk operations, newest first.",
  },
);
export type ListBulkOperationsResponse = z.infer<typeof ListBulkOperationsResponseSchema>;

export const ListBulkOperationsQuerySchema = PageQuerySchema;
export type ListBulkOperationsQuery = z.output<typeof ListBulkOperationsQuerySchema>;

const BulkOperationIdParamsSchema = z.object({
  id: withOpenApi(z.string(), {
    description: "A bulk operation's id. Another user's, and an id that is not a UUID, are the same 404.",
    example: "01a23c14-75dd-7328-a0b2-20ec35b135c7",
  }),
});

/** §15: unlike the job routes, every bulk operation request names its key (dry runs too). */
export const RequiredIdempotencyHeadersSchema = z.object({
  "idempotency-key": withOpenApi(
    z
      .string({ required_error: "is required" })
      .regex(/^[\x21-\x7e]{1,255}$/, "must be 1 to 255 visible ASCII characters"),
    {
      description:
        "Required. 1–255 visible ASCII characters: the same key with the same body answers the original status and body again (with Idempotent-Replayed: true) and starts nothing; with a different body, or while the first is in flight, 409. Kept 24 hours per user.",
      example: "retry-failed-2026-12-05",
    },
  ),
});

export const bulkOperationsContract = c.router(
  {
    createBulkOperation: {
      method: "POST",
      path: "/v1/bulk-operations",
      headers: RequiredIdempotencyHeadersSchema,
      body: CreateBulkOperationBodySchema,
      responses: {
        200: BulkDryRunResponseSchema,
        202: BulkOperationResponseSchema,
        400: ErrorBodySchema,
        409: ErrorBodySchema,
        413: ErrorBodySchema,
        415: ErrorBodySchema,
      },
      summary:
        "Cancel, retry or delete every job a filter or a list of ids selects, in the background; a dry run counts them",
    },
    listBulkOperations: {
      method: "GET",
      path: "/v1/bulk-operations",
      query: ListBulkOperationsQuerySchema,
      responses: { 200: ListBulkOperationsResponseSchema, 400: ErrorBodySchema },
      summary: "The caller's bulk operations, newest first, one keyset page at a time",
    },
    getBulkOperation: {
      method: "GET",
      path: "/v1/bulk-operations/:id",
      pathParams: BulkOperationIdParamsSchema,
      responses: { 200: BulkOperationResponseSchema, 404: ErrorBodySchema },
      summary: "One of the caller's bulk operations with its counts; any other id is the same 404",
    },
    cancelBulkOperation: {
      method: "POST",
      path: "/v1/bulk-operations/:id/cancel",
      pathParams: BulkOperationIdParamsSchema,
      body: c.noBody(),
      responses: {
        200: BulkOperationResponseSchema,
        400: ErrorBodySchema,
        404: ErrorBodySchema,
        409: ErrorBodySchema,
        413: ErrorBodySchema,
        415: ErrorBodySchema,
      },
      summary:
        "Stop a running bulk operation before its next job; it keeps its counts. 409 once it has ended",
    },
  },
  { strictStatusCodes: true, commonResponses: commonErrorResponses },
);
