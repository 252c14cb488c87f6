import { Webhook } from "standardwebhooks";

/** The Standard Webhooks headers of one attempt (§13): the message's id, this attempt's time and signature. */
export type SignedHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

/**
 * `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, keyed with the secret's base64-decoded bytes:
 * signed by the `standardwebhooks` package itself, so receivers' verifiers agree by construction.
 */
export function signMessage(secret: string, messageId: string, body: string, at: Date): SignedHeaders {
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(messageId, at, body),
  };
}
