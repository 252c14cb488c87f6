import { initContract } from "@ts-rest/core";
import { z } from "zod";
import { commonErrorResponses, ErrorBodySchema, withOpenApi } from "./common.js";

/** §15's retention: how long the caller's ended jobs are kept, per final status. */

const c = initContract();

export const RETENTION_DAYS_MAX = 3650;

const days = (status: string) =>
  z
    .number({ required_error: "is required", invalid_type_error: "must be an integer or null" })
    .int("must be an integer")
    .min(0, `must be between 0 and ${RETENTION_DAYS_MAX}`)
    .max(RETENTION_DAYS_MAX, `must be between 0 and ${RETENTION_DAYS_MAX}`)
    .nullable()
    .describe(
      `Days a ${status} job is kept after its finishedAt, 0–${RETENTION_DAYS_MAX} (0 = deleted at the next sweep); null = kept forever.`,
    );

/** The caller's setting, as GET answers it and PUT takes it: all three required, null = forever. */
export const RetentionSchema = withOpenApi(
  z
    .object({
      completed: days("completed"),
      failed: days("failed"),
      cancelled: days("cancelled"),
    })
    .strict(),
  { title: "Retention", example: { completed: 7, failed: 30, cancelled: 0 } },
);
export type Retention = z.infer<typeof RetentionSchema>;

/** No setting yet: every ended job is kept. */
export const DEFAULT_RETENTION: Retention = { completed: null, failed: null, cancelled: null };

export const RetentionResponseSchema = withOpenApi(
  z.object({ success: z.literal(true), data: RetentionSchema, message: z.string() }).strict(),
  { title: "RetentionResponse" },
);
export type RetentionResponse = z.infer<typeof RetentionResponseSchema>;

export const retentionContract = c.router(
  {
    getRetention: {
      method: "GET",
      path: "/v1/retention",
      responses: { 200: RetentionResponseSchema },
      summary: "How long the caller's ended jobs are kept, per final status (null = forever)",
    },
    putRetention: {
      method: "PUT",
      path: "/v1/retention",
      body: RetentionSchema,
      responses: {
        200: RetentionResponseSchema,
        400: ErrorBodySchema,
        413: ErrorBodySchema,
        415: ErrorBodySchema,
      },
      summary:
        "Set how long the caller's ended jobs are kept; the sweep deletes older ones with everything that belongs to them",
    },
  },
  { strictStatusCodes: true, commonResponses: commonErrorResponses },
);
