import { selectWebhookPage } from "../db/queries/webhooks.js";
import { decodeKeyset, pageOf, webhooksBinding } from "./cursor.js";
import { toWebhook } from "./mapper.js";
/** One page of the caller's webhooks, newest first: keyset on (userId, createdAt, id), like §5. */
export async function listWebhooks({ db, cursorKey, userId, query, }) {
    const binding = webhooksBinding(userId);
    const after = decodeKeyset(cursorKey, binding, query.cursor);
    const rows = await selectWebhookPage(db, { userId, after, limit: query.limit + 1 });
    return pageOf(cursorKey, binding, rows, query.limit, toWebhook);
}
//# sourceMappingURL=list-webhooks.js.map