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
const scheduleNotFound = {
    description: "No such schedule for this caller: one that does not exist, another user's, and an id that is not a UUID all get this same answer.",
    error: { code: "NOT_FOUND", message: "Schedule not found" },
};
/** POST and PUT take the same body and refuse it alike. */
const badScheduleBody = {
    description: "The body is refused: a missing or unknown field, a cron expression that is not Vixie cron with 5 fields or 6 with seconds first (path `cron`), a time zone that is not an IANA one (path `timezone`), an unknown job type or a payload its type refuses (as POST /v1/jobs), a queue or priority outside §11's rules, not valid JSON. Nothing was written.",
    error: {
        code: "VALIDATION_FAILED",
        message: 'cron: day of month field "L": L, W, # and ? are not part of Vixie cron',
        details: [{ path: "cron", message: 'day of month field "L": L, W, # and ? are not part of Vixie cron' }],
    },
};
const scheduleNameTaken = {
    description: "Another of the caller's schedules has this name. Nothing was written.",
    error: {
        code: "CONFLICT",
        message: 'A schedule named "nightly-report" already exists',
        details: [{ path: "name", message: "is taken by another of your schedules" }],
    },
};
const scheduleBodyTooLarge = {
    description: "The body is larger than 1 MiB.",
    error: { code: "PAYLOAD_TOO_LARGE", message: "Request body is larger than 1 MiB" },
};
const scheduleBodyNotJson = {
    description: "The body's Content-Type is not application/json, or its charset or Content-Encoding is not supported.",
    error: { code: "UNSUPPORTED_MEDIA_TYPE", message: "Content-Type must be application/json" },
};
export const SCHEDULE_WORDS = {
    listSchedules: {
        description: "Keyset pages over the caller's schedules, newest first (createdAt, then id): `limit` at a time; walking every page with `cursor` yields each schedule once. The cursor is bound to the user. Other parameters are a 400.",
        responses: {
            200: {
                description: "One page: at most `limit` schedules; `pagination.nextCursor` is null on the last page; `isPartial` is always false here.",
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
    createSchedule: {
        description: "The schedule runs at once: every process that runs jobs makes its job at each fire time of `cron` on `timezone`'s wall clock, exactly one per fire time, with runAt = the fire time and scheduleId set. nextRunAt is the first fire time after now.",
        body: "The schedule: name, cron, type and payload required; timezone, queue, priority, overlap and catchUp optional.",
        responses: {
            201: { description: "The schedule, with its first nextRunAt." },
            400: badScheduleBody,
            409: scheduleNameTaken,
            413: scheduleBodyTooLarge,
            415: scheduleBodyNotJson,
        },
    },
    getSchedule: {
        description: "The schedule with its next fire time and the last job it made.",
        responses: { 200: { description: "The schedule, with its next fire time." }, 404: scheduleNotFound },
    },
    putSchedule: {
        description: "Replaces the settings with POST's body (an omitted optional field takes its default). nextRunAt is computed again from now (null while paused); lastRunAt, lastJobId and isPaused stay.",
        body: "The schedule's settings, as for POST /v1/schedules.",
        responses: {
            200: { description: "The schedule as it is now." },
            400: badScheduleBody,
            404: scheduleNotFound,
            409: scheduleNameTaken,
            413: scheduleBodyTooLarge,
            415: scheduleBodyNotJson,
        },
    },
    deleteSchedule: {
        description: "The schedule makes no more jobs; the jobs it made stay, with their scheduleId.",
        responses: {
            204: { description: "Deleted; no body." },
            404: scheduleNotFound,
            400: unwantedBody[400],
            413: unwantedBody[413],
            415: unwantedBody[415],
        },
    },
    pauseSchedule: {
        description: "Once this has answered, the schedule makes no job until it is resumed; nextRunAt is null meanwhile.",
        responses: {
            200: { description: "The schedule, paused." },
            404: scheduleNotFound,
            400: unwantedBody[400],
            413: unwantedBody[413],
            415: unwantedBody[415],
        },
    },
    resumeSchedule: {
        description: "The schedule fires again from the first fire time after now; the times that passed while it was paused make no job.",
        responses: {
            200: { description: "The schedule, running, with its nextRunAt." },
            404: scheduleNotFound,
            400: unwantedBody[400],
            413: unwantedBody[413],
            415: unwantedBody[415],
        },
    },
    triggerSchedule: {
        description: "Makes the schedule's job now, also while it is paused. nextRunAt does not move; the job becomes the schedule's last job (lastJobId, lastRunAt = now), which overlap skip looks at.",
        responses: {
            201: { description: "The new job, with scheduleId set." },
            404: scheduleNotFound,
            400: unwantedBody[400],
            413: unwantedBody[413],
            415: unwantedBody[415],
        },
    },
};
//# sourceMappingURL=schedule-operations.js.map