import { v7 as uuidv7 } from "uuid";
import { acceptBulkOperation } from "../db/bulk-store/index.js";
import { countMatchingJobs } from "../db/queries/bulk-operations.js";
import { saveAnswer } from "../idempotency/keys.js";
import { requestFingerprint, runIdempotent } from "../idempotency/run-idempotent.js";
import { bulkOperationEventData, toBulkOperation } from "./mapper.js";
import { selectionOf } from "./selection.js";
/**
 * POST /v1/bulk-operations (§15), at most once per Idempotency-Key (§10), dry runs included: the
 * answer is stored in the transaction that accepts the operation (for a dry run, right after the
 * count), so a repeat answers the same and starts nothing. A dry run counts what the operation
 * would match now; otherwise the operation is accepted — the jobs it matches written down — and a
 * runner in some process (runner.ts) does the work.
 */
export async function createBulkOperation({ db, userId, key, body, }) {
    const result = await runIdempotent({
        db,
        userId,
        key,
        fingerprint: () => requestFingerprint("POST /v1/bulk-operations", body),
        execute: async (ticket) => {
            const now = new Date();
            const { conditions, params } = await selectionOf(db, userId, body, now);
            if (body.dryRun) {
                const matched = await countMatchingJobs(db, conditions, params, now);
                const answer = {
                    status: 200,
                    body: { success: true, data: { matched }, message: "Dry run: nothing was changed" },
                };
                if (ticket)
                    await db.writer.transaction((tx) => saveAnswer(tx, ticket, answer));
                return answer;
            }
            const answerOf = (row) => ({
                status: 202,
                body: { success: true, data: toBulkOperation(row), message: "Bulk operation accepted" },
            });
            const row = await acceptBulkOperation(db, {
                id: uuidv7(),
                userId,
                action: body.action,
                selection: JSON.stringify(body.ids !== undefined ? { ids: body.ids } : { filter: body.filter }),
                conditions,
                params,
                now,
                eventData: bulkOperationEventData,
                ...(ticket ? { also: (tx, accepted) => saveAnswer(tx, ticket, answerOf(accepted)) } : {}),
            });
            return answerOf(row);
        },
    });
    // The stored answer is one of the two this function writes, by its status.
    return result;
}
//# sourceMappingURL=create-bulk-operation.js.map