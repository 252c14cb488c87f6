import { initContract } from "@ts-rest/core";
import { z } from "zod";
import {
  ErrorBodySchema,
  PageQuerySchema,
  PaginationSchema,
  commonErrorResponses,
  withOpenApi,
} from "./common.js";
import { JobErrorSchema } from "./jobs.js";

/** §14: every attempt of a job, and the job's log lines (also sent live as `log` events). */

const c = initContract();

const isoTimestamp = z.string().datetime({ precision: 3 });

export const ATTEMPT_OUTCOMES = [
  "running",
  "completed",
  "failed",
  "timed_out",
  "cancelled",
  "lease_expired",
  "handed_back",
] as const;
export const AttemptOutcomeSchema = withOpenApi(z.enum(ATTEMPT_OUTCOMES), {
  title: "AttemptOutcome",
  description:
    "running (its lease holds), completed, failed (the handler threw), timed_out, cancelled, lease_expired (its worker stopped renewing the lease: crashed, killed or cut off), handed_back (its worker shut down and gave the job back; the attempt is not counted, so the next one has the same number).",
});
export type AttemptOutcome = z.infer<typeof AttemptOutcomeSchema>;

export const JobAttemptSchema = withOpenApi(
  z
    .object({
      attempt: z
        .number()
        .int()
        .min(1)
        .describe(
          "The job's `attempts` while it ran: 1 for the first. A handed-back attempt's number comes again.",
        ),
      startedAt: isoTimestamp,
      finishedAt: isoTimestamp.nullable().describe("Null while it runs."),
      outcome: AttemptOutcomeSchema,
      error: JobErrorSchema.nullable().describe(
        "Why it failed, timed out or lost its lease; null otherwise.",
      ),
      workerId: z.string().describe("The worker process that ran it (host:pid:random)."),
    })
    .strict(),
  {
    title: "JobAttempt",
    example: {
      attempt: 1,
      startedAt: "2026-12-05T10:00:00.000Z",
      finishedAt: "2026-12-05T10:00:01.250Z",
      outcome: "failed",
      error: { code: "UPSTREAM_DOWN", message: "the upstream is down (attempt 1 of 3)" },
      workerId: "build-7:4242:a1b2c3",
    },
  },
);
export type JobAttempt = z.infer<typeof JobAttemptSchema>;

export const ListJobAttemptsResponseSchema = withOpenApi(
  z.object({ success: z.literal(true), data: z.array(JobAttemptSchema), message: z.string() }).strict(),
  { title: "ListJobAttemptsResponse", description: "Every attempt of the job, oldest first." },
);
export type ListJobAttemptsResponse = z.infer<typeof ListJobAttemptsResponseSchema>;

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export const LogLevelSchema = withOpenApi(z.enum(LOG_LEVELS), { title: "LogLevel" });
export type LogLevel = z.infer<typeof LogLevelSchema>;

/** A line's message is cut to this many characters. */
export const LOG_MESSAGE_MAX = 4096;
/** A job keeps its first lines up to either cap; the rest are counted in `droppedLines`. */
export const LOG_LINES_MAX = 10_000;
export const LOG_BYTES_MAX = 1024 * 1024;

/** The SSE event name of a log line on `GET /v1/events`. */
export const LOG_EVENT = "log";

export const JobLogLineSchema = withOpenApi(
  z
    .object({
      seq: z.number().int().min(1).describe("1 for the job's first line; rises across attempts."),
      attempt: z.number().int().min(1).describe("The attempt that wrote it."),
      level: LogLevelSchema,
      message: z.string().describe(`At most ${LOG_MESSAGE_MAX} characters (longer is cut).`),
      fields: z
        .record(z.string(), z.unknown())
        .nullable()
        .describe("The JSON object given with the line; null when none."),
      at: isoTimestamp.describe("When the handler wrote it."),
    })
    .strict(),
  {
    title: "JobLogLine",
    example: {
      seq: 3,
      attempt: 1,
      level: "info",
      message: "downloaded 1,204 of 5,000 bytes",
      fields: { url: "https://example.com/a.png" },
      at: "2026-12-05T10:00:00.412Z",
    },
  },
);
export type JobLogLine = z.infer<typeof JobLogLineSchema>;

/** The data of a `log` event on `GET /v1/events`: the line and its job. */
export const LogEventDataSchema = JobLogLineSchema.extend({ jobId: z.string() }).strict();
export type LogEventData = z.infer<typeof LogEventDataSchema>;

const levelItem = (value: string) => LogLevelSchema.safeParse(value.trim()).data;

export const ListJobLogsQuerySchema = PageQuerySchema.extend({
  cursor: withOpenApi(z.string().min(1).max(2048), {
    type: "string",
    description: "The exact `nextCursor` of the previous page. Bound to the user, the job and `level`.",
  }).optional(),
  level: withOpenApi(
    z.string().transform((raw, ctx) => {
      const levels: LogLevel[] = [];
      for (const value of raw.split(",")) {
        const level = levelItem(value);
        if (level === undefined) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            message: `must be ${LOG_LEVELS.join(", ")}, or a comma-separated list of them`,
          });
          return z.NEVER;
        }
        if (!levels.includes(level)) levels.push(level);
      }
      return levels;
    }),
    {
      type: "string",
      description: `Only lines of these levels: one of ${LOG_LEVELS.join(", ")}, or a comma-separated list.`,
      example: "warn,error",
    },
  ).optional(),
}).strict();
export type ListJobLogsQueryInput = z.input<typeof ListJobLogsQuerySchema>;
export type ListJobLogsQuery = z.output<typeof ListJobLogsQuerySchema>;

export const ListJobLogsResponseSchema = withOpenApi(
  z
    .object({
      success: z.literal(true),
      data: z.array(JobLogLineSchema),
      pagination: PaginationSchema,
      droppedLines: z
        .number()
        .int()
        .nonnegative()
        .describe(
          `Lines the job wrote past its cap (${LOG_LINES_MAX} lines or ${LOG_BYTES_MAX} bytes), counted but not kept.`,
        ),
      message: z.string(),
    })
    .strict(),
  { title: "ListJobLogsResponse", description: "One page of the job's log lines, oldest first." },
);
export type ListJobLogsResponse = z.infer<typeof ListJobLogsResponseSchema>;

const JobIdParamsSchema = z.object({
  jobId: withOpenApi(z.string(), {
    description:
      "A job's id. Another user's job, and an id that is not a UUID, are the same 404 as a missing one.",
    example: "01a23c14-75dd-7328-a0b2-20ec35b135c7",
  }),
});

export const attemptsContract = c.router(
  {
    listJobAttempts: {
      method: "GET",
      path: "/v1/jobs/:jobId/attempts",
      pathParams: JobIdParamsSchema,
      responses: { 200: ListJobAttemptsResponseSchema, 404: ErrorBodySchema },
      summary: "Every attempt of one of the caller's jobs, oldest first",
    },
    listJobLogs: {
      method: "GET",
      path: "/v1/jobs/:jobId/logs",
      pathParams: JobIdParamsSchema,
      query: ListJobLogsQuerySchema,
      responses: { 200: ListJobLogsResponseSchema, 400: ErrorBodySchema, 404: ErrorBodySchema },
      summary: "A job's log lines, oldest first, one keyset page at a time",
    },
  },
  { strictStatusCodes: true, commonResponses: commonErrorResponses },
);
