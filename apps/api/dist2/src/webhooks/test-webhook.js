import { randomUUID } from "node:crypto";
import { WEBHOOK_TEST_EVENT } from "@jobdeck/contract";
import { insertMessage } from "../db/queries/webhooks.js";
import { webhookNotFound } from "./webhook-input.js";
/** The same form as the messages job events write (db/dialect/): `msg_` + 32 hex digits. */
export const newMessageId = () => `msg_${randomUUID().replaceAll("-", "")}`;
/**
 * A webhook.test message, due at once whatever the webhook's events and isEnabled say (§13). It is
 * sent and retried like any other message and its attempts appear in the deliveries.
 */
export async function testWebhook({ db, userId, id, }) {
    const now = new Date();
    const messageId = newMessageId();
    const body = JSON.stringify({
        type: WEBHOOK_TEST_EVENT,
        timestamp: now.toISOString(),
        data: { webhookId: id },
    });
    const isStored = await insertMessage(db, {
        id: messageId,
        webhookId: id,
        userId,
        eventType: WEBHOOK_TEST_EVENT,
        body,
        now,
    });
    if (!isStored)
        throw webhookNotFound();
    return { webhookMessageId: messageId };
}
//# sourceMappingURL=test-webhook.js.map