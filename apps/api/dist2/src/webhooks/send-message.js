import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { PermanentJobError } from "../job-types/types.js";
import { isPublicAddress } from "../net/address-policy.js";
import { publicOnlyLookup } from "../net/outbound-http.js";
const USER_AGENT = "jobdeck-webhooks/1.0";
export function sendMessage({ url, body, headers, timeoutMs, allowPrivate, }) {
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, "");
    if (!allowPrivate && isIP(host) && !isPublicAddress(host))
        return Promise.resolve(refused(host, host));
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    return new Promise((resolve) => {
        let isSettled = false;
        const settle = (result) => {
            if (isSettled)
                return;
            isSettled = true;
            clearTimeout(timer);
            resolve(result);
        };
        const client = target.protocol === "https:" ? https : http;
        const request = client.request(target, {
            method: "POST",
            headers: {
                "content-type": "application/json",
                "content-length": String(Buffer.byteLength(body)),
                "user-agent": USER_AGENT,
                ...headers,
            },
            // A fresh connection per attempt: a pooled socket would skip the address check.
            agent: false,
            ...(allowPrivate ? {} : { lookup: publicOnlyLookup }),
        }, (response) => {
            const statusCode = response.statusCode ?? 0;
            response.resume();
            response.on("error", () => undefined);
            request.destroy();
            const isOk = statusCode >= 200 && statusCode < 300;
            settle({
                statusCode,
                durationMs: elapsed(),
                error: isOk ? null : { code: "HTTP_STATUS", message: `the receiver answered ${statusCode}` },
                isRefused: false,
            });
        });
        const timer = setTimeout(() => {
            settle({
                statusCode: null,
                durationMs: elapsed(),
                error: { code: "TIMEOUT", message: `no answer within ${timeoutMs} ms` },
                isRefused: false,
            });
            request.destroy();
        }, timeoutMs);
        request.on("error", (error) => {
            if (error instanceof PermanentJobError) {
                settle({ ...refusedError(error.message), durationMs: null });
                return;
            }
            settle({
                statusCode: null,
                durationMs: elapsed(),
                error: {
                    code: "NETWORK_ERROR",
                    message: `${target.origin} could not be reached: ${error.code ?? error.message}`,
                },
                isRefused: false,
            });
        });
        request.end(body);
    });
}
const refusedError = (message) => ({
    statusCode: null,
    durationMs: null,
    error: { code: "ADDRESS_NOT_ALLOWED", message },
    isRefused: true,
});
const refused = (host, address) => refusedError(`${host} resolves to ${address}, a loopback, private or otherwise non-public address, which webhooks may not reach`);
//# sourceMappingURL=send-message.js.map