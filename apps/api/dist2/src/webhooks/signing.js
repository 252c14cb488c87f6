import { Webhook } from "standardwebhooks";
/**
 * `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, keyed with the secret's base64-decoded bytes:
 * signed by the `standardwebhooks` package itself, so receivers' verifiers agree by construction.
 */
export function signMessage(secret, messageId, body, at) {
    return {
        "webhook-id": messageId,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": new Webhook(secret).sign(messageId, at, body),
    };
}
//# sourceMappingURL=signing.js.map