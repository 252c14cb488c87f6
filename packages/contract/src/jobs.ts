import { initContract } from "@ts-rest/core";
import { z } from "zod";
import { commonErrorResponses, ErrorBodySchema, PaginationSchema, withOpenApi } from "./common.js";
import {
  CONCURRENCY_KEY_PATTERN,
  WAIT_REASONS,
  WaitReasonSchema,
  createJobOptionFields,
  checkCreateJobOptions,
} from "./flow.js";
import { withDynamicFilters } from "./filters.js";
import { JobProgressSchema, MetadataSchema, TAG_PATTERN, TagsSchema, jobLabelFields } from "./labels.js";

const c = initContract();

export const JOB_STATUSES = ["pending", "running", "completed", "failed", "cancelled"] as const;
export const JobStatusSchema = withOpenApi(z.enum(JOB_STATUSES), {
  title: "JobStatus",
  description: "pending → running → completed; failed after its last attempt; cancelled by request.",
});
export type JobStatus = z.infer<typeof JobStatusSchema>;

/** A job in one of these may still change: it waits or runs. */
export const ACTIVE_STATUSES = ["pending", "running"] as const satisfies readonly JobStatus[];
/** A job in one of these has ended: it never changes again (a retry is a new job). */
export const ENDED_STATUSES = ["completed", "failed", "cancelled"] as const satisfies readonly JobStatus[];
export type EndedStatus = (typeof ENDED_STATUSES)[number];
export const isEnded = (status: string): status is EndedStatus =>
  (ENDED_STATUSES as readonly string[]).includes(status);

export const SORT_FIELDS = ["createdAt", "updatedAt", "type", "status", "runAt", "priority"] as const;
export const SortBySchema = z.enum(SORT_FIELDS);
export type SortBy = z.infer<typeof SortBySchema>;

export const SORT_ORDERS = ["desc", "asc"] as const;
export const SortOrderSchema = z.enum(SORT_ORDERS);
export type SortOrder = z.infer<typeof SortOrderSchema>;

/** What a job type declares its result to be; the dashboard renders results by it. */
export const RESULT_TYPES = ["json", "html", "image", "text", "binary"] as const;

export const LIST_LIMIT_MAX = 100;
const LIST_VALUES_MAX = 50;
const NAME_MAX = 100;

/**
 * Not named in the OpenAPI document, unlike the other shapes: a job's `error` is nullable, and
 * OpenAPI 3.0 has no way to say "this $ref, or null".
 */
export const JobErrorSchema = z.object({ code: z.string(), message: z.string() }).strict();
export type JobError = z.infer<typeof JobErrorSchema>;

const isoTimestamp = z.string().datetime({ precision: 3 });

/**
 * Any JSON value, `null` included, but present: a missing one is refused (zod's unknown() would
 * accept it, and the OpenAPI document would call the field optional).
 */
const jsonValue = (meta: Record<string, unknown>) =>
  withOpenApi(
    z.custom<unknown>((value) => value !== undefined, { message: "is required" }),
    meta,
  );

/**
 * A pending job, so that the example shows a waitReason: the document lists waitReason as a nullable
 * enum without null among its values, the only form both linters and Prism's validator read alike.
 */
const JOB_EXAMPLE = {
  id: "01a23c14-75dd-7328-a0b2-20ec35b135c7",
  type: "echo",
  status: "pending",
  resultType: "json",
  payload: { hello: "world" },
  result: null,
  error: null,
  attempts: 0,
  maxAttempts: 3,
  createdAt: "2026-12-03T13:25:03.583Z",
  updatedAt: "2026-12-03T13:25:03.583Z",
  startedAt: null,
  finishedAt: null,
  queue: "emails",
  priority: 0,
  runAt: "2026-12-03T13:25:03.583Z",
  concurrencyKey: "acme",
  dedupeKey: null,
  waitReason: "concurrency",
  scheduleId: null,
  batchId: null,
  retryOf: null,
  progress: null,
  tags: ["customer:acme"],
  metadata: { team: "billing" },
};

