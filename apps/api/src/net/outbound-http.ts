import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { PermanentJobError, RetryableJobError } from "../job-types/types.js";
import { isPublicAddress } from "./address-policy.js";

/**
 * HTTP requests that jobs make on a user's behalf (http.request, image.thumbnail's http(s) sources).
 * Unless private addresses are allowed, every hop's address is checked where the socket connects
 * (a lookup hook, so a name cannot resolve to one address when checked and another when used);
 * redirects are followed by hand, a few at most, each one checked again; the response is read up
 * to a size limit; and the whole exchange has a deadline.
 */

export type OutboundRequest = {
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  maxResponseBytes: number;
  maxRedirects: number;
  allowPrivate: boolean;
  /** The job's signal: cancellation, its own timeout, lease loss, shutdown. */
  signal: AbortSignal;
  /** Told the body's bytes read so far, and its Content-Length when declared (a job's progress, §14). */
  onBytes?: ((read: number, total: number | null) => void) | undefined;
};

export type OutboundResponse = {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: string;
};

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NOT_ALLOWED = "ADDRESS_NOT_ALLOWED";
const USER_AGENT = "jobdeck/1.0 (+https://github.com/jobdeck)";

const notAllowed = (host: string, address: string) =>
  new PermanentJobError(
    NOT_ALLOWED,
    `${host} resolves to ${address}, a loopback, private or otherwise non-public address, which jobs may not reach`,
  );

/** dns.lookup that refuses to hand a non-public address to the socket (webhooks/ sends with it too). */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
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
      (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
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

function parseUrl(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new PermanentJobError("INVALID_URL", `${raw} is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new PermanentJobError("INVALID_URL", `${url.protocol} URLs are not followed; only http and https`);
  }
  return url;
}

function flattenHeaders(message: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function networkError(url: URL, error: unknown): Error {
  if (error instanceof PermanentJobError) return error;
  const cause = error as { code?: unknown; message?: unknown };
  const detail = typeof cause.code === "string" ? cause.code : String(cause.message ?? error);
  return new RetryableJobError("NETWORK_ERROR", `${url.origin} could not be reached: ${detail}`, {
    cause: error,
  });
}

type Hop = { status: number; statusText: string; headers: Record<string, string>; body: Buffer };

function requestOnce(
  url: URL,
  init: { method: string; headers: Record<string, string>; body: string | undefined },
  options: {
    allowPrivate: boolean;
    maxResponseBytes: number;
    signal: AbortSignal;
    onBytes?: OutboundRequest["onBytes"];
  },
): Promise<Hop> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  // A literal address never goes through lookup: check it here.
  if (!options.allowPrivate && isIP(host) && !isPublicAddress(host)) {
    return Promise.reject(notAllowed(host, host));
  }
  return new Promise<Hop>((resolve, reject) => {
    const client = url.protocol === "https:" ? https : http;
    const request = client.request(
      url,
      {
        method: init.method,
        headers: init.headers,
        signal: options.signal,
        // A fresh connection per request: pooled sockets would skip the address check on reuse.
        agent: false,
        ...(options.allowPrivate ? {} : { lookup: publicOnlyLookup }),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const headers = flattenHeaders(response);
        if (REDIRECTS.has(status)) {
          response.resume();
          resolve({ status, statusText: response.statusMessage ?? "", headers, body: Buffer.alloc(0) });
          return;
        }
        const declared = Number(response.headers["content-length"]);
        const tooLarge = () =>
          new PermanentJobError(
            "RESPONSE_TOO_LARGE",
            `the response body is larger than ${options.maxResponseBytes} bytes`,
          );
        if (Number.isFinite(declared) && declared > options.maxResponseBytes) {
          request.destroy();
          reject(tooLarge());
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxResponseBytes) {
            request.destroy();
            reject(tooLarge());
            return;
          }
          chunks.push(chunk);
          options.onBytes?.(size, Number.isFinite(declared) ? declared : null);
        });
        response.on("end", () =>
          resolve({ status, statusText: response.statusMessage ?? "", headers, body: Buffer.concat(chunks) }),
        );
        response.on("error", (error) => reject(networkError(url, error)));
      },
    );
    request.on("error", (error) => {
      if (options.signal.aborted) reject(options.signal.reason as Error);
      else reject(networkError(url, error));
    });
    request.end(init.body);
  });
}

/** Follows up to `maxRedirects` redirects, checking each hop; see the module comment. */
export async function fetchGuarded(input: OutboundRequest): Promise<OutboundResponse> {
  const deadline = AbortSignal.timeout(input.timeoutMs);
  const signal = AbortSignal.any([input.signal, deadline]);
  let url = parseUrl(input.url);
  let method = input.method.toUpperCase();
  let body = method === "GET" || method === "HEAD" ? undefined : input.body;
  let headers: Record<string, string> = { "user-agent": USER_AGENT, ...lowercaseKeys(input.headers ?? {}) };
  for (let hop = 0; ; hop++) {
    let answer: Hop;
    try {
      answer = await requestOnce(
        url,
        { method, headers, body },
        {
          allowPrivate: input.allowPrivate,
          maxResponseBytes: input.maxResponseBytes,
          signal,
          onBytes: input.onBytes,
        },
      );
    } catch (error) {
      if (deadline.aborted && !input.signal.aborted) {
        throw new RetryableJobError(
          "TIMEOUT",
          `${url.origin} gave no complete answer within ${input.timeoutMs} ms`,
        );
      }
      throw error;
    }
    const location = answer.headers.location;
    if (!REDIRECTS.has(answer.status) || !location) return { ...answer, url: url.toString() };
    if (hop >= input.maxRedirects) {
      throw new PermanentJobError(
        "TOO_MANY_REDIRECTS",
        `more than ${input.maxRedirects} redirects, last to ${location}`,
      );
    }
    const next = parseUrl(location, url);
    // As browsers do: 303 always, and 301/302 after a POST, continue as a GET without the body.
    if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === "POST")) {
      if (method !== "HEAD") method = "GET";
      body = undefined;
      headers = withoutKeys(headers, ["content-type", "content-length"]);
    }
    // Credentials meant for one origin are not handed to another.
    if (next.origin !== url.origin) headers = withoutKeys(headers, ["authorization", "cookie"]);
    url = next;
  }
}

function lowercaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function withoutKeys(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name)));
}
