export const RETENTION_WORDS = {
    getRetention: {
        description: "How long the caller's ended jobs are kept after their finishedAt, in days per final status; null = kept forever. All null until the caller sets it.",
        responses: { 200: { description: "The caller's retention setting." } },
    },
    putRetention: {
        description: "Sets the caller's retention: all three fields required, each an integer 0–3,650 or null (kept forever). A sweep every RETENTION_SWEEP_MS (default 60 s) deletes the caller's ended jobs older than that, in small batches, with their artifacts, attempts, logs and events (0 = at the next sweep). Deleted jobs cannot be brought back.",
        body: "The setting: completed, failed and cancelled, each days (0–3,650) or null.",
        responses: {
            200: { description: "The setting as stored, which the next sweep applies." },
            400: {
                description: "A field missing, not an integer 0–3,650 or null, or an unknown field (each named in details); or a body that is not valid JSON. Nothing is written.",
                error: {
                    code: "VALIDATION_FAILED",
                    message: "failed: must be between 0 and 3650",
                    details: [{ path: "failed", message: "must be between 0 and 3650" }],
                },
            },
            413: {
                description: "The body is larger than 1 MiB.",
                error: { code: "PAYLOAD_TOO_LARGE", message: "Request body is larger than 1 MiB" },
            },
            415: {
                description: "The Content-Type is not application/json.",
                error: { code: "UNSUPPORTED_MEDIA_TYPE", message: "Content-Type must be application/json" },
            },
        },
    },
};
//# sourceMappingURL=retention-operations.js.map