/** A job as every route shows it (docs/api.md §4): every field is always present. */
export const JobSchema = withOpenApi(
  z
    .object({
      id: z.string().uuid().describe("A UUIDv7 in lowercase."),
      type: z.string().describe("A registered job type."),
      status: JobStatusSchema,
      resultType: z.string().describe("Declared by the job type: json, html, image, text or binary."),
      payload: jsonValue({ description: "Any JSON, exactly as submitted." }),
      result: jsonValue({
        description: "Any JSON: the handler's result once completed; null before and in every other status.",
      }),
      error: JobErrorSchema.nullable().describe(
        "Once failed: why (the type's code, or TIMEOUT, LEASE_EXPIRED, …).",
      ),
      attempts: z.number().int().describe("Attempts started."),
      maxAttempts: z.number().int(),
      createdAt: isoTimestamp,
      updatedAt: isoTimestamp.describe("The last visible change."),
      startedAt: isoTimestamp.nullable().describe("When the latest attempt started."),
      finishedAt: isoTimestamp.nullable().describe("When it reached completed, failed or cancelled."),
      queue: z.string().describe('The queue it waits in (§11); "default" unless created in another.'),
      priority: z.number().int().describe("−100…100; among a queue's jobs that may start, higher first."),
      runAt: isoTimestamp.describe(
        "Not started before then: its creation time unless delayed, and the next retry's time while it waits out a backoff.",
      ),
      concurrencyKey: z
        .string()
        .nullable()
        .describe("Jobs of one queue with the same key share its per-key limits."),
      dedupeKey: z.string().nullable().describe("At most one pending job per owner, queue and dedupeKey."),
      // Not the named WaitReason: OpenAPI 3.0 cannot make a $ref nullable.
      waitReason: z
        .enum(WAIT_REASONS)
        .nullable()
        .describe("Why a pending job is not running, computed when read; null for any other status."),
      scheduleId: z
        .string()
        .nullable()
        .describe("The schedule that made it (§12), by a fire time or a trigger; null otherwise."),
      batchId: z.string().nullable().describe("The batch it was created in (§12); null otherwise."),
      retryOf: z
        .string()
        .nullable()
        .describe("The job this one retries (§15), with or without changes; null otherwise."),
      // Not the named JobProgress: OpenAPI 3.0 cannot make a $ref nullable.
      progress: JobProgressSchema.nullable().describe(
        "The handler's last progress report (§14): { current, total, message, updatedAt }; null before the first.",
      ),
      tags: TagsSchema.describe("The tags it was created with (§15), in the order sent; [] when none."),
      metadata: MetadataSchema.describe("The metadata it was created with (§15); {} when none."),
    })
    .strict(),
  { title: "Job", example: JOB_EXAMPLE },
);
export type Job = z.infer<typeof JobSchema>;

function issue(ctx: z.RefinementCtx, message: string): typeof z.NEVER {
  ctx.addIssue({ code: z.ZodIssueCode.custom, message });
  return z.NEVER;
}

