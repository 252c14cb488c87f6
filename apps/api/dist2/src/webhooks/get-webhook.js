import { findWebhook } from "../db/queries/webhooks.js";
import { toWebhook } from "./mapper.js";
import { webhookNotFound } from "./webhook-input.js";
/** One of the caller's webhooks; another user's and a missing one are the same 404. */
export async function getWebhook({ db, userId, id, }) {
    const row = await findWebhook(db, userId, id);
    if (!row)
        throw webhookNotFound();
    return toWebhook(row);
}
//# sourceMappingURL=get-webhook.js.map