import { filterConditions } from "./job-filters.js";
import { isTimestampSort } from "./job-page.js";
/**
 * Filters that no index narrows (§15): the rows they test are those the other filters leave, read in
 * the list's order through its sort index, and a request may read only so many of them
 * (FILTER_SCAN_LIMIT). payload, result, errorCode and idPrefix are such filters; so are tag and
 * metadata filters beside one of them, or with a sort other than createdAt (their side tables hold
 * the createdAt order only; job-page.ts).
 */
export function splitScanFilters(filters, sortBy) {
    const { payloadEquals, resultEquals, errorCode, idPrefix, tag, tagsAll, metadataEquals, ...rest } = filters;
    const hasScan = payloadEquals ?? resultEquals ?? errorCode ?? idPrefix;
    const hasLabels = tag ?? tagsAll ?? metadataEquals;
    if (!hasScan && !(hasLabels && sortBy !== "createdAt"))
        return undefined;
    return {
        base: rest,
        scan: { payloadEquals, resultEquals, errorCode, idPrefix, tag, tagsAll, metadataEquals },
    };
}
const byCodePoint = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
/**
 * Reads at most `budget` rows of those `base` selects after `after`, in (sortBy, id) order, and
 * returns those that also match `scan`, at most `limit`. Two statements per window, each bounded by
 * the budget through the sort index: the window's last row (`OFFSET budget − 1`), then the matches
 * up to it, tested by the database's JSON functions. With a filter on the sort field's own values
 * (`sortBy=status&status=…`), each value is a window of its own, in order, as job-page.ts reads them.
 */
export async function scanJobWindow(db, input) {
    const { userId, base, scan, sortBy, isDescending, after, budget, limit } = input;
    const direction = isDescending ? "DESC" : "ASC";
    const from = db.sql.tableByIndex("jobs", `jobs_userId_${sortBy}_id_idx`);
    const asParam = (value) => (isTimestampSort(sortBy) ? new Date(value) : value);
    const scanConditions = (params) => filterConditions(db.sql, userId, scan, params).slice(1);
    const pinned = sortBy === "type" || sortBy === "status" ? base[sortBy] : undefined;
    const segments = pinned
        ? [...new Set(pinned)]
            .sort(byCodePoint)
            .map((value) => ({ filters: { ...base, [sortBy]: [value] }, value }))
        : [{ filters: base }];
    if (pinned && isDescending)
        segments.reverse();
    const rows = [];
    let examined = 0;
    for (const [index, segment] of segments.entries()) {
        if (segment.value !== undefined && after) {
            const side = byCodePoint(segment.value, String(after.value));
            if (isDescending ? side > 0 : side < 0)
                continue;
        }
        const params = {};
        const conditions = filterConditions(db.sql, userId, segment.filters, params);
        const isIdOnly = segment.value !== undefined;
        if (after && (!isIdOnly || segment.value === after.value)) {
            if (isIdOnly)
                conditions.push(`"id" ${isDescending ? "<" : ">"} @afterId`);
            else {
                conditions.push(`("${sortBy}", "id") ${isDescending ? "<" : ">"} (@afterValue, @afterId)`);
                params.afterValue = asParam(after.value);
            }
            params.afterId = after.id;
        }
        const order = `ORDER BY "${sortBy}" ${direction}, "id" ${direction}`;
        const window = budget - examined;
        const [last] = await db.read.all(`SELECT "${sortBy}" AS "value", "id" FROM ${from} WHERE ${conditions.join(" AND ")} ${order}
        LIMIT 1 OFFSET @skip`, { ...params, skip: window - 1 });
        const matchParams = { ...params, limit: limit - rows.length };
        const matchConditions = [...conditions, ...scanConditions(matchParams)];
        if (last) {
            if (isIdOnly)
                matchConditions.push(`"id" ${isDescending ? ">=" : "<="} @lastId`);
            else {
                // The plain bound as well: SQLite makes an index range of one row-value bound only, and
                // would test every row past the window's end without it.
                matchConditions.push(`"${sortBy}" ${isDescending ? ">=" : "<="} @lastValue`, `("${sortBy}", "id") ${isDescending ? ">=" : "<="} (@lastValue, @lastId)`);
                matchParams.lastValue = asParam(last.value);
            }
            matchParams.lastId = last.id;
        }
        rows.push(...(await db.read.all(`SELECT * FROM ${from} WHERE ${matchConditions.join(" AND ")} ${order} LIMIT @limit`, matchParams)));
        if (last) {
            examined += window;
            const stoppedAt = { value: segment.value ?? last.value, id: last.id };
            return { rows, examined, stoppedAt: rows.length >= limit ? null : stoppedAt, isEnd: false };
        }
        if (rows.length >= limit)
            return { rows, examined: budget, stoppedAt: null, isEnd: false };
        if (index < segments.length - 1) {
            const [counted] = await db.read.all(`SELECT COUNT(*) AS "count" FROM (SELECT 1 FROM ${from} WHERE ${conditions.join(" AND ")} ${order}
          LIMIT @window) AS "window"`, { ...params, window });
            examined += Number(counted?.count ?? 0);
        }
    }
    return { rows, examined, stoppedAt: null, isEnd: true };
}
//# sourceMappingURL=job-scan.js.map