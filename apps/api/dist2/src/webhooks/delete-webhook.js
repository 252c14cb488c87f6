import { deleteWebhookRows } from "../db/queries/webhooks.js";
import { webhookNotFound } from "./webhook-input.js";
/** Deletes a webhook, its unsent messages and its delivery log: nothing more is sent to it. */
export async function deleteWebhook({ db, userId, id, }) {
    if (!(await deleteWebhookRows(db, { id, userId })))
        throw webhookNotFound();
}
//# sourceMappingURL=delete-webhook.js.map