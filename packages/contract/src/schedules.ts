import { initContract } from "@ts-rest/core";
import { z } from "zod";
import {
  ErrorBodySchema,
  PageQuerySchema,
  PaginationSchema,
  commonErrorResponses,
  withOpenApi,
} from "./common.js";
import { PRIORITY_MAX, PRIORITY_MIN, QueueNameSchema } from "./flow.js";
import { JobResponseSchema } from "./jobs.js";

/**
 * §12's schedules: jobs made on a calendar. The cron expression and the time zone are checked by
 * the server (a cron library and the zone database live there, not in the dashboard's bundle); a
 * bad one is a 400 whose details path is `cron` or `timezone`.
 */

const c = initContract();

const isoTimestamp = z.string().datetime({ precision: 3 });

export const SCHEDULE_NAME_MAX = 100;
export const CRON_MAX = 200;
export const DEFAULT_TIMEZONE = "UTC";

export const OVERLAP_MODES = ["allow", "skip"] as const;
export const OverlapSchema = z.enum(OVERLAP_MODES, {
  errorMap: () => ({ message: `must be one of ${OVERLAP_MODES.join(", ")}` }),
});
export type Overlap = z.infer<typeof OverlapSchema>;

export const CATCH_UP_MODES = ["latest", "none"] as const;
export const CatchUpSchema = z.enum(CATCH_UP_MODES, {
  errorMap: () => ({ message: `must be one of ${CATCH_UP_MODES.join(", ")}` }),
});
export type CatchUp = z.infer<typeof CatchUpSchema>;

/** Any JSON value, `null` included, but present (as a job's payload, jobs.ts). */
const payloadValue = withOpenApi(
  z.custom<unknown>((value) => value !== undefined, { message: "is required" }),
  { description: "Any JSON, null included; validated by the type's payloadSchema, as on POST /v1/jobs." },
);

const SCHEDULE_EXAMPLE = {
  id: "01a23c14-75dd-7328-a0b2-20ec35b135c7",
  name: "nightly-report",
  cron: "0 3 * * *",
  timezone: "Europe/Berlin",
  type: "echo",
  payload: { report: "daily" },
  queue: "default",
  priority: 0,
  overlap: "allow",
  catchUp: "latest",
  isPaused: false,
  nextRunAt: "2026-12-05T02:00:00.000Z",
  lastRunAt: "2026-12-04T02:00:00.000Z",
  lastJobId: "01a23c14-75dd-7328-a0b2-20ec35b135c8",
  createdAt: "2026-12-01T09:30:00.000Z",
  updatedAt: "2026-12-01T09:30:00.000Z",
};

export const ScheduleSchema = withOpenApi(
  z
    .object({
      id: z.string().uuid(),
      name: z.string().describe("1–100 characters, unique among the owner's schedules."),
      cron: z.string().describe("Vixie cron: 5 fields, or 6 with seconds first."),
      timezone: z.string().describe('The IANA zone whose wall clock the cron follows; "UTC" by default.'),
      type: z.string(),
      payload: payloadValue,
      queue: z.string(),
      priority: z.number().int(),
      overlap: OverlapSchema.describe(
        "skip: no job for a fire time while the schedule's last job is pending or running.",
      ),
      catchUp: CatchUpSchema.describe(
        "After a time no process ran schedules: latest makes one job for the latest missed time, none skips them.",
      ),
      isPaused: z.boolean(),
      nextRunAt: isoTimestamp
        .nullable()
        .describe("The next fire time, strictly after now; null while paused."),
      lastRunAt: isoTimestamp
        .nullable()
        .describe("The fire time of the last job it made (a trigger's: when it was triggered)."),
      lastJobId: z.string().nullable().describe("The last job it made, by a fire time or a trigger."),
      createdAt: isoTimestamp,
      updatedAt: isoTimestamp,
    })
    .strict(),
  { title: "Schedule", example: SCHEDULE_EXAMPLE },
);
export type Schedule = z.infer<typeof ScheduleSchema>;

/** POST's body, which PUT takes too: an omitted optional field takes its default. */
export const ScheduleBodySchema = withOpenApi(
  z
    .object({
      name: z
        .string({ required_error: "is required", invalid_type_error: "must be a string" })
        .min(1, "must not be empty")
        .max(SCHEDULE_NAME_MAX)
        .describe("1–100 characters, unique among the owner's schedules."),
      cron: z
        .string({ required_error: "is required", invalid_type_error: "must be a string" })
        .min(1, "must not be empty")
        .max(CRON_MAX)
        .describe(
          "Vixie cron: 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first; numbers, *, ranges, steps, lists, JAN–DEC and SUN–SAT, 0 or 7 = Sunday. No L, W, #, ?, @ macros or year field.",
        ),
      timezone: z
        .string({ invalid_type_error: "must be a string" })
        .min(1, "must not be empty")
        .max(64)
        .describe('An IANA time zone, such as "Europe/Berlin"; default "UTC".')
        .optional(),
      type: z
        .string({ required_error: "is required", invalid_type_error: "must be a string" })
        .min(1, "must not be empty")
        .max(100)
        .describe("A registered job type (GET /v1/job-types)."),
      payload: payloadValue,
      queue: QueueNameSchema.describe('The queue its jobs wait in; default "default".').optional(),
      priority: z
        .number({ invalid_type_error: "must be an integer" })
        .int("must be an integer")
        .min(PRIORITY_MIN, `must be between ${PRIORITY_MIN} and ${PRIORITY_MAX}`)
        .max(PRIORITY_MAX, `must be between ${PRIORITY_MIN} and ${PRIORITY_MAX}`)
        .describe("Its jobs' priority, −100…100; default 0.")
        .optional(),
      overlap: OverlapSchema.describe('"allow" (default) or "skip".').optional(),
      catchUp: CatchUpSchema.describe('"latest" (default) or "none".').optional(),
    })
    .strict(),
  {
    title: "ScheduleBody",
    example: {
      name: "nightly-report",
      cron: "0 3 * * *",
      timezone: "Europe/Berlin",
      type: "echo",
      payload: { report: "daily" },
    },
  },
);
export type ScheduleBody = z.infer<typeof ScheduleBodySchema>;

