import { requeueDeliveryMessage } from "../db/queries/webhooks.js";
import { AppError } from "../errors.js";
/**
 * Sends a delivery's message again (§13): the same webhook-id and body, signed anew when it goes.
 * It is due at once and, should it fail, retried for another 24 hours, as a new event would be.
 */
export async function redeliverWebhookDelivery({ db, userId, id, deliveryId, }) {
    const messageId = await requeueDeliveryMessage(db, { userId, webhookId: id, deliveryId, now: new Date() });
    if (!messageId)
        throw new AppError("NOT_FOUND", "Delivery not found");
    return { webhookMessageId: messageId };
}
//# sourceMappingURL=redeliver-webhook-delivery.js.map