function integerParam(min: number, max: number, description: string) {
  const message = `must be an integer between ${min} and ${max}`;
  return withOpenApi(
    z.string().transform((raw, ctx) => {
      const value = /^[0-9]{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
      return Number.isSafeInteger(value) && value >= min && value <= max ? value : issue(ctx, message);
    }),
    { type: "integer", minimum: min, maximum: max, description },
  );
}

function listParam<T extends string>(
  item: (value: string) => T | undefined,
  itemDescription: string,
  meta: Record<string, unknown>,
) {
  return withOpenApi(
    z.string().transform((raw, ctx) => {
      // As in HTTP's own lists (RFC 9110 §5.6.1), white space around an item is not part of it:
      // `status=pending, failed` is `status=pending,failed`. No job type, status or result type can
      // begin or end with any, so nothing that could match is lost. (trim(): linear, unlike a regex.)
      const values = raw.split(",").map((value) => value.trim());
      if (values.length > LIST_VALUES_MAX) return issue(ctx, `at most ${LIST_VALUES_MAX} values`);
      const parsed: T[] = [];
      for (const value of values) {
        const ok = item(value);
        if (ok === undefined) return issue(ctx, `must be ${itemDescription}, comma-separated`);
        if (!parsed.includes(ok)) parsed.push(ok);
      }
      return parsed;
    }),
    { type: "string", ...meta },
  );
}

const nameItem = (value: string) => (value.length > 0 && value.length <= NAME_MAX ? value : undefined);
const statusItem = (value: string) => JobStatusSchema.safeParse(value).data;
// A name no queue can have matches nothing, like an unknown type; only the empty item is refused.
const queueItem = (value: string) => (value.length > 0 && value.length <= NAME_MAX ? value : undefined);
const concurrencyKeyItem = (value: string) => (CONCURRENCY_KEY_PATTERN.test(value) ? value : undefined);
// An id no schedule or batch has matches nothing, like an unknown queue.
const idItem = (value: string) => (value.length > 0 && value.length <= NAME_MAX ? value : undefined);
const waitReasonItem = (value: string) => WaitReasonSchema.safeParse(value).data;
// A tag no job can have matches nothing; one that no job could ever have is refused, like a status.
const tagItem = (value: string) => (TAG_PATTERN.test(value) ? value : undefined);
const errorCodeItem = (value: string) => (value.length > 0 && value.length <= NAME_MAX ? value : undefined);
const ID_PREFIX_PATTERN = /^[0-9a-fA-F-]{4,36}$/;

const enumParam = <U extends string, T extends Readonly<[U, ...U[]]>>(values: T) =>
  z.enum(values, { errorMap: () => ({ message: `must be one of ${values.join(", ")}` }) });

/** The filters that the list and the stats share (docs/api.md §5.1, §9.5). */
const jobFilterFields = {
  type: listParam(nameItem, "job type names", {
    description: "Job type; a comma-separated list matches any of them (spaces after commas are ignored).",
    example: "echo,sleep",
  }).optional(),
  status: listParam(statusItem, `one of ${JOB_STATUSES.join(", ")}`, {
    description: `One status, or a comma-separated list: ${JOB_STATUSES.join(", ")}.`,
    example: "pending,failed",
  }).optional(),
  resultType: listParam(nameItem, "result types", {
    description: "One result type, or a comma-separated list.",
    example: "json",
  }).optional(),
  createdFrom: integerParam(0, 8.64e15, "Unix ms, inclusive.").optional(),
  createdTo: integerParam(0, 8.64e15, "Unix ms, inclusive.").optional(),
  queue: listParam(queueItem, "queue names", {
    description: "Queue (§11); a comma-separated list matches any of them.",
    example: "emails",
  }).optional(),
  concurrencyKey: listParam(concurrencyKeyItem, "concurrency keys (1–255 visible ASCII characters)", {
    description: "Concurrency key (§11); a comma-separated list matches any of them.",
    example: "acme",
  }).optional(),
  waitReason: listParam(waitReasonItem, `one of ${WAIT_REASONS.join(", ")}`, {
    description: `Why a pending job waits (§11), one or a comma-separated list: ${WAIT_REASONS.join(", ")}. Computed, not indexed: a list answer may be partial (pagination.isPartial).`,
    example: "concurrency,rate_limit",
  }).optional(),
  scheduleId: listParam(idItem, "schedule ids", {
    description: "The schedule that made the job (§12); a comma-separated list matches any of them.",
    example: "01a23c14-75dd-7328-a0b2-20ec35b135c7",
  }).optional(),
  batchId: listParam(idItem, "batch ids", {
    description: "The batch the job was created in (§12); a comma-separated list matches any of them.",
    example: "01a23c14-75dd-7328-a0b2-20ec35b135c7",
  }).optional(),
  tag: listParam(tagItem, "tags ([A-Za-z0-9:_./-]{1,64})", {
    description: "Jobs with any of these tags (§15); a comma-separated list.",
    example: "customer:acme,nightly",
  }).optional(),
  tagsAll: listParam(tagItem, "tags ([A-Za-z0-9:_./-]{1,64})", {
    description: "Jobs with all of these tags (§15); a comma-separated list.",
    example: "customer:acme,nightly",
  }).optional(),
  errorCode: listParam(errorCodeItem, "error codes", {
    description: "Failed jobs whose error.code is one of these (§15); a comma-separated list.",
    example: "TIMEOUT,HTTP_500",
  }).optional(),
  idPrefix: withOpenApi(
    z
      .string()
      .regex(ID_PREFIX_PATTERN, "must be 4–36 hex digits and dashes")
      .transform((value) => value.toLowerCase()),
    {
      type: "string",
      description: "Jobs whose id starts with this (§15): 4–36 hex digits and dashes, case-insensitive.",
      example: "01a23c14",
    },
  ).optional(),
};

/**
 * Named in the OpenAPI document only in words: `metadata.<key>`, `payload.<path>` and
 * `result.<path>` (filters.ts) are accepted beside the fields above.
 */
export const DYNAMIC_FILTERS_DESCRIPTION =
  'Also `metadata.<key>=<value>`, `payload.<path>=<value>` and `result.<path>=<value>` (a path of 1–8 dot-separated names): exact match on one JSON value, compared as JSON when the value parses as JSON (`3` the number, `"3"` the string), else as a string; a missing path matches nothing. payload and result filters are not indexed: a list answer may be partial (pagination.isPartial).';

function checkCreatedRange(query: { createdFrom?: number; createdTo?: number }, ctx: z.RefinementCtx) {
  if (
    query.createdFrom !== undefined &&
    query.createdTo !== undefined &&
    query.createdFrom > query.createdTo
  ) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["createdFrom"],
      message: "must not be after createdTo",
    });
  }
}