export const ScheduleResponseSchema = withOpenApi(
  z.object({ success: z.literal(true), data: ScheduleSchema, message: z.string() }).strict(),
  { title: "ScheduleResponse" },
);
export type ScheduleResponse = z.infer<typeof ScheduleResponseSchema>;

export const ListSchedulesResponseSchema = withOpenApi(
  z
    .object({ success: z.literal(true), data: z.array(ScheduleSchema), pagination: PaginationSchema })
    .strict(),
  { title: "ListSchedulesResponse", description: "One page of the caller's schedules, newest first." },
);
export type ListSchedulesResponse = z.infer<typeof ListSchedulesResponseSchema>;

export const ListSchedulesQuerySchema = PageQuerySchema;
export type ListSchedulesQuery = z.output<typeof ListSchedulesQuerySchema>;

/** Another user's schedule, and an id that is not a UUID, are the same 404 as a missing one. */
const ScheduleIdParamsSchema = z.object({
  scheduleId: withOpenApi(z.string(), {
    description: "A schedule's id. Another user's, and an id that is not a UUID, are the same 404.",
    example: "01a23c14-75dd-7328-a0b2-20ec35b135c7",
  }),
});

/** A POST that takes no body still checks one that is sent: 400, 413 and 415 are about that body. */
const noBodyErrors = { 400: ErrorBodySchema, 413: ErrorBodySchema, 415: ErrorBodySchema } as const;

export const schedulesContract = c.router(
  {
    listSchedules: {
      method: "GET",
      path: "/v1/schedules",
      query: ListSchedulesQuerySchema,
      responses: { 200: ListSchedulesResponseSchema, 400: ErrorBodySchema },
      summary: "The caller's schedules, newest first, one keyset page at a time",
    },
    createSchedule: {
      method: "POST",
      path: "/v1/schedules",
      body: ScheduleBodySchema,
      responses: {
        201: ScheduleResponseSchema,
        400: ErrorBodySchema,
        409: ErrorBodySchema,
        413: ErrorBodySchema,
        415: ErrorBodySchema,
      },
      summary: "Create a schedule: jobs of a type and payload on a cron calendar in a time zone",
    },
    getSchedule: {
      method: "GET",
      path: "/v1/schedules/:scheduleId",
      pathParams: ScheduleIdParamsSchema,
      responses: { 200: ScheduleResponseSchema, 404: ErrorBodySchema },
      summary: "One of the caller's schedules; any other id is the same 404",
    },
    putSchedule: {
      method: "PUT",
      path: "/v1/schedules/:scheduleId",
      pathParams: ScheduleIdParamsSchema,
      body: ScheduleBodySchema,
      responses: {
        200: ScheduleResponseSchema,
        400: ErrorBodySchema,
        404: ErrorBodySchema,
        409: ErrorBodySchema,
        413: ErrorBodySchema,
        415: ErrorBodySchema,
      },
      summary: "Replace a schedule's settings; nextRunAt is computed again from now",
    },
    deleteSchedule: {
      method: "DELETE",
      path: "/v1/schedules/:scheduleId",
      pathParams: ScheduleIdParamsSchema,
      body: c.noBody(),
      responses: { 204: c.noBody(), 404: ErrorBodySchema, ...noBodyErrors },
      summary: "Delete a schedule; the jobs it made keep their scheduleId",
    },
    pauseSchedule: {
      method: "POST",
      path: "/v1/schedules/:scheduleId/pause",
      pathParams: ScheduleIdParamsSchema,
      body: c.noBody(),
      responses: { 200: ScheduleResponseSchema, 404: ErrorBodySchema, ...noBodyErrors },
      summary: "Pause a schedule: once answered, it makes no job until resumed",
    },
    resumeSchedule: {
      method: "POST",
      path: "/v1/schedules/:scheduleId/resume",
      pathParams: ScheduleIdParamsSchema,
      body: c.noBody(),
      responses: { 200: ScheduleResponseSchema, 404: ErrorBodySchema, ...noBodyErrors },
      summary: "Resume a paused schedule from now; the times missed while paused are not caught up",
    },
    triggerSchedule: {
      method: "POST",
      path: "/v1/schedules/:scheduleId/trigger",
      pathParams: ScheduleIdParamsSchema,
      body: c.noBody(),
      responses: { 201: JobResponseSchema, 404: ErrorBodySchema, ...noBodyErrors },
      summary: "Make the schedule's job now, also while paused; nextRunAt does not move",
    },
  },
  { strictStatusCodes: true, commonResponses: commonErrorResponses },
);
