import { EVENTS_PATH, JOB_EVENT, READY_EVENT } from "@jobdeck/contract";
import { commonResponse, errorContent, plainHeaders, probeSchema, responseHeaders } from "./components.js";
/**
 * The routes the contract does not hold, written as OpenAPI directly: the event stream (ts-rest
 * cannot model a stream; events/router.ts serves it) and the operational endpoints outside /v1
 * (http/health.ts, metrics/metrics.ts).
 */
const EVENT_STREAM_EXAMPLE = [
    "retry: 2000",
    ": connected",
    "",
    "id: 8",
    `event: ${READY_EVENT}`,
    "data: {}",
    "",
    "id: 9",
    `event: ${JOB_EVENT}`,
    'data: {"id":"01a23c14-df4c-7508-83f3-55c9d9e4a73a","type":"echo","status":"pending","resultType":"json","payload":{"hello":"world"},"result":null,"error":null,"attempts":0,"maxAttempts":3,"createdAt":"2026-12-03T13:25:03.583Z","updatedAt":"2026-12-03T13:25:03.583Z","startedAt":null,"finishedAt":null}',
    "",
    ": heartbeat",
    "",
    "",
].join("\n");
const eventStream = {
    get: {
        tags: ["events"],
        operationId: "streamEvents",
        summary: `Server-Sent Events: one \`${JOB_EVENT}\` event each time one of the caller's jobs changes`,
        description: [
            `Each change of one of the caller's jobs (created, started, sent back to pending for a retry, completed, failed, cancelled, handed back) is sent as \`event: ${JOB_EVENT}\`, with \`data:\` the Job as GET /v1/jobs/{jobId} shows it at that change and \`id:\` the event's id.`,
            `Without a usable Last-Event-ID the stream first sends \`event: ${READY_EVENT}\` with \`data: {}\`: no change, but its \`id\` is where to resume from, even before any job changes. With Last-Event-ID it first sends every event the caller missed (kept EVENT_RETENTION_HOURS), then live ones, each exactly once and in order.`,
            "The stream starts with `retry: 2000` and a comment; comment lines (`: heartbeat`) keep idle streams open. A browser's EventSource cannot send the Authorization header: use a fetch-based client. The query string takes the list's filters (§15: type, status, tag, metadata.<key>, payload.<path>, …, without limit, cursor and sorting), applied to `job` events, live and replayed; other kinds of events pass unfiltered.",
        ].join("\n\n"),
        security: [{ bearerAuth: [] }],
        parameters: [
            {
                name: "Last-Event-ID",
                in: "header",
                required: false,
                description: "The `id` of the last event received (decimal digits, at most 19, a 64-bit integer): the stream resumes after it. Blank is the same as absent.",
                schema: { type: "string", pattern: "^[0-9]{0,19}$" },
                example: "8",
            },
        ],
        responses: {
            "200": {
                description: `An event stream that stays open: \`${READY_EVENT}\` first unless resuming, then \`${JOB_EVENT}\` events whose data is a Job.`,
                headers: responseHeaders(200, { isIdempotent: false }),
                content: {
                    "text/event-stream": {
                        schema: {
                            type: "string",
                            description: `Server-Sent Events named \`${JOB_EVENT}\` (data: a Job) and \`${READY_EVENT}\` (data: {}).`,
                        },
                        example: EVENT_STREAM_EXAMPLE,
                    },
                },
            },
            "400": {
                description: "A Last-Event-ID that is not an id this stream sent, or a query parameter the list's filters would refuse.",
                headers: responseHeaders(400, { isIdempotent: false }),
                content: errorContent("VALIDATION_FAILED", "Last-Event-ID: must be the id of an event this stream sent", [{ path: "Last-Event-ID", message: "must be the id of an event this stream sent" }]),
            },
            "401": commonResponse(401),
            "429": commonResponse(429),
            "500": commonResponse(500),
            "503": commonResponse(503),
        },
    },
};
const health = {
    get: {
        tags: ["operations"],
        operationId: "getHealth",
        summary: "Whether the process answers (it does not ask the database)",
        description: "For a liveness probe: 200 while the process runs, whatever the database does.",
        security: [],
        responses: {
            "200": {
                description: "The process runs.",
                headers: plainHeaders(),
                content: {
                    "application/json": { schema: probeSchema("Health"), example: { success: true, status: "ok" } },
                },
            },
        },
    },
};
const readiness = {
    get: {
        tags: ["operations"],
        operationId: "getReadiness",
        summary: "Whether the process can serve: its database answers",
        description: "For a readiness probe: 200 once a query on the database succeeds, 503 while it cannot be reached.",
        security: [],
        responses: {
            "200": {
                description: "The database answers; `database` says which kind it is.",
                headers: plainHeaders(),
                content: {
                    "application/json": {
                        schema: probeSchema("Readiness"),
                        example: { success: true, status: "ready", database: "sqlite" },
                    },
                },
            },
            "503": commonResponse(503),
        },
    },
};
const metrics = {
    get: {
        tags: ["operations"],
        operationId: "getMetrics",
        summary: "Prometheus metrics: request latency by route and status, jobs by status, worker counters",
        description: "Open unless the server sets METRICS_TOKEN; then it needs `Authorization: Bearer <METRICS_TOKEN>`. Counters are per process: sum them across processes.",
        // Either no credentials (no METRICS_TOKEN configured) or the metrics token.
        security: [{}, { metricsToken: [] }],
        responses: {
            "200": {
                description: "The metrics, in Prometheus' text format.",
                headers: plainHeaders(),
                content: {
                    "text/plain": {
                        schema: { type: "string" },
                        example: '# HELP jobdeck_jobs Jobs in the database by status (all users)\n# TYPE jobdeck_jobs gauge\njobdeck_jobs{status="completed"} 3\n',
                    },
                },
            },
            "401": {
                description: "METRICS_TOKEN is set and the request did not send it.",
                headers: {
                    ...plainHeaders(),
                    "WWW-Authenticate": {
                        description: '`Bearer realm="jobdeck-metrics"`, with `error="invalid_token"` when a token was sent and refused.',
                        required: true,
                        schema: { type: "string" },
                        example: 'Bearer realm="jobdeck-metrics"',
                    },
                },
                content: errorContent("UNAUTHORIZED", "GET /metrics needs the metrics token"),
            },
        },
    },
};
export const outsideContractPaths = () => ({
    [EVENTS_PATH]: eventStream,
    "/healthz": health,
    "/readyz": readiness,
    "/metrics": metrics,
});
//# sourceMappingURL=outside-contract.js.map