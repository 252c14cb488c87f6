import { replaceWebhook } from "../db/queries/webhooks.js";
import { toWebhook } from "./mapper.js";
import { webhookFields, webhookNotFound } from "./webhook-input.js";
/**
 * Replaces a webhook's url, events, filter and isEnabled with the body's (an omitted optional field
 * takes its default, as for schedules); the secret stays. Messages already written are still sent.
 */
export async function putWebhook({ db, allowPrivate, userId, id, body, }) {
    const fields = webhookFields(body, { allowPrivate });
    const row = await replaceWebhook(db, { ...fields, id, userId, now: new Date() });
    if (!row)
        throw webhookNotFound();
    return toWebhook(row);
}
//# sourceMappingURL=put-webhook.js.map