/** The list's sort (§5), which the export (§15) takes as well. */
const jobSortFields = {
  sortBy: withOpenApi(enumParam(SORT_FIELDS), {
    description: "The sort field; ties are broken by id.",
    default: "createdAt",
  }).optional(),
  sortOrder: withOpenApi(enumParam(SORT_ORDERS), {
    description: "Newest first by default.",
    default: "desc",
  }).optional(),
};

/** `GET /v1/jobs` query (docs/api.md §5.1). Strings on the wire, typed values after parsing. */
export const ListJobsQuerySchema = withDynamicFilters({
  limit: integerParam(1, LIST_LIMIT_MAX, "Page size, 1–100."),
  cursor: withOpenApi(z.string().min(1).max(2048), {
    type: "string",
    description: "The exact `nextCursor` of the previous page. Bound to the user, filters and sort.",
  }).optional(),
  ...jobFilterFields,
  ...jobSortFields,
}).superRefine(checkCreatedRange);
export type ListJobsQueryInput = z.input<typeof ListJobsQuerySchema>;
export type ListJobsQuery = z.output<typeof ListJobsQuerySchema>;

/** `GET /v1/jobs/stats` query: the list's filters, without paging or sorting (docs/api.md §9.5). */
export const JobStatsQuerySchema = withDynamicFilters(jobFilterFields).superRefine(checkCreatedRange);
export type JobStatsQueryInput = z.input<typeof JobStatsQuerySchema>;
export type JobFilters = z.output<typeof JobStatsQuerySchema>;

