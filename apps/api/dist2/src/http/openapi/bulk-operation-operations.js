import { headerRef } from "./components.js";
const operationNotFound = {
    description: "No such bulk operation for this caller: one that does not exist, another user's, and an id that is not a UUID all get this same answer.",
    error: { code: "NOT_FOUND", message: "Bulk operation not found" },
};
const bodyTooLarge = {
    description: "The body is larger than 1 MiB.",
    error: { code: "PAYLOAD_TOO_LARGE", message: "Request body is larger than 1 MiB" },
};
const bodyNotJson = {
    description: "The body's Content-Type is not application/json, or its charset or Content-Encoding is not supported.",
    error: { code: "UNSUPPORTED_MEDIA_TYPE", message: "Content-Type must be application/json" },
};
export const BULK_OPERATION_WORDS = {
    createBulkOperation: {
        description: "Selects the caller's jobs that `filter` (the list's query parameters as strings; `{}` = all) or `ids` name and that exist now, and cancels, retries or deletes them in the background, in chunks, in whatever process has time (also one with WORKER_CONCURRENCY=0). Each job is acted on at most once, also across crashes and restarts, and counted once as succeeded or skipped. `bulk-operation` events on GET /v1/events report progress at least once a second and once at the end. An Idempotency-Key is required, dry runs included.",
        body: "`action` and exactly one of `filter` and `ids`; `dryRun: true` only counts.",
        responses: {
            200: {
                description: "A dry run: how many jobs the operation would match now. Nothing was changed. For a dry run already answered under the same Idempotency-Key: that first answer again, with Idempotent-Replayed: true.",
            },
            202: {
                description: "Accepted: the operation, `running` (or `completed` at once when it matched nothing), with `matched` fixed; Location is its URL. For a request already answered under the same Idempotency-Key: that first answer again, with Idempotent-Replayed: true, and nothing started.",
                headers: { Location: headerRef("Location") },
            },
            400: {
                description: "The Idempotency-Key header is missing or malformed, the body is refused (an unknown action, both or neither of filter and ids, an unknown filter key or a value the list would refuse, more than 1,000 ids), or it is not valid JSON. Nothing was written.",
                error: {
                    code: "VALIDATION_FAILED",
                    message: "idempotency-key: is required",
                    details: [{ path: "idempotency-key", message: "is required" }],
                },
            },
            409: {
                description: "The Idempotency-Key was used with a different body, or its first request is still in flight. Nothing was written.",
                error: {
                    code: "CONFLICT",
                    message: "This Idempotency-Key was already used with a different request",
                },
            },
            413: bodyTooLarge,
            415: bodyNotJson,
        },
    },
    listBulkOperations: {
        description: "Keyset pages over the caller's bulk operations, newest first (createdAt, then id): `limit` at a time. The cursor is bound to the user. Other parameters are a 400.",
        responses: {
            200: {
                description: "One page: at most `limit` operations; `pagination.nextCursor` is null on the last page; `isPartial` is always false here.",
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
    getBulkOperation: {
        description: "The operation with its counts as they stand: processed = succeeded + skipped.",
        responses: { 200: { description: "The operation, with the counts it has now." }, 404: operationNotFound },
    },
    cancelBulkOperation: {
        description: "The operation stops before its next job (a chunk under way finishes first) and keeps its counts; jobs already acted on stay so.",
        responses: {
            200: { description: "The operation, now `cancelled`, with the counts it had when it stopped." },
            400: {
                description: "A body was sent (none is needed) and it is not valid JSON.",
                error: {
                    code: "VALIDATION_FAILED",
                    message: "body: is not valid JSON",
                    details: [{ path: "body", message: "is not valid JSON" }],
                },
            },
            404: operationNotFound,
            409: {
                description: "The operation has already ended (completed, cancelled or failed). Nothing was written.",
                error: {
                    code: "CONFLICT",
                    message: "Bulk operation is already completed; only a running one can be cancelled",
                },
            },
            413: bodyTooLarge,
            415: bodyNotJson,
        },
    },
};
//# sourceMappingURL=bulk-operation-operations.js.map