import { v7 as uuidv7 } from "uuid";
import { insertWebhook } from "../db/queries/webhooks.js";
import { toWebhook } from "./mapper.js";
import { newWebhookSecret, sealSecret } from "./secret-box.js";
import { webhookFields } from "./webhook-input.js";
/** Registers an endpoint with a new secret, which this answer shows once (§13). */
export async function createWebhook({ db, secretKey, allowPrivate, userId, body, }) {
    const fields = webhookFields(body, { allowPrivate });
    const secret = newWebhookSecret();
    const row = await insertWebhook(db, {
        ...fields,
        id: uuidv7(),
        userId,
        secret: sealSecret(await secretKey(), secret),
        now: new Date(),
    });
    return { ...toWebhook(row), secret };
}
//# sourceMappingURL=create-webhook.js.map