export const EXPORT_FORMATS = ["ndjson", "csv"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `GET /v1/jobs/export` query (§15): a format, the list's sort and filters; no paging. */
export const ExportJobsQuerySchema = withDynamicFilters({
  format: withOpenApi(enumParam(EXPORT_FORMATS), {
    description:
      "ndjson: one Job per line (application/x-ndjson); csv: RFC 4180 with a header row (text/csv).",
  }),
  ...jobFilterFields,
  ...jobSortFields,
}).superRefine(checkCreatedRange);
export type ExportJobsQueryInput = z.input<typeof ExportJobsQuerySchema>;
export type ExportJobsQuery = z.output<typeof ExportJobsQuerySchema>;

/** The CSV export's columns: §4's field names, in the order a Job lists them. */
export const EXPORT_CSV_COLUMNS = Object.keys(JobSchema.shape) as (keyof Job)[];

/**
 * A bulk operation's `filter` (§15): an object whose keys and values are the list's filter query
 * parameters as strings (`{ "status": "failed", "tag": "a,b", "metadata.team": "x" }`), parsed into
 * the same JobFilters as the list's query. Unknown keys, values that are not strings and bad values
 * are issues on their key, as a query's would be; `{}` is no filter (every job of the caller).
 */
export const JobFilterObjectSchema = z
  .record(z.string(), z.unknown(), { invalid_type_error: "must be an object" })
  .pipe(JobStatsQuerySchema);

export function parseJobFilterObject(
  filter: unknown,
): { success: true; data: JobFilters } | { success: false; error: z.ZodError } {
  const parsed = JobFilterObjectSchema.safeParse(filter);
  return parsed.success ? { success: true, data: parsed.data } : { success: false, error: parsed.error };
}

export const CreateJobBodySchema = withOpenApi(
  z
    .object({
      type: z
        .string({ required_error: "is required", invalid_type_error: "must be a string" })
        .min(1, "must not be empty")
        .max(NAME_MAX)
        .describe("A registered job type (GET /v1/job-types)."),
      // Depth and size are limited by the server (docs/api.md §6).
      payload: jsonValue({ description: "Any JSON, null included; validated by the type's payloadSchema." }),
      ...createJobOptionFields,
      ...jobLabelFields,
    })
    .strict()
    .superRefine(checkCreateJobOptions),
  { title: "CreateJobBody", example: { type: "echo", payload: { hello: "world" } } },
);
export type CreateJobBody = z.infer<typeof CreateJobBodySchema>;

/**
 * `POST /v1/jobs/{jobId}/retry`'s optional body (§15, retry with changes): the fields a retry may
 * change, each checked as on create; an absent field keeps the original's value (`runAt` absent =
 * now). No body, or `{}`, is the plain retry of §9.
 */
export const RetryJobBodySchema = withOpenApi(
  z
    .object({
      payload: jsonValue({
        description:
          "Any JSON, null included; validated by the original's type. Absent: the original's payload.",
      }).optional(),
      queue: createJobOptionFields.queue.describe("The queue it waits in. Absent: the original's queue."),
      priority: createJobOptionFields.priority.describe("−100…100. Absent: the original's priority."),
      runAt: createJobOptionFields.runAt.describe(
        "Not started before then (ISO 8601 with offset, at most 366 days ahead); a past time means now. Absent: now.",
      ),
      tags: jobLabelFields.tags.describe(
        "Replaces the original's tags ([] = none). Absent: the original's tags.",
      ),
      metadata: jobLabelFields.metadata.describe(
        "Replaces the original's metadata ({} = none). Absent: the original's metadata.",
      ),
    })
    .strict()
    .superRefine(checkCreateJobOptions),
  {
    title: "RetryJobBody",
    example: { payload: { hello: "again" }, queue: "emails", priority: 10, tags: ["retried"] },
  },
);
export type RetryJobBody = z.infer<typeof RetryJobBodySchema>;

/** Jobs one POST /v1/jobs/batch creates at most (§12). */
export const BATCH_JOBS_MAX = 1000;

/**
 * `POST /v1/jobs/batch` (§12): 1–1,000 create bodies, each as POST /v1/jobs takes it, without
 * dedupeKey (a batch creates all its jobs or none, so it cannot fold one into a pending job).
 */
export const CreateJobsBatchBodySchema = withOpenApi(
  z
    .object({
      jobs: z
        .array(CreateJobBodySchema, { required_error: "is required", invalid_type_error: "must be an array" })
        .min(1)
        .max(BATCH_JOBS_MAX)
        .describe("The jobs to create, in this order: 1–1,000 bodies of POST /v1/jobs, without dedupeKey."),
    })
    .strict()
    .superRefine((body, ctx) => {
      for (const [index, job] of body.jobs.entries()) {
        if (job.dedupeKey !== undefined)
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ["jobs", index, "dedupeKey"],
            message: "is not accepted in a batch",
          });
      }
    }),
  {
    title: "CreateJobsBatchBody",
    example: {
      jobs: [
        { type: "echo", payload: { n: 1 } },
        { type: "sleep", payload: { ms: 100 }, queue: "emails", priority: 5 },
      ],
    },
  },
);
export type CreateJobsBatchBody = z.infer<typeof CreateJobsBatchBodySchema>;

