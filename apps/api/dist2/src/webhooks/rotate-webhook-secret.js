import { replaceWebhookSecret } from "../db/queries/webhooks.js";
import { toWebhook } from "./mapper.js";
import { newWebhookSecret, sealSecret } from "./secret-box.js";
import { webhookNotFound } from "./webhook-input.js";
/**
 * A new secret, shown once. Every attempt from now on signs with it, retries of older messages
 * included (the sender reads the secret when it sends); the old one signs nothing any more.
 */
export async function rotateWebhookSecret({ db, secretKey, userId, id, }) {
    const secret = newWebhookSecret();
    const row = await replaceWebhookSecret(db, {
        id,
        userId,
        secret: sealSecret(await secretKey(), secret),
        now: new Date(),
    });
    if (!row)
        throw webhookNotFound();
    return { ...toWebhook(row), secret };
}
//# sourceMappingURL=rotate-webhook-secret.js.map