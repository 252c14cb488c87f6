import { z } from "zod";
import { fetchGuarded } from "../net/outbound-http.js";
import { defineJobType, RetryableJobError } from "./types.js";
export const HTTP_TIMEOUT_MAX_MS = 60_000;
export const HTTP_TIMEOUT_DEFAULT_MS = 30_000;
export const HTTP_MAX_RESPONSE_BYTES = 1024 * 1024;
export const HTTP_MAX_REDIRECTS = 5;
// A regex, not a refine: zod-to-json-schema publishes it as `pattern`, so clients can check it too.
const httpUrl = z
    .string()
    .url("must be an absolute URL")
    .regex(/^https?:\/\//i, "must be an http or https URL");
const HttpRequestPayloadSchema = z
    .object({
    url: httpUrl,
    method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]).default("GET"),
    headers: z.record(z.string()).optional(),
    body: z.string().optional(),
    timeoutMs: z.number().int().min(1).max(HTTP_TIMEOUT_MAX_MS).optional(),
})
    .strict();
export function createHttpRequestJobType(options) {
    return defineJobType({
        type: "http.request",
        description: "Makes an HTTP request and returns status, headers and body (UTF-8 text, at most 1 MiB). " +
            "A network error, a timeout or a 5xx fails the attempt; up to 5 redirects are followed.",
        resultType: "json",
        payloadSchema: HttpRequestPayloadSchema,
        maxAttempts: 3,
        timeoutMs: HTTP_TIMEOUT_MAX_MS + 5_000,
        handler: async (payload, { signal, progress }) => {
            const response = await fetchGuarded({
                url: payload.url,
                method: payload.method,
                headers: payload.headers,
                body: payload.body,
                timeoutMs: payload.timeoutMs ?? HTTP_TIMEOUT_DEFAULT_MS,
                maxResponseBytes: HTTP_MAX_RESPONSE_BYTES,
                maxRedirects: HTTP_MAX_REDIRECTS,
                allowPrivate: options.allowPrivate,
                signal,
                onBytes: (read, total) => progress(read, total, "bytes read"),
            });
            if (response.status >= 500) {
                throw new RetryableJobError("HTTP_SERVER_ERROR", `${payload.method} ${response.url} answered ${response.status} ${response.statusText}`.trim());
            }
            return {
                result: {
                    status: response.status,
                    headers: response.headers,
                    // U+0000 cannot be stored in PostgreSQL's JSON; it is replaced on every database alike.
                    body: response.body.toString("utf8").replace(/\u0000/g, "\uFFFD"),
                },
            };
        },
    });
}
//# sourceMappingURL=http-request.js.map