import { filterConditions, labelDrivers } from "./job-filters.js";
export const isTimestampSort = (sortBy) => sortBy === "createdAt" || sortBy === "updatedAt" || sortBy === "runAt";
/** How a sort field's value travels in a cursor: timestamps as Unix ms and priorities are numbers. */
export const isNumericSort = (sortBy) => isTimestampSort(sortBy) || sortBy === "priority";
/** Code-point order, as the C collation sorts text (UTF-8 byte order is code-point order). */
const byCodePoint = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
/**
 * Up to `limit` of a user's jobs after `after`, in (sortBy, id) order: one keyset page.
 *
 * The cursor condition is a row-value comparison, `("sortField", "id") < (@value, @id)`, which both
 * databases turn into an index range on (userId, sortField, id): the scan starts at the cursor, so
 * page 10,000 costs what page 1 costs, and rows come out in index order with nothing sorted. Prisma's
 * query builder can only say the cursor as an OR, which PostgreSQL answers with a bitmap scan and a
 * sort. On SQLite the statement names its index (see SqlFragments.tableByIndex): once the table has
 * statistics (ANALYZE, or the `PRAGMA optimize` SQLite recommends), its estimates can make it read a
 * mid-sized user's rows through another (userId, …) index and sort them all for every page — 20 ms
 * instead of 0.3 ms for a user with 8,000 of a million jobs (bench R1).
 *
 * When a filter names the sort field's own values (`sortBy=status&status=completed`,
 * `sortBy=type&type=a,b`), each value is its own range of the index: the page reads them one after
 * the other, in sort order, with the cursor as an `id` bound inside its value. As one statement,
 * SQLite could not start such a scan at the cursor (a deep page cost 4× page 1) and PostgreSQL
 * sorted every matching row (130 ms for page 1 of a 200,000-job user) (bench R3).
 */
export async function selectJobPage(db, { userId, filters, sortBy, isDescending, after, limit, }) {
    const direction = isDescending ? "DESC" : "ASC";
    const from = db.sql.tableByIndex("jobs", `jobs_userId_${sortBy}_id_idx`);
    const select = (narrowed, position, count) => {
        const params = { limit: count };
        const conditions = filterConditions(db.sql, userId, narrowed, params);
        if (position && "value" in position) {
            conditions.push(`("${sortBy}", "id") ${isDescending ? "<" : ">"} (@afterValue, @afterId)`);
            params.afterValue = position.value;
            params.afterId = position.id;
        }
        else if (position) {
            conditions.push(`"id" ${isDescending ? "<" : ">"} @afterId`);
            params.afterId = position.id;
        }
        return db.read.all(`SELECT * FROM ${from} WHERE ${conditions.join(" AND ")} ` +
            `ORDER BY "${sortBy}" ${direction}, "id" ${direction} LIMIT @limit`, params);
    };
    if (sortBy === "createdAt") {
        const drivers = labelDrivers(filters);
        if (drivers)
            return selectLabelDrivenPage(db, { userId, isDescending, after, limit, drivers });
    }
    const pinned = sortBy === "type" || sortBy === "status" ? filters[sortBy] : undefined;
    if (!pinned) {
        const position = after && {
            value: isTimestampSort(sortBy) ? new Date(after.value) : after.value,
            id: after.id,
        };
        return select(filters, position, limit);
    }
    const order = [...new Set(pinned)].sort(byCodePoint);
    if (isDescending)
        order.reverse();
    const rows = [];
    for (const value of order) {
        if (after) {
            const side = byCodePoint(value, String(after.value));
            if (isDescending ? side > 0 : side < 0)
                continue;
        }
        const position = after && value === after.value ? { id: after.id } : undefined;
        rows.push(...(await select({ ...filters, [sortBy]: [value] }, position, limit - rows.length)));
        if (rows.length >= limit)
            break;
    }
    return rows;
}
/**
 * A page in createdAt order whose jobs must carry a tag or a metadata value: read from job_tags or
 * job_metadata, whose (userId, tag | key, value, createdAt, jobId) index holds exactly those jobs in
 * the list's order, each joined to its row by id and checked against every filter. A page reads its
 * rows and no others, from the cursor on, whatever the share of jobs the label has: deep pages cost
 * what page 1 costs (bench R15). Several tags of an any-of list are one range each, read in turn
 * and merged in order, a job with two of them counted once.
 */
async function selectLabelDrivenPage(db, { userId, isDescending, after, limit, drivers, }) {
    const direction = isDescending ? "DESC" : "ASC";
    const pages = await Promise.all(drivers.map((driver) => {
        const params = { limit, driverValue: driver.value };
        const conditions = filterConditions(db.sql, userId, driver.rest, params);
        const range = [`"userId" = @userId`, `"${driver.column}" = @driverValue`];
        if (driver.key !== undefined) {
            range.push(`"key" = @driverKey`);
            params.driverKey = driver.key;
        }
        if (after) {
            range.push(`("createdAt", "jobId") ${isDescending ? "<" : ">"} (@afterValue, @afterId)`);
            params.afterValue = new Date(after.value);
            params.afterId = after.id;
        }
        return db.read.all(`SELECT "jobs".* FROM (SELECT "jobId", "createdAt" AS "labelCreatedAt" FROM ${db.sql.tableByIndex(driver.table, driver.index)}
          WHERE ${range.join(" AND ")}) AS "labelled"
          JOIN "jobs" ON "jobs"."id" = "labelled"."jobId"
          WHERE ${conditions.join(" AND ")}
          ORDER BY "labelled"."labelCreatedAt" ${direction}, "labelled"."jobId" ${direction} LIMIT @limit`, params);
    }));
    if (pages.length === 1)
        return pages[0];
    const byId = new Map();
    for (const row of pages.flat())
        byId.set(row.id, row);
    const sign = isDescending ? -1 : 1;
    return [...byId.values()]
        .sort((a, b) => sign * (a.createdAt - b.createdAt || byCodePoint(a.id, b.id)))
        .slice(0, limit);
}
//# sourceMappingURL=job-page.js.map