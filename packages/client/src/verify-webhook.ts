import type { Job, WebhookEvent } from "@jobdeck/contract";
import { JobdeckError } from "./errors.js";

/** What jobdeck POSTs to a webhook (§13): a job event, or the message of POST /v1/webhooks/{id}/test. */
export type WebhookMessage =
  | { type: WebhookEvent; timestamp: string; data: Job }
  | { type: "webhook.test"; timestamp: string; data: { webhookId: string } };

/** Headers as fetch gives them (`Headers`) or as Node's http does (a record, lowercase names). */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export type VerifyOptions = {
  /** How far the message's timestamp may be from now, either way. Default 5 minutes. */
  toleranceSeconds?: number;
  /** Now, in ms (for tests). */
  now?: number;
};

const SECRET_PREFIX = "whsec_";
const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

function base64Bytes(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

const refused = (message: string) =>
  new JobdeckError({ status: 0, code: "INVALID_SIGNATURE", message: `webhook not verified: ${message}` });

/**
 * Checks a webhook message as Standard Webhooks define it, the way jobdeck signs it (§13):
 * `webhook-signature` holds one or more space-separated `v1,<base64 HMAC-SHA256>` of
 * `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the secret's base64-decoded bytes after
 * `whsec_`. Any one matching signature is enough (a receiver may be between two secrets' messages
 * while a rotation settles). Uses Web Crypto, so it runs in browsers, workers and Node alike.
 *
 * `body` must be the bytes received, before any JSON parsing: re-serialized JSON does not verify.
 * Resolves with the parsed message; rejects with a JobdeckError INVALID_SIGNATURE.
 */
export async function verifyWebhook(
  secret: string,
  headers: WebhookHeaders,
  body: string | Uint8Array | ArrayBuffer,
  { toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now = Date.now() }: VerifyOptions = {},
): Promise<WebhookMessage> {
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!id || !timestamp || !signatures) {
    throw refused("webhook-id, webhook-timestamp and webhook-signature are required");
  }
  if (!/^[0-9]{1,15}$/.test(timestamp)) throw refused("webhook-timestamp is not a Unix time in seconds");
  if (Math.abs(now / 1000 - Number(timestamp)) > toleranceSeconds) {
    throw refused(`webhook-timestamp is more than ${toleranceSeconds} s away from now`);
  }
  const keyBytes = base64Bytes(
    secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret,
  );
  if (keyBytes === undefined || keyBytes.length === 0) throw refused("the secret is not whsec_ + base64");

  const encoder = new TextEncoder();
  const bodyBytes = typeof body === "string" ? encoder.encode(body) : new Uint8Array(body);
  const prefix = encoder.encode(`${id}.${timestamp}.`);
  const signed = new Uint8Array(prefix.length + bodyBytes.length);
  signed.set(prefix);
  signed.set(bodyBytes, prefix.length);

  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, [
    "verify",
  ]);
  for (const entry of signatures.split(" ")) {
    const [version, value] = entry.split(",", 2);
    if (version !== "v1" || value === undefined) continue;
    const signature = base64Bytes(value);
    // crypto.subtle.verify compares in constant time.
    if (signature !== undefined && (await crypto.subtle.verify("HMAC", key, signature, signed))) {
      try {
        return JSON.parse(new TextDecoder().decode(bodyBytes)) as WebhookMessage;
      } catch {
        throw refused("the body is not JSON");
      }
    }
  }
  throw refused("no v1 signature matches the secret");
}
