const notFound = {
    description: "No such job for this caller: one that does not exist, another user's, and an id that is not a UUID all get this same answer.",
    error: { code: "NOT_FOUND", message: "Job not found" },
};
export const ATTEMPT_WORDS = {
    listJobAttempts: {
        description: "Every attempt of the job, oldest first, not only the last: when it started and ended, the worker that ran it, how it ended (running, completed, failed, timed_out, cancelled, lease_expired, handed_back) and its error. A hand-back is not counted, so the next attempt has the same number.",
        responses: { 200: { description: "The job's attempts, oldest first." }, 404: notFound },
    },
    listJobLogs: {
        description: "Keyset pages over the job's log lines, oldest first; `seq` rises across attempts. `level` keeps lines of those levels. The cursor is bound to the user, the job and `level`. `droppedLines` counts the lines past the job's cap (10,000 lines, 1 MiB). GET /v1/events sends each new line as a `log` event.",
        responses: {
            200: { description: "One page of the job's log lines, and how many lines the cap dropped." },
            400: {
                description: "`limit` missing or not 1–100, an unknown `level`, an unknown parameter (VALIDATION_FAILED), or a cursor this list did not issue for this user, job and level (INVALID_CURSOR).",
                error: {
                    code: "VALIDATION_FAILED",
                    message: "limit: must be an integer between 1 and 100",
                    details: [{ path: "limit", message: "must be an integer between 1 and 100" }],
                },
            },
            404: notFound,
        },
    },
};
//# sourceMappingURL=attempt-operations.js.map