import { parseBulkFilter, } from "@jobdeck/contract";
import { filterConditions, pendingOnly } from "../db/queries/job-filters.js";
import { groupRunnablePending } from "../db/queries/job-stats.js";
import { validationFailed } from "../errors.js";
import { explainWaits } from "../jobs/wait-reasons.js";
/**
 * The caller's jobs a request selects: by ids, or by the list's filters (docs/api.md §5, §11–12,
 * §15). No row limit applies: FILTER_SCAN_LIMIT bounds what one list request reads, but a bulk
 * operation must find every matching job, so it reads them all, once, when it is accepted.
 */
export async function selectionOf(db, userId, body, now) {
    const params = {};
    if (body.ids !== undefined) {
        params.userId = userId;
        params.selectedIds = [...new Set(body.ids)];
        return { conditions: [`"userId" = @userId`, db.sql.inArray(`"id"`, "selectedIds")], params };
    }
    const parsed = parseBulkFilter(body.filter ?? {});
    // The contract refused a bad filter already; this is its typed value.
    if (!parsed.success)
        throw validationFailed([{ path: "filter", message: "is not a valid filter" }]);
    const filters = parsed.data;
    if (!filters.waitReason)
        return { conditions: filterConditions(db.sql, userId, filters, params), params };
    return waitReasonSelection(db, userId, filters, filters.waitReason, now);
}
/**
 * A waitReason is computed, not stored (§11). As GET /v1/jobs/stats counts it: pending jobs whose
 * runAt is ahead wait for a reason their row gives (backoff, scheduled); the others share their
 * reason with every job of the same (queue, type, concurrencyKey), so it is computed per group and
 * the groups that wait for a wanted reason become a condition.
 */
async function waitReasonSelection(db, userId, query, waitReason, now) {
    const params = { waitNow: now };
    const filters = pendingOnly(query);
    if (!filters)
        return { conditions: ["1 = 0"], params };
    const conditions = filterConditions(db.sql, userId, filters, params);
    const wanted = new Set(waitReason);
    const either = [];
    if (wanted.has("backoff"))
        either.push(`("runAt" > @waitNow AND "attempts" > 0)`);
    if (wanted.has("scheduled"))
        either.push(`("runAt" > @waitNow AND "attempts" = 0)`);
    const groups = await groupRunnablePending(db, userId, filters, now);
    const rows = groups.map((group, i) => ({
        id: String(i),
        userId,
        type: group.type,
        status: "pending",
        attempts: 0,
        runAt: now.getTime(),
        queue: group.queue,
        concurrencyKey: group.concurrencyKey,
    }));
    const reasons = rows.length > 0 ? await explainWaits({ db, rows, now }) : new Map();
    const waiting = groups.filter((_, i) => {
        const reason = reasons.get(String(i));
        return reason !== undefined && wanted.has(reason);
    });
    if (waiting.length > 0) {
        params.waitGroups = JSON.stringify(waiting.map(({ queue, type, concurrencyKey }) => ({
            queue,
            type,
            concurrencyKey: concurrencyKey ?? "",
        })));
        const groupTable = db.sql.jsonRows("waitGroups", { queue: "text", type: "text", concurrencyKey: "text" });
        either.push(`("runAt" <= @waitNow AND EXISTS (SELECT 1 FROM ${groupTable} AS "g"
      WHERE "g"."queue" = "jobs"."queue" AND "g"."type" = "jobs"."type"
        AND "g"."concurrencyKey" = COALESCE("jobs"."concurrencyKey", '')))`);
    }
    conditions.push(either.length > 0 ? `(${either.join(" OR ")})` : "1 = 0");
    return { conditions, params };
}
//# sourceMappingURL=selection.js.map