import { headerRef } from "./components.js";
import { BULK_OPERATION_WORDS } from "./bulk-operation-operations.js";
import { ATTEMPT_WORDS } from "./attempt-operations.js";
import { RETENTION_WORDS } from "./retention-operations.js";
import { SCHEDULE_WORDS } from "./schedule-operations.js";
import { WEBHOOK_WORDS } from "./webhook-operations.js";
const notFound = {
    description: "No such job for this caller: one that does not exist, another user's, and an id that is not a UUID all get this same answer.",
    error: { code: "NOT_FOUND", message: "Job not found" },
};
/** A POST that takes no body still checks one that is sent (docs/api.md §3.3). */
const unwantedBody = {
    400: {
        description: "A body was sent (none is needed) and it is not valid JSON.",
        error: {
            code: "VALIDATION_FAILED",
            message: "body: is not valid JSON",
            details: [{ path: "body", message: "is not valid JSON" }],
        },
    },
    413: {
        description: "A body was sent (none is needed) and it is larger than 1 MiB.",
        error: { code: "PAYLOAD_TOO_LARGE", message: "Request body is larger than 1 MiB" },
    },
    415: {
        description: "A body was sent (none is needed) whose Content-Type is not application/json, or whose charset or Content-Encoding is not supported.",
        error: { code: "UNSUPPORTED_MEDIA_TYPE", message: "Content-Type must be application/json" },
    },
};
const queueNotFound = {
    description: "No such queue for this caller: one that does not exist (a queue exists once a job was created in it or it was configured), another user's, and a name that does not match ^[a-z0-9][a-z0-9._-]{0,63}$ all get this same answer.",
    error: { code: "NOT_FOUND", message: "Queue not found" },
};
const badQueueName = {
    description: "The name does not match ^[a-z0-9][a-z0-9._-]{0,63}$ (a queue with it cannot exist, so none is created), or a body was sent (none is needed) that is not valid JSON.",
    error: {
        code: "VALIDATION_FAILED",
        message: "name: must match ^[a-z0-9][a-z0-9._-]{0,63}$",
        details: [{ path: "name", message: "must match ^[a-z0-9][a-z0-9._-]{0,63}$" }],
    },
};
/** A queue's 200: the queue, with the ETag that covers its settings. */
const queueAnswer = (description) => ({
    description,
    headers: { ETag: headerRef("ETag") },
});
const binary = { schema: { type: "string", format: "binary" } };
export const CONTRACT_WORDS = {
    listJobs: {
        description: "Keyset pages over the caller's jobs: `limit` jobs at a time, in a total order (ties on the sort field are broken by id), so walking every page with `cursor` yields each matching job once. The cursor is bound to the user, the filters and the sort; only `limit` may change from page to page. Unknown or repeated parameters are a 400. Filters the indexes cannot narrow (`payload.…`, `result.…`, `errorCode`, `idPrefix`, and the computed `waitReason`; §15) read at most FILTER_SCAN_LIMIT rows per request, and when one stops there the page says `isPartial: true` (it may hold fewer than `limit` jobs, or none) with a `nextCursor` that goes on from where it stopped.",
        responses: {
            200: {
                description: "One page: at most `limit` jobs; `pagination.nextCursor` is null on the last page; `pagination.isPartial` is true only when a filter the indexes cannot narrow stopped at FILTER_SCAN_LIMIT rows read.",
            },
            400: {
                description: "A parameter was refused (VALIDATION_FAILED, one detail per problem), or the cursor was not issued for this user, these filters and this sort (INVALID_CURSOR).",
                error: {
                    code: "VALIDATION_FAILED",
                    message: "limit: must be an integer between 1 and 100",
                    details: [{ path: "limit", message: "must be an integer between 1 and 100" }],
                },
            },
        },
    },
    createJob: {
        description: "The job starts `pending`, owned by the token's subject, and a worker takes it up once its runAt has come and its queue's pause and limits allow (§11). The body is at most 1 MiB; the payload must fit its type's `payloadSchema` (GET /v1/job-types). With an Idempotency-Key, sending the same request again is safe.",
        body: "The job to create: a registered type and its payload, and optionally its queue, priority, start time, concurrency key and dedupe key (§11).",
        responses: {
            200: {
                description: 'Deduplicated: a pending job of this queue already held the dedupeKey. The answer is that job (unchanged with dedupe skip; with this request\'s payload and options for replace and debounce), with Deduplicated: true and the message "Job deduplicated"; nothing new was created.',
                headers: { Deduplicated: headerRef("Deduplicated") },
            },
            201: {
                description: "Created: the new job, `pending`, with its URL in Location. For a request already answered under the same Idempotency-Key: that first answer again, with Idempotent-Replayed: true, and nothing created.",
            },
            400: {
                description: "A missing or unknown field, an unknown type (the details list the known ones), a payload its type's schema refuses (one detail per field), a malformed Idempotency-Key, or a body that is not valid JSON or nests deeper than 64 levels.",
                error: {
                    code: "VALIDATION_FAILED",
                    message: "payload.ms: must be at most 600000",
                    details: [{ path: "payload.ms", message: "must be at most 600000" }],
                },
            },
            409: {
                description: "The Idempotency-Key was already used with another request, or its first request is still in progress; or the pending job holding the dedupeKey has another type.",
                error: {
                    code: "CONFLICT",
                    message: "This Idempotency-Key was already used with a different request",
                    details: [{ path: "Idempotency-Key", message: "was already used with a different request" }],
                },
            },
            413: {
                description: "The body is larger than 1 MiB.",
                error: { code: "PAYLOAD_TOO_LARGE", message: "Request body is larger than 1 MiB" },
            },
            415: {
                description: "The body's Content-Type is not application/json, or its charset or Content-Encoding is not supported.",
                error: { code: "UNSUPPORTED_MEDIA_TYPE", message: "Content-Type must be application/json" },
            },
        },
    },
    createJobsBatch: {
        description: "Creates 1–1,000 jobs in one transaction: all of them, in the order sent, or none. Each item is a body of POST /v1/jobs (§6, §11) except that dedupeKey is refused, and each job carries the batch's id as batchId (the list and stats filter on it). The body is at most 8 MiB. With an Idempotency-Key the whole batch is one request: sending it again is safe. A batch counts as one request against the rate limit.",
        body: "The jobs to create, in order: `jobs`, 1–1,000 bodies of POST /v1/jobs without dedupeKey.",
        responses: {
            201: {
                description: "Created: the batch's id and its jobs, `pending`, in the order sent; Location is the first page of its jobs (GET /v1/jobs?batchId=…). For a request already answered under the same Idempotency-Key: that first answer again, with Idempotent-Replayed: true, and nothing created.",
            },
            400: {
                description: "`jobs` missing, empty or longer than 1,000, or any item refused: every bad item is named in the details by its path (`jobs.3.payload.ms`, `jobs.7.type`, `jobs.9.dedupeKey`), whether its shape is wrong, its type unknown or its payload refused by its type's schema. Also a malformed Idempotency-Key, or a body that is not valid JSON. Nothing was written.",
                error: {
                    code: "VALIDATION_FAILED",
                    message: "jobs.3.payload.ms: must be at most 600000",
                    details: [
                        { path: "jobs.3.payload.ms", message: "must be at most 600000" },
                        {
                            path: "jobs.7.type",
                            message: "is not a known job type; known types: echo, sleep, markdown.render, http.request, image.thumbnail",
                        },
                    ],
                },
            },
            409: {
                description: "The Idempotency-Key was already used with another request, or its first request is still in progress. Nothing was written.",
                error: {
                    code: "CONFLICT",
                    message: "This Idempotency-Key was already used with a different request",
                    details: [{ path: "Idempotency-Key", message: "was already used with a different request" }],
                },
            },
            413: {
                description: "The body is larger than 8 MiB.",
                error: { code: "PAYLOAD_TOO_LARGE", message: "Request body is larger than 8 MiB" },
            },
            415: {
                description: "The body's Content-Type is not application/json, or its charset or Content-Encoding is not supported.",
                error: { code: "UNSUPPORTED_MEDIA_TYPE", message: "Content-Type must be application/json" },
            },
        },
    },
    getJobStats: {
        description: "The list's filters, without paging or sorting. With `waitReason` only pending jobs are counted, each by its reason computed now; the count is exact (never partial).",
        responses: {
            200: { description: "How many of the caller's jobs match, by status: every status is present." },
            400: {
                description: "A parameter was refused; `limit`, `cursor`, `sortBy` and `sortOrder` are not accepted here.",
                error: {
                    code: "VALIDATION_FAILED",
                    message: "limit: is not an accepted field",
                    details: [{ path: "limit", message: "is not an accepted field" }],
                },
            },
        },
    },
    listFailureGroups: {
        description: "A product addition beside §15, for the dashboard's Failed view: the caller's failed jobs that match the list's filters, grouped by type and error code, with each group's size and latest finishedAt; the largest group first, at most 500 groups. A status filter without failed, or any waitReason, leaves nothing to group.",
        responses: {
            200: { description: "The groups, largest first: [] when no failed job matches." },
            400: {
                description: "A filter was refused, as on the list; `limit`, `cursor`, `sortBy` and `sortOrder` are not accepted here.",
                error: {
                    code: "VALIDATION_FAILED",
                    message: "limit: is not an accepted field",
                    details: [{ path: "limit", message: "is not an accepted field" }],
                },
            },
        },
    },
    exportJobs: {
        description: "Every job of the caller that the filters match (those of the list, §15's included), in the list's order (sortBy, sortOrder), streamed with no page limit: NDJSON, one Job per line, or CSV (RFC 4180, CRLF line ends, a header row of the Job's field names in order; objects and arrays as JSON text, null as an empty field). The answer is streamed as it is read: a failure after it began cuts it short.",
        responses: {
            200: {
                description: "The jobs, as the format says, with Content-Disposition: attachment.",
                content: {
                    "application/x-ndjson": { schema: { type: "string" } },
                    "text/csv": { schema: { type: "string" } },
                },
            },
            400: {
                description: "`format` missing or not ndjson or csv, or a filter or sort parameter refused as the list refuses it.",
                error: {
                    code: "VALIDATION_FAILED",
                    message: "format: is required",
                    details: [{ path: "format", message: "is required" }],
                },
            },
        },
    },
    getJob: {
        description: "A job as it is now; the event stream (GET /v1/events) says when it changes. A UUID is matched in any letter case.",
        responses: { 200: { description: "The job, as it is now." }, 404: notFound },
    },
    cancelJob: {
        description: "A pending job is cancelled at once. For a running one the request is recorded and its handler's AbortSignal fires, in whichever process runs it; the answer waits up to 3 s for the job to stop, then shows it as it is.",
        responses: {
            200: {
                description: "The job as it is now, and in the message what happened: cancelled, still running until its handler stops, or ended before it could be cancelled.",
            },
            404: notFound,
            409: {
                description: "The job has already ended (completed, failed or cancelled); nothing was written.",
                error: {
                    code: "CONFLICT",
                    message: "Job is already completed; only pending or running jobs can be cancelled",
                },
            },
            ...unwantedBody,
        },
    },
    retryJob: {
        description: "A new job with the original's type and payload, and its type's current maxAttempts and timeout; the original stays as it was. With a body (§15, retry with changes), the payload, queue, priority, runAt, tags and metadata it names replace the original's; an absent field keeps the original's value, and runAt absent means now. The new job's retryOf names the original either way. Takes an Idempotency-Key as POST /v1/jobs does; the body is part of what a repeat must match.",
        body: "Optional: the changes, each checked as on create (the payload against the original's type). No body, or {}, retries the job as it was.",
        isBodyOptional: true,
        responses: {
            201: {
                description: "Created: the new job, `pending`, with its URL in Location. For a request already answered under the same Idempotency-Key: that first answer again, with Idempotent-Replayed: true.",
            },
            400: {
                description: "A change that create would refuse (each named in details: a payload its type refuses, a bad queue name, priority or runAt, bad tags or metadata), an unknown field, a malformed Idempotency-Key, or a body that is not valid JSON. Nothing is written.",
                error: {
                    code: "VALIDATION_FAILED",
                    message: "priority: must be between -100 and 100",
                    details: [{ path: "priority", message: "must be between -100 and 100" }],
                },
            },
            404: notFound,
            409: {
                description: "The original has not ended yet, its type is no longer registered, or its kept payload no longer fits the type's schema; or an Idempotency-Key conflict (the same key with another body, or while the first request is in flight).",
                error: {
                    code: "CONFLICT",
                    message: "Job is still running; only completed, failed or cancelled jobs can be retried",
                },
            },
            413: {
                description: "The body is larger than 1 MiB.",
                error: { code: "PAYLOAD_TOO_LARGE", message: "Request body is larger than 1 MiB" },
            },
            415: {
                description: "A body was sent whose Content-Type is not application/json, or whose charset or Content-Encoding is not supported.",
                error: { code: "UNSUPPORTED_MEDIA_TYPE", message: "Content-Type must be application/json" },
            },
        },
    },
    getJobArtifact: {
        description: "The bytes a job stored beside its result: the picture of an image.thumbnail job, or whatever a custom job type stores, in its own media type. Any API process on the database can serve it.",
        responses: {
            200: {
                description: "The artifact's bytes with their own Content-Type: image/png, image/jpeg or image/webp for image.thumbnail; any media type a custom job type stores (text/csv, application/pdf, …). It never changes once written.",
                content: { "image/png": binary, "image/jpeg": binary, "image/webp": binary, "*/*": binary },
                headers: {
                    "Cache-Control": {
                        description: "Artifacts never change once written.",
                        required: true,
                        schema: { type: "string" },
                        example: "private, max-age=31536000, immutable",
                    },
                },
            },
            404: {
                description: "No such job for this caller (as GET /v1/jobs/{jobId}), or the job has no artifact: not completed yet, or a type that makes none.",
                error: { code: "NOT_FOUND", message: "This job has no artifact" },
            },
        },
    },
    listJobTypes: {
        description: "The types this server runs: the built-in ones and those a JOB_TYPES_MODULE adds. A job's `type` must be one of them.",
        responses: {
            200: {
                description: "Every registered job type, built-in or added, with the JSON Schema its payload must fit, so clients can check a payload before sending it.",
            },
        },
    },
    listQueues: {
        description: "Keyset pages over the caller's queues, by name (code point order): `limit` at a time; walking every page with `cursor` yields each queue once. The cursor is bound to the user. Other parameters are a 400.",
        responses: {
            200: {
                description: "One page: at most `limit` queues with their settings and counts; `pagination.nextCursor` is null on the last page; `isPartial` is always false here.",
            },
            400: {
                description: "`limit` missing or not 1–100, an unknown parameter (VALIDATION_FAILED), or a cursor this list did not issue to this user (INVALID_CURSOR).",
                error: {
                    code: "VALIDATION_FAILED",
                    message: "limit: must be an integer between 1 and 100",
                    details: [{ path: "limit", message: "must be an integer between 1 and 100" }],
                },
            },
        },
    },
    getQueue: {
        description: "The queue's settings, pause switch and counts now. Its ETag covers the settings and isPaused, not the counts, so conditional GETs (If-None-Match) are not answered 304: every answer is a 200 with the counts as they are.",
        responses: {
            200: queueAnswer("The queue, with its ETag."),
            404: queueNotFound,
        },
    },
    putQueue: {
        description: "Sets the four settings (each required; null = no limit), creating the queue if it does not exist. Lowering a limit never stops a running job; it applies from the next start. With If-Match, the change is made only if the queue still has that ETag (`*`: only if it exists).",
        body: "The queue's four settings: concurrency, perKeyConcurrency, rateLimit and perKeyRateLimit, each required, null for no limit.",
        responses: {
            200: queueAnswer("The queue as it is now, with its new ETag."),
            400: {
                description: "The name does not match ^[a-z0-9][a-z0-9._-]{0,63}$, or the body is refused: a missing or unknown field, a limit below 1, a periodMs outside 1000–86400000, not valid JSON. Nothing was written.",
                error: {
                    code: "VALIDATION_FAILED",
                    message: "rateLimit.periodMs: must be between 1000 and 86400000",
                    details: [{ path: "rateLimit.periodMs", message: "must be between 1000 and 86400000" }],
                },
            },
            412: {
                description: "If-Match was sent and the queue has changed since that ETag, or does not exist (or the header is not one of its ETags). Nothing was written: GET the queue and decide again.",
                error: {
                    code: "PRECONDITION_FAILED",
                    message: "The queue has changed since this ETag, or does not exist",
                    details: [{ path: "if-match", message: "does not match the queue's current ETag" }],
                },
            },
            413: unwantedBody[413],
            415: {
                description: "The body's Content-Type is not application/json, or its charset or Content-Encoding is not supported.",
                error: { code: "UNSUPPORTED_MEDIA_TYPE", message: "Content-Type must be application/json" },
            },
        },
    },
    pauseQueue: {
        description: "Once this has answered, no job of the queue starts until it is resumed; running jobs go on, and jobs can still be created in it. Creates the queue (with no limits) if it does not exist yet.",
        responses: {
            200: queueAnswer("The queue, paused, with its new ETag."),
            400: badQueueName,
            413: unwantedBody[413],
            415: unwantedBody[415],
        },
    },
    resumeQueue: {
        description: "Jobs of the queue may start again, within its limits. Creates the queue (with no limits) if it does not exist yet.",
        responses: {
            200: queueAnswer("The queue, resumed, with its new ETag."),
            400: badQueueName,
            413: unwantedBody[413],
            415: unwantedBody[415],
        },
    },
    ...SCHEDULE_WORDS,
    ...WEBHOOK_WORDS,
    ...BULK_OPERATION_WORDS,
    ...ATTEMPT_WORDS,
    ...RETENTION_WORDS,
};
//# sourceMappingURL=operations.js.map