export const JobTypeSchema = withOpenApi(
  z
    .object({
      type: z.string(),
      resultType: z.string(),
      description: z.string(),
      payloadSchema: z
        .record(z.unknown())
        .describe("JSON Schema (draft 7) of the payload, without $schema; the server checks again."),
      maxAttempts: z.number().int(),
      timeoutMs: z.number().int().describe("How long one attempt may run."),
    })
    .strict(),
  {
    title: "JobType",
    example: {
      type: "sleep",
      resultType: "json",
      description: "Waits ms milliseconds, then completes with { sleptMs }",
      payloadSchema: {
        type: "object",
        properties: { ms: { type: "integer", minimum: 0, maximum: 600000 } },
        required: ["ms"],
        additionalProperties: false,
      },
      maxAttempts: 3,
      timeoutMs: 630000,
    },
  },
);
export type JobType = z.infer<typeof JobTypeSchema>;

export const ListJobsResponseSchema = withOpenApi(
  z.object({ success: z.literal(true), data: z.array(JobSchema), pagination: PaginationSchema }).strict(),
  { title: "ListJobsResponse", description: "One page of jobs, at most `limit`." },
);
export type ListJobsResponse = z.infer<typeof ListJobsResponseSchema>;

export const JobResponseSchema = withOpenApi(
  z.object({ success: z.literal(true), data: JobSchema, message: z.string() }).strict(),
  { title: "JobResponse", description: "One job, and what happened to it in a sentence." },
);
export type JobResponse = z.infer<typeof JobResponseSchema>;

export const JobsBatchSchema = withOpenApi(
  z
    .object({
      batchId: z.string().uuid().describe("The batch's id: every job of it carries it as batchId."),
      jobs: z.array(JobSchema).describe("The jobs created, in the order sent."),
    })
    .strict(),
  { title: "JobsBatch" },
);
export type JobsBatch = z.infer<typeof JobsBatchSchema>;

export const JobsBatchResponseSchema = withOpenApi(
  z.object({ success: z.literal(true), data: JobsBatchSchema, message: z.string() }).strict(),
  { title: "JobsBatchResponse", description: "The jobs one batch created, in the order sent." },
);
export type JobsBatchResponse = z.infer<typeof JobsBatchResponseSchema>;

export const ListJobTypesResponseSchema = withOpenApi(
  z.object({ success: z.literal(true), data: z.array(JobTypeSchema), message: z.string() }).strict(),
  { title: "ListJobTypesResponse" },
);

const statusCount = z.number().int().nonnegative();

export const JobStatsSchema = withOpenApi(
  z
    .object({
      total: statusCount,
      byStatus: z
        .object({
          pending: statusCount,
          running: statusCount,
          completed: statusCount,
          failed: statusCount,
          cancelled: statusCount,
        })
        .strict(),
    })
    .strict(),
  {
    title: "JobStats",
    example: { total: 3, byStatus: { pending: 0, running: 1, completed: 1, failed: 0, cancelled: 1 } },
  },
);
export type JobStats = z.infer<typeof JobStatsSchema>;

export const JobStatsResponseSchema = withOpenApi(
  z.object({ success: z.literal(true), data: JobStatsSchema, message: z.string() }).strict(),
  { title: "JobStatsResponse" },
);
export type JobStatsResponse = z.infer<typeof JobStatsResponseSchema>;

