import { z } from "zod";

export const ErrorCodeSchema = z.enum([
  "VALIDATION_FAILED",
  "INVALID_CURSOR",
  "UNAUTHORIZED",
  "NOT_FOUND",
  "REQUEST_TIMEOUT",
  "CONFLICT",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "RATE_LIMITED",
  "HEADERS_TOO_LARGE",
  "UNAVAILABLE",
  "INTERNAL_ERROR",
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ErrorDetailSchema = z.object({
  path: z.string(),
  message: z.string(),
});
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;

/** The one body of every 4xx and 5xx answer (docs/api.md §3.1). */
export const ErrorBodySchema = z
  .object({
    success: z.literal(false),
    error: z.object({
      code: ErrorCodeSchema,
      message: z.string(),
      details: z.array(ErrorDetailSchema).optional(),
    }),
    requestId: z.string(),
  })
  .strict();
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export const PaginationSchema = z
  .object({
    limit: z.number().int(),
    nextCursor: z.string().nullable(),
    hasMore: z.boolean(),
  })
  .strict();
export type Pagination = z.infer<typeof PaginationSchema>;

/**
 * OpenAPI metadata for a schema whose wire form differs from its zod input (query parameters arrive
 * as strings and are converted by a transform). `metaOpenApi` is the property that
 * @anatine/zod-openapi, which @ts-rest/open-api uses, reads; setting it here keeps that library out
 * of the dashboard's bundle.
 */
export function withOpenApi<T extends z.ZodTypeAny>(schema: T, meta: Record<string, unknown>): T {
  return Object.assign(schema, { metaOpenApi: meta });
}

/** Every status a route can answer besides its own: the error statuses any authenticated route has. */
export const commonErrorResponses = {
  401: ErrorBodySchema,
  429: ErrorBodySchema,
  500: ErrorBodySchema,
  503: ErrorBodySchema,
} as const;
