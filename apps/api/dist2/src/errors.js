/** The one table from error code to HTTP status (docs/api.md §3.2). */
export const STATUS_BY_CODE = {
    VALIDATION_FAILED: 400,
    INVALID_CURSOR: 400,
    UNAUTHORIZED: 401,
    NOT_FOUND: 404,
    /** A path the OpenAPI document lists, with a method it does not (see http/allowed-methods.ts). */
    METHOD_NOT_ALLOWED: 405,
    /** Answered by Node's HTTP server (see http/server.ts): the client sent its request too slowly. */
    REQUEST_TIMEOUT: 408,
    CONFLICT: 409,
    PAYLOAD_TOO_LARGE: 413,
    UNSUPPORTED_MEDIA_TYPE: 415,
    /** An If-Match that no longer matches (§11). */
    PRECONDITION_FAILED: 412,
    RATE_LIMITED: 429,
    /** Answered by Node's HTTP server too: headers beyond MAX_HEADER_BYTES. */
    HEADERS_TOO_LARGE: 431,
    INTERNAL_ERROR: 500,
    UNAVAILABLE: 503,
};
/** An expected failure: it becomes the error body (docs/api.md §3.1) with the status of its code. */
export class AppError extends Error {
    code;
    details;
    headers;
    constructor(code, message, options = {}) {
        super(message, { cause: options.cause });
        this.name = "AppError";
        this.code = code;
        this.details = options.details;
        this.headers = options.headers ?? {};
    }
    get status() {
        return STATUS_BY_CODE[this.code];
    }
}
export const notFound = () => new AppError("NOT_FOUND", "Job not found");
export function validationFailed(details) {
    const first = details[0];
    const message = first
        ? first.path
            ? `${first.path}: ${first.message}`
            : first.message
        : "invalid request";
    return new AppError("VALIDATION_FAILED", message, { details });
}
//# sourceMappingURL=errors.js.map