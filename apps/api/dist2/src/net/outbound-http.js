import { lookup as dnsLookup } from "node:dns";
import http, {} from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { PermanentJobError, RetryableJobError } from "../job-types/types.js";
import { isPublicAddress } from "./address-policy.js";
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NOT_ALLOWED = "ADDRESS_NOT_ALLOWED";
const USER_AGENT = "jobdeck/1.0 (+https://github.com/jobdeck)";
const notAllowed = (host, address) => new PermanentJobError(NOT_ALLOWED, `${host} resolves to ${address}, a loopback, private or otherwise non-public address, which jobs may not reach`);
/** dns.lookup that refuses to hand a non-public address to the socket (webhooks/ sends with it too). */
export const publicOnlyLookup = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) {
            callback(error, "", 0);
            return;
        }
        const refused = addresses.find((entry) => !isPublicAddress(entry.address));
        if (refused) {
            callback(notAllowed(hostname, refused.address), "", 0);
            return;
        }
        if (options.all) {
            callback(null, addresses);
            return;
        }
        const first = addresses[0];
        if (!first) {
            callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 0);
            return;
        }
        callback(null, first.address, first.family);
    });
};
function parseUrl(raw, base) {
    let url;
    try {
        url = new URL(raw, base);
    }
    catch {
        throw new PermanentJobError("INVALID_URL", `${raw} is not a valid URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new PermanentJobError("INVALID_URL", `${url.protocol} URLs are not followed; only http and https`);
    }
    return url;
}
function flattenHeaders(message) {
    const headers = {};
    for (const [name, value] of Object.entries(message.headers)) {
        if (value !== undefined)
            headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    return headers;
}
function networkError(url, error) {
    if (error instanceof PermanentJobError)
        return error;
    const cause = error;
    const detail = typeof cause.code === "string" ? cause.code : String(cause.message ?? error);
    return new RetryableJobError("NETWORK_ERROR", `${url.origin} could not be reached: ${detail}`, {
        cause: error,
    });
}
function requestOnce(url, init, options) {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    // A literal address never goes through lookup: check it here.
    if (!options.allowPrivate && isIP(host) && !isPublicAddress(host)) {
        return Promise.reject(notAllowed(host, host));
    }
    return new Promise((resolve, reject) => {
        const client = url.protocol === "https:" ? https : http;
        const request = client.request(url, {
            method: init.method,
            headers: init.headers,
            signal: options.signal,
            // A fresh connection per request: pooled sockets would skip the address check on reuse.
            agent: false,
            ...(options.allowPrivate ? {} : { lookup: publicOnlyLookup }),
        }, (response) => {
            const status = response.statusCode ?? 0;
            const headers = flattenHeaders(response);
            if (REDIRECTS.has(status)) {
                response.resume();
                resolve({ status, statusText: response.statusMessage ?? "", headers, body: Buffer.alloc(0) });
                return;
            }
            const declared = Number(response.headers["content-length"]);
            const tooLarge = () => new PermanentJobError("RESPONSE_TOO_LARGE", `the response body is larger than ${options.maxResponseBytes} bytes`);
            if (Number.isFinite(declared) && declared > options.maxResponseBytes) {
                request.destroy();
                reject(tooLarge());
                return;
            }
            const chunks = [];
            let size = 0;
            response.on("data", (chunk) => {
                size += chunk.length;
                if (size > options.maxResponseBytes) {
                    request.destroy();
                    reject(tooLarge());
                    return;
                }
                chunks.push(chunk);
                options.onBytes?.(size, Number.isFinite(declared) ? declared : null);
            });
            response.on("end", () => resolve({ status, statusText: response.statusMessage ?? "", headers, body: Buffer.concat(chunks) }));
            response.on("error", (error) => reject(networkError(url, error)));
        });
        request.on("error", (error) => {
            if (options.signal.aborted)
                reject(options.signal.reason);
            else
                reject(networkError(url, error));
        });
        request.end(init.body);
    });
}
/** Follows up to `maxRedirects` redirects, checking each hop; see the module comment. */
export async function fetchGuarded(input) {
    const deadline = AbortSignal.timeout(input.timeoutMs);
    const signal = AbortSignal.any([input.signal, deadline]);
    let url = parseUrl(input.url);
    let method = input.method.toUpperCase();
    let body = method === "GET" || method === "HEAD" ? undefined : input.body;
    let headers = { "user-agent": USER_AGENT, ...lowercaseKeys(input.headers ?? {}) };
    for (let hop = 0;; hop++) {
        let answer;
        try {
            answer = await requestOnce(url, { method, headers, body }, {
                allowPrivate: input.allowPrivate,
                maxResponseBytes: input.maxResponseBytes,
                signal,
                onBytes: input.onBytes,
            });
        }
        catch (error) {
            if (deadline.aborted && !input.signal.aborted) {
                throw new RetryableJobError("TIMEOUT", `${url.origin} gave no complete answer within ${input.timeoutMs} ms`);
            }
            throw error;
        }
        const location = answer.headers.location;
        if (!REDIRECTS.has(answer.status) || !location)
            return { ...answer, url: url.toString() };
        if (hop >= input.maxRedirects) {
            throw new PermanentJobError("TOO_MANY_REDIRECTS", `more than ${input.maxRedirects} redirects, last to ${location}`);
        }
        const next = parseUrl(location, url);
        // As browsers do: 303 always, and 301/302 after a POST, continue as a GET without the body.
        if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === "POST")) {
            if (method !== "HEAD")
                method = "GET";
            body = undefined;
            headers = withoutKeys(headers, ["content-type", "content-length"]);
        }
        // Credentials meant for one origin are not handed to another.
        if (next.origin !== url.origin)
            headers = withoutKeys(headers, ["authorization", "cookie"]);
        url = next;
    }
}
function lowercaseKeys(headers) {
    return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
function withoutKeys(headers, names) {
    return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name)));
}
//# sourceMappingURL=outbound-http.js.map