/**
 * A product addition beside §15 (not in the spec): the caller's failed jobs grouped by type and
 * error code, for the dashboard's Failed view.
 */
export const FailureGroupSchema = withOpenApi(
  z
    .object({
      type: z.string(),
      errorCode: z.string().nullable().describe("The jobs' error.code; null for a failed job without one."),
      count: z
        .number()
        .int()
        .nonnegative()
        .describe("Failed jobs of this type and code that match the filters."),
      latestAt: isoTimestamp.nullable().describe("The latest finishedAt among them."),
    })
    .strict(),
  {
    title: "FailureGroup",
    example: { type: "http.request", errorCode: "HTTP_503", count: 42, latestAt: "2026-12-05T09:12:44.120Z" },
  },
);
export type FailureGroup = z.infer<typeof FailureGroupSchema>;

/** Groups one answer holds at most, the largest first. */
export const FAILURE_GROUPS_MAX = 500;

export const FailureGroupsResponseSchema = withOpenApi(
  z.object({ success: z.literal(true), data: z.array(FailureGroupSchema), message: z.string() }).strict(),
  { title: "FailureGroupsResponse" },
);
export type FailureGroupsResponse = z.infer<typeof FailureGroupsResponseSchema>;

/**
 * `GET /v1/events` (Server-Sent Events) is served outside ts-rest, which cannot model a stream; its
 * OpenAPI entry is added by the server. Each `job` event's `data` is a Job (parse it with JobSchema)
 * and its `id` the value to send back as `Last-Event-ID` when reconnecting.
 */
export const EVENTS_PATH = "/v1/events";
export const JOB_EVENT = "job";
/**
 * The first event of a stream opened without a usable `Last-Event-ID` (none, or one from a database
 * that was reset): no data, but its id is where to resume from even before any job changes.
 */
export const READY_EVENT = "ready";

const JobIdParamsSchema = z.object({
  jobId: withOpenApi(z.string(), {
    description:
      "A job's id. Another user's job, and an id that is not a UUID, are the same 404 as a missing one.",
    example: "01a23c14-75dd-7328-a0b2-20ec35b135c7",
  }),
});

/** docs/api.md §10.1: a POST with this header is run at most once per user and key within 24 hours. */
export const IdempotencyHeadersSchema = z.object({
  // Lowercase, as Node gives headers to the server; the OpenAPI document spells it Idempotency-Key.
  "idempotency-key": withOpenApi(
    z.string().regex(/^[\x21-\x7e]{1,255}$/, "must be 1 to 255 visible ASCII characters"),
    {
      description:
        "1–255 visible ASCII characters. Makes the request safe to retry: the same key with the same body answers the original status and body again (with Idempotent-Replayed: true) and creates nothing; with a different body, or while the first is in flight, 409. Kept 24 hours per user.",
      example: "order-4711",
    },
  ).optional(),
});

/** What a client receives for binary bodies: a Blob (declared structurally: no DOM types here). */
export type BinaryBody = {
  readonly size: number;
  readonly type: string;
  arrayBuffer(): Promise<ArrayBuffer>;
};

