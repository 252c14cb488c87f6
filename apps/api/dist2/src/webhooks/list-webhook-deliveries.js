import { findWebhook, selectDeliveryPage } from "../db/queries/webhooks.js";
import { decodeKeyset, deliveriesBinding, pageOf } from "./cursor.js";
import { toDelivery } from "./mapper.js";
import { webhookNotFound } from "./webhook-input.js";
/** One page of a webhook's attempts, newest first: keyset on (webhookId, createdAt, id), like §5. */
export async function listWebhookDeliveries({ db, cursorKey, userId, id, query, }) {
    if (!(await findWebhook(db, userId, id)))
        throw webhookNotFound();
    const binding = deliveriesBinding(userId, id);
    const after = decodeKeyset(cursorKey, binding, query.cursor);
    const rows = await selectDeliveryPage(db, { webhookId: id, after, limit: query.limit + 1 });
    return pageOf(cursorKey, binding, rows, query.limit, toDelivery);
}
//# sourceMappingURL=list-webhook-deliveries.js.map