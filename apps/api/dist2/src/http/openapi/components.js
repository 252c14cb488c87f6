/**
 * What many operations of the OpenAPI document share and zod cannot say: the response headers, the
 * error answers every /v1 route can give, security schemes and tags. The contract's named schemas
 * (Job, ErrorBody, …) are added by @ts-rest/open-api from their titles.
 */
const ref = (kind, name) => ({
    $ref: `#/components/${kind}/${name}`,
});
const REQUEST_ID_EXAMPLE = "3ecc5db3-1866-4b44-b3c3-ff9a1d6d7818";
/** An error answer's body as an example: the error body of docs/api.md §3.1. */
export function errorExample(error) {
    return { success: false, error, requestId: REQUEST_ID_EXAMPLE };
}
/** An error answer's content: the one error body, with an example of this status. */
export function errorContent(code, message, details) {
    const media = {
        schema: ref("schemas", "ErrorBody"),
        example: errorExample({ code, message, ...(details ? { details } : {}) }),
    };
    return { "application/json": media };
}
const stringHeader = (description, example, isRequired = true) => ({
    description,
    ...(isRequired ? { required: true } : {}),
    schema: { type: "string" },
    example,
});
/** Response headers by name; `responseHeaders` says which answers carry which. */
const HEADERS = {
    "X-Request-Id": stringHeader("The request's own X-Request-Id when it is 1–200 visible ASCII characters, else a new UUID. Error bodies repeat it as `requestId`; logs carry it.", REQUEST_ID_EXAMPLE),
    RateLimit: stringHeader('The limit that applied (IETF draft 8): `"per-user"; r=<remaining>; t=<seconds until the window ends>`, or `"per-address"` before authentication.', '"per-user"; r=599; t=60'),
    "RateLimit-Policy": stringHeader('The policy of that limit: `"per-user"; q=<limit>; w=60; pk=<partition key>`.', '"per-user"; q=600; w=60; pk=:MmJkODA2Yzk3ZjBl:'),
    Location: stringHeader("The URL of what this request created: `/v1/jobs/{jobId}` for a job; for a batch, the first page of its jobs, `/v1/jobs?batchId={batchId}&limit=100`.", "/v1/jobs/01a23c14-75dd-7328-a0b2-20ec35b135c7"),
    "Idempotent-Replayed": {
        description: "`true` when this is the stored answer of an earlier request with the same Idempotency-Key: nothing was created this time.",
        schema: { type: "string", enum: ["true"] },
    },
    "WWW-Authenticate": stringHeader('The Bearer challenge (RFC 6750): `Bearer realm="jobdeck"` when no Bearer token was sent, `Bearer realm="jobdeck", error="invalid_token"` when the token was refused.', 'Bearer realm="jobdeck", error="invalid_token"'),
    ETag: stringHeader("The queue's version as a strong ETag: it covers the four settings and isPaused, not counts or oldestPendingAt. Send it back as If-Match to change the queue only if nobody changed it since.", '"3"'),
    Deduplicated: {
        description: "`true`: a pending job already held this dedupeKey, and this is that job (§11's dedupe).",
        required: true,
        schema: { type: "string", enum: ["true"] },
    },
    "Retry-After": {
        description: "Seconds to wait before sending the request again.",
        required: true,
        schema: { type: "integer", minimum: 0 },
        example: 1,
    },
};
/** A reference to one of the shared response headers, for an answer that carries it. */
export const headerRef = (name) => ref("headers", name);
const headers = (...names) => Object.fromEntries(names.map((name) => [name, ref("headers", name)]));
/**
 * The headers of an answer of a /v1 route (docs/api.md §3.4, §10): every answer has X-Request-Id
 * and the rate limit that applied; a 201 names what it created, and on a route that takes an
 * Idempotency-Key a 201 or 202 may be a replay.
 */
export function responseHeaders(status, { isIdempotent }) {
    const names = ["X-Request-Id", "RateLimit", "RateLimit-Policy"];
    if (status === 201)
        names.push("Location");
    if ((status === 201 || status === 202) && isIdempotent)
        names.push("Idempotent-Replayed");
    return headers(...names);
}
/** The answers of routes outside /v1, which are not rate limited. */
export const plainHeaders = () => headers("X-Request-Id");
/** The error answers every /v1 route can give, by status: referenced, not repeated. */
export const COMMON_RESPONSES = {
    401: "Unauthorized",
    429: "RateLimited",
    500: "InternalError",
    503: "Unavailable",
};
export const commonResponse = (status) => ref("responses", COMMON_RESPONSES[status]);
const RESPONSES = {
    Unauthorized: {
        description: "Authentication failed: no `Authorization: Bearer <JWT>`, or a token refused (bad signature, expired, not yet valid, no `exp` or `sub`, wrong algorithm, issuer or audience). Authentication comes before anything else, so even an unknown /v1 path answers this without a valid token.",
        headers: headers("X-Request-Id", "WWW-Authenticate", "RateLimit", "RateLimit-Policy"),
        content: errorContent("UNAUTHORIZED", "Token has expired"),
    },
    RateLimited: {
        description: "Over the rate limit: RATE_LIMIT_PER_MINUTE requests per user per fixed minute, or as many failed authentications per client address. Wait Retry-After seconds.",
        headers: headers("X-Request-Id", "Retry-After", "RateLimit", "RateLimit-Policy"),
        content: errorContent("RATE_LIMITED", "Too many requests; retry after 60 s"),
    },
    InternalError: {
        description: "A bug on the server's side. The body never carries a stack trace, SQL or a file path.",
        headers: headers("X-Request-Id"),
        content: errorContent("INTERNAL_ERROR", "Something went wrong on our side"),
    },
    Unavailable: {
        description: "The database cannot be reached. Nothing was written: send the request again after Retry-After seconds.",
        headers: headers("X-Request-Id", "Retry-After"),
        content: errorContent("UNAVAILABLE", "The database cannot be reached; try again shortly"),
    },
};
/** The answers of health and readiness probes (outside the contract, which holds /v1 only). */
export const PROBE_SCHEMAS = {
    Health: {
        type: "object",
        properties: {
            success: { type: "boolean", enum: [true] },
            status: { type: "string", enum: ["ok"] },
        },
        required: ["success", "status"],
        additionalProperties: false,
    },
    Readiness: {
        type: "object",
        properties: {
            success: { type: "boolean", enum: [true] },
            status: { type: "string", enum: ["ready"] },
            database: { type: "string", enum: ["sqlite", "postgresql"] },
        },
        required: ["success", "status", "database"],
        additionalProperties: false,
    },
};
export const probeSchema = (name) => ref("schemas", name);
export const COMPONENTS = {
    securitySchemes: {
        bearerAuth: {
            type: "http",
            scheme: "bearer",
            bearerFormat: "JWT",
            description: "A JWT whose `sub` is the user id (`npm run -s token -- --sub alice` mints one).",
        },
        metricsToken: {
            type: "http",
            scheme: "bearer",
            description: "METRICS_TOKEN, when the server sets one.",
        },
    },
    headers: HEADERS,
    responses: RESPONSES,
    // No `schemas` here: @ts-rest/open-api would let them replace the contract's named schemas.
};
export const TAGS = [
    { name: "jobs", description: "Submit, list, watch, cancel and retry the caller's jobs." },
    {
        name: "queues",
        description: "The caller's queues: their limits (concurrency, rate), their pause switch and what waits in them.",
    },
    { name: "events", description: "Live changes of the caller's jobs, as Server-Sent Events." },
    { name: "operations", description: "Health, readiness and metrics: no user token." },
];
//# sourceMappingURL=components.js.map