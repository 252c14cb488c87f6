import { isDatabaseUnavailable } from "../db/unavailable.js";
import { AppError } from "../errors.js";
import { requestIdOf } from "./request-id.js";
/** body-parser marks its errors with a `type`; these are the client's fault, not ours. */
function fromBodyParser(error) {
    switch (error.type) {
        case "entity.too.large":
            // The route's own limit: 1 MiB, or 8 MiB for a batch (http/json-body.ts).
            return new AppError("PAYLOAD_TOO_LARGE", `Request body is larger than ${typeof error.limit === "number" ? error.limit / (1024 * 1024) : 1} MiB`);
        case "entity.parse.failed":
            return new AppError("VALIDATION_FAILED", "body: is not valid JSON", {
                details: [{ path: "body", message: "is not valid JSON" }],
            });
        case "encoding.unsupported":
            return new AppError("UNSUPPORTED_MEDIA_TYPE", "Content-Encoding must be identity, gzip or deflate");
        case "charset.unsupported":
            return new AppError("UNSUPPORTED_MEDIA_TYPE", "Request body must be UTF-8 JSON");
        case "request.aborted":
        case "request.size.invalid":
        case "stream.encoding.set":
            return new AppError("VALIDATION_FAILED", "body: could not be read", {
                details: [{ path: "body", message: "could not be read" }],
            });
        default:
            return undefined;
    }
}
/** zlib's own errors (Z_DATA_ERROR, Z_BUF_ERROR): a body sent as gzip or deflate that is not. */
const isBadCompressedBody = (error) => {
    const code = error.code;
    return typeof code === "string" && code.startsWith("Z_");
};
export function toAppError(error) {
    if (error instanceof AppError)
        return error;
    if (error && typeof error === "object" && "type" in error) {
        const mapped = fromBodyParser(error);
        if (mapped)
            return mapped;
    }
    if (error && typeof error === "object" && isBadCompressedBody(error)) {
        return new AppError("VALIDATION_FAILED", "body: could not be decompressed as its Content-Encoding says", {
            details: [{ path: "body", message: "could not be decompressed as its Content-Encoding says" }],
        });
    }
    if (isDatabaseUnavailable(error)) {
        return new AppError("UNAVAILABLE", "The database cannot be reached; try again shortly", {
            headers: { "Retry-After": "1" },
            cause: error,
        });
    }
    return new AppError("INTERNAL_ERROR", "Something went wrong on our side", { cause: error });
}
export function errorBody(error, requestId) {
    return {
        success: false,
        error: {
            code: error.code,
            message: error.message,
            ...(error.details ? { details: error.details } : {}),
        },
        requestId,
    };
}
/** The one place errors become responses: expected ones are logged at warn, bugs at error. */
export function errorHandler(logger) {
    return (error, req, res, next) => {
        if (res.headersSent) {
            next(error);
            return;
        }
        const appError = toAppError(error);
        const requestId = requestIdOf(res);
        if (appError.code === "INTERNAL_ERROR") {
            logger.error({ err: error, requestId, method: req.method, url: req.originalUrl }, "request failed");
        }
        else if (appError.code === "UNAVAILABLE") {
            logger.warn({ err: error, requestId }, "database unavailable");
        }
        res.locals.errorCode = appError.code;
        for (const [name, value] of Object.entries(appError.headers))
            res.setHeader(name, value);
        res.status(appError.status).json(errorBody(appError, requestId));
    };
}
export const notFoundHandler = (_req, _res, next) => {
    next(new AppError("NOT_FOUND", "No such route"));
};
//# sourceMappingURL=error-handler.js.map