export const jobsContract = c.router(
  {
    listJobs: {
      method: "GET",
      path: "/v1/jobs",
      query: ListJobsQuerySchema,
      responses: { 200: ListJobsResponseSchema, 400: ErrorBodySchema },
      summary: "List the caller's jobs, filtered and sorted, one keyset page at a time",
    },
    createJob: {
      method: "POST",
      path: "/v1/jobs",
      headers: IdempotencyHeadersSchema,
      body: CreateJobBodySchema,
      responses: {
        // 200: a pending job held the dedupeKey (§11), with the header Deduplicated: true.
        200: JobResponseSchema,
        201: JobResponseSchema,
        400: ErrorBodySchema,
        409: ErrorBodySchema,
        413: ErrorBodySchema,
        415: ErrorBodySchema,
      },
      summary: "Create a job; it starts pending, owned by the token's subject",
    },
    createJobsBatch: {
      method: "POST",
      path: "/v1/jobs/batch",
      headers: IdempotencyHeadersSchema,
      body: CreateJobsBatchBodySchema,
      responses: {
        201: JobsBatchResponseSchema,
        400: ErrorBodySchema,
        409: ErrorBodySchema,
        413: ErrorBodySchema,
        415: ErrorBodySchema,
      },
      summary: "Create 1–1,000 jobs in one transaction: all of them, in the order sent, or none",
    },
    // Before getJob, so that "stats" is never taken for a job id.
    getJobStats: {
      method: "GET",
      path: "/v1/jobs/stats",
      query: JobStatsQuerySchema,
      responses: { 200: JobStatsResponseSchema, 400: ErrorBodySchema },
      summary: "Count the caller's jobs by status, with the same filters as the list",
    },
    // Before getJob, so that "failure-groups" is never taken for a job id.
    listFailureGroups: {
      method: "GET",
      path: "/v1/jobs/failure-groups",
      query: JobStatsQuerySchema,
      responses: { 200: FailureGroupsResponseSchema, 400: ErrorBodySchema },
      summary:
        "The caller's failed jobs grouped by type and error code, largest group first, with the list's filters (a product addition)",
    },
    // Before getJob, so that "export" is never taken for a job id.
    exportJobs: {
      method: "GET",
      path: "/v1/jobs/export",
      query: ExportJobsQuerySchema,
      responses: {
        200: c.otherResponse({ contentType: "application/x-ndjson", body: c.type<BinaryBody>() }),
        400: ErrorBodySchema,
      },
      summary: "Every job that matches the list's filters, in the list's order, as NDJSON or CSV, streamed",
    },
    getJob: {
      method: "GET",
      path: "/v1/jobs/:jobId",
      pathParams: JobIdParamsSchema,
      responses: { 200: JobResponseSchema, 404: ErrorBodySchema },
      summary: "One of the caller's jobs; any other id is the same 404",
    },
    cancelJob: {
      method: "POST",
      path: "/v1/jobs/:jobId/cancel",
      pathParams: JobIdParamsSchema,
      body: c.noBody(),
      // 400/413/415 only for a body that should not be there (bad JSON, too large, not JSON).
      responses: {
        200: JobResponseSchema,
        400: ErrorBodySchema,
        404: ErrorBodySchema,
        409: ErrorBodySchema,
        413: ErrorBodySchema,
        415: ErrorBodySchema,
      },
      summary:
        "Cancel a job: a pending one at once, a running one through its handler's AbortSignal; 409 once it has ended",
    },
    retryJob: {
      method: "POST",
      path: "/v1/jobs/:jobId/retry",
      pathParams: JobIdParamsSchema,
      headers: IdempotencyHeadersSchema,
      // Every field optional (§15), so the body is too: no body is the plain retry of §9.
      body: RetryJobBodySchema,
      responses: {
        201: JobResponseSchema,
        400: ErrorBodySchema,
        404: ErrorBodySchema,
        409: ErrorBodySchema,
        413: ErrorBodySchema,
        415: ErrorBodySchema,
      },
      summary:
        "Create a new job from one that has ended, with its type and payload or with the changes in the body; 409 while it has not",
    },
    getJobArtifact: {
      method: "GET",
      path: "/v1/jobs/:jobId/artifact",
      pathParams: JobIdParamsSchema,
      responses: {
        200: c.otherResponse({ contentType: "application/octet-stream", body: c.type<BinaryBody>() }),
        404: ErrorBodySchema,
      },
      summary:
        "The bytes of a job's binary result (an image.thumbnail's picture) with their own Content-Type",
    },
    listJobTypes: {
      method: "GET",
      path: "/v1/job-types",
      responses: { 200: ListJobTypesResponseSchema },
      summary: "The registered job types with their payload schemas (JSON Schema)",
    },
  },
  { strictStatusCodes: true, commonResponses: commonErrorResponses },
);
