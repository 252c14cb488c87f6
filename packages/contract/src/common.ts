import { z } from "zod";

/**
 * OpenAPI metadata for a schema: a `title` names it (it becomes a `components.schemas` entry that
 * routes reference), `description` and `example` document it, and `type` gives the wire form of a
 * query parameter that zod only sees after a transform. `metaOpenApi` is the property that
 * @anatine/zod-openapi, which @ts-rest/open-api uses, reads; setting it here keeps that library out
 * of the dashboard's bundle. It is set on the schema object itself, so call it last (`.describe()`,
 * `.strict()` and friends return a copy without it).
 */
export function withOpenApi<T extends z.ZodTypeAny>(schema: T, meta: Record<string, unknown>): T {
  return Object.assign(schema, { metaOpenApi: meta });
}

export const ErrorCodeSchema = withOpenApi(
  z.enum([
    "VALIDATION_FAILED",
    "INVALID_CURSOR",
    "UNAUTHORIZED",
    "NOT_FOUND",
    "METHOD_NOT_ALLOWED",
    "REQUEST_TIMEOUT",
    "CONFLICT",
    "PRECONDITION_FAILED",
    "PAYLOAD_TOO_LARGE",
    "UNSUPPORTED_MEDIA_TYPE",
    "RATE_LIMITED",
    "HEADERS_TOO_LARGE",
    "UNAVAILABLE",
    "INTERNAL_ERROR",
  ]),
  { title: "ErrorCode", description: "What went wrong; clients branch on it, never on the message." },
);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ErrorDetailSchema = withOpenApi(
  z.object({
    path: z
      .string()
      .describe(
        "The input at fault: a query parameter, a dotted body path (`payload.ms`), `body`, or a header.",
      ),
    message: z.string(),
  }),
  { title: "ErrorDetail", example: { path: "limit", message: "must be an integer between 1 and 100" } },
);
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;

/** The one body of every 4xx and 5xx answer (docs/api.md §3.1). */
export const ErrorBodySchema = withOpenApi(
  z
    .object({
      success: z.literal(false),
      error: z.object({
        code: ErrorCodeSchema,
        message: z.string().describe("One sentence; with details, `<path>: <message>` of the first."),
        details: z.array(ErrorDetailSchema).optional(),
      }),
      requestId: z.string().describe("The answer's X-Request-Id."),
    })
    .strict(),
  {
    title: "ErrorBody",
    description: "The body of every 4xx and 5xx answer.",
    example: {
      success: false,
      error: {
        code: "VALIDATION_FAILED",
        message: "limit: must be an integer between 1 and 100",
        details: [{ path: "limit", message: "must be an integer between 1 and 100" }],
      },
      requestId: "3ecc5db3-1866-4b44-b3c3-ff9a1d6d7818",
    },
  },
);
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export const PaginationSchema = withOpenApi(
  z
    .object({
      limit: z.number().int().describe("The request's `limit`."),
      nextCursor: z
        .string()
        .nullable()
        .describe("Pass it as `cursor` for the next page; null on the last page."),
      hasMore: z.boolean(),
      isPartial: z
        .boolean()
        .describe(
          "True when a filter the indexes cannot narrow (`payload.…`, `result.…`, `errorCode`, `idPrefix`, `waitReason`; §15) read its row limit (FILTER_SCAN_LIMIT) first: the page may hold fewer than `limit` jobs, or none, and `nextCursor` goes on from where the reading stopped.",
        ),
    })
    .strict(),
  {
    title: "Pagination",
    example: {
      limit: 20,
      nextCursor: "WzE3OTYzMDQ5MDM1ODMsIjAxYTIzYzE0LTc1ZGQtNzMyOC1hMGIyLTIwZWMzNWIxMzVjNyJd3q2-7w",
      hasMore: true,
      isPartial: false,
    },
  },
);
export type Pagination = z.infer<typeof PaginationSchema>;

/**
 * The query of a list that has no filters or sorts of its own (queues, schedules, webhooks and
 * their deliveries): a page size and the previous page's cursor, nothing else.
 */
export const PageQuerySchema = z
  .object({
    limit: withOpenApi(
      z.string().transform((raw, ctx) => {
        const value = /^[0-9]{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
        if (value >= 1 && value <= 100) return value;
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must be an integer between 1 and 100" });
        return z.NEVER;
      }),
      { type: "integer", minimum: 1, maximum: 100, description: "Page size, 1–100." },
    ),
    cursor: withOpenApi(z.string().min(1).max(2048), {
      type: "string",
      description: "The exact `nextCursor` of the previous page.",
    }).optional(),
  })
  .strict();
export type PageQuery = z.output<typeof PageQuerySchema>;

/** Every status a route can answer besides its own: the error statuses any authenticated route has. */
export const commonErrorResponses = {
  401: ErrorBodySchema,
  429: ErrorBodySchema,
  500: ErrorBodySchema,
  503: ErrorBodySchema,
} as const;
