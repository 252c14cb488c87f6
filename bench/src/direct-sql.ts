import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import type { BenchDatabase } from "./databases.js";

/**
 * Straight SQL on a bench database, for what the bench must know rather than time: where row
 * 100,000 of a listing is (to mint a deep cursor), the cursor key, some job ids.
 */
export type DirectSql = {
  all<T>(sql: { sqlite: string; postgresql: string }, values: unknown[]): Promise<T[]>;
  close(): Promise<void>;
};

export async function openDirect(db: BenchDatabase): Promise<DirectSql> {
  if (db.provider === "sqlite") {
    const handle = new BetterSqlite3(db.location, { readonly: true });
    return {
      all: <T>(sql: { sqlite: string }, values: unknown[]) =>
        Promise.resolve(handle.prepare(sql.sqlite).all(values) as T[]),
      close: () => Promise.resolve(void handle.close()),
    };
  }
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  return {
    all: async <T>(sql: { postgresql: string }, values: unknown[]) =>
      (await client.query(sql.postgresql, values)).rows as T[],
    close: () => client.end(),
  };
}

export type ListFilters = { status?: string[]; type?: string[] };

/**
 * The sort value and id of the row at `offset` (0-based) of a user's listing, sorted desc. Timestamps
 * come back as Unix ms on both databases, which is how cursors carry them.
 */
export async function rowAt(
  direct: DirectSql,
  userId: string,
  sortBy: string,
  filters: ListFilters,
  offset: number,
): Promise<{ value: number | string; id: string } | undefined> {
  const isTime = sortBy === "createdAt" || sortBy === "updatedAt";
  const values: unknown[] = [userId];
  const where = (p: (n: number) => string) => {
    const parts = [`"userId" = ${p(1)}`];
    let n = 2;
    if (filters.status) parts.push(`"status" IN (${filters.status.map(() => p(n++)).join(", ")})`);
    if (filters.type) parts.push(`"type" IN (${filters.type.map(() => p(n++)).join(", ")})`);
    return { text: parts.join(" AND "), next: n };
  };
  values.push(...(filters.status ?? []), ...(filters.type ?? []), offset);
  const lite = where(() => "?");
  const post = where((n) => `$${n}`);
  const pgValue = isTime ? `(extract(epoch from "${sortBy}") * 1000)::float8` : `"${sortBy}"`;
  const rows = await direct.all<{ value: number | string; id: string }>(
    {
      sqlite: `SELECT "${sortBy}" AS value, "id" FROM "jobs" WHERE ${lite.text} ORDER BY "${sortBy}" DESC, "id" DESC LIMIT 1 OFFSET ?`,
      postgresql: `SELECT ${pgValue} AS value, "id" FROM "jobs" WHERE ${post.text} ORDER BY "${sortBy}" DESC, "id" DESC LIMIT 1 OFFSET $${post.next}`,
    },
    values,
  );
  const row = rows[0];
  if (!row) return undefined;
  return { value: isTime ? Math.round(Number(row.value)) : row.value, id: row.id };
}

/** A label range of job_tags or job_metadata, as jobdeck reads it for a tag or metadata filter. */
export type LabelRange = { tag: string } | { key: string; value: string };

/**
 * The createdAt and id of the row at `offset` (0-based) of a user's jobs carrying a tag or a
 * metadata value, newest first: where a page of `tag=…` or `metadata.key=…` that deep starts. `value`
 * is the metadata value as job_metadata keeps it, its JSON text (`"eu-west"`).
 */
export async function labelRowAt(
  direct: DirectSql,
  userId: string,
  range: LabelRange,
  offset: number,
): Promise<{ value: number; id: string } | undefined> {
  const isTag = "tag" in range;
  const table = isTag ? "job_tags" : "job_metadata";
  const values = isTag ? [userId, range.tag, offset] : [userId, range.key, range.value, offset];
  const where = (p: (n: number) => string) =>
    isTag
      ? `"userId" = ${p(1)} AND "tag" = ${p(2)}`
      : `"userId" = ${p(1)} AND "key" = ${p(2)} AND "value" = ${p(3)}`;
  const last = isTag ? 3 : 4;
  const order = `ORDER BY "createdAt" DESC, "jobId" DESC LIMIT 1 OFFSET`;
  const rows = await direct.all<{ value: number | string; id: string }>(
    {
      sqlite: `SELECT "createdAt" AS value, "jobId" AS id FROM "${table}" WHERE ${where(() => "?")} ${order} ?`,
      postgresql: `SELECT (extract(epoch from "createdAt") * 1000)::float8 AS value, "jobId" AS id FROM "${table}" WHERE ${where((n) => `$${n}`)} ${order} $${last}`,
    },
    values,
  );
  const row = rows[0];
  return row && { value: Math.round(Number(row.value)), id: row.id };
}

/** How many of a user's jobs come at or before `position` in newest-first createdAt order. */
export async function rowsThrough(
  direct: DirectSql,
  userId: string,
  position: { value: number; id: string },
): Promise<number> {
  const rows = await direct.all<{ count: number | string }>(
    {
      sqlite: `SELECT COUNT(*) AS count FROM "jobs" WHERE "userId" = ? AND ("createdAt", "id") >= (?, ?)`,
      postgresql: `SELECT COUNT(*) AS count FROM "jobs" WHERE "userId" = $1 AND ("createdAt", "id") >= ('epoch'::timestamp + $2 * interval '1 millisecond', $3)`,
    },
    [userId, position.value, position.id],
  );
  return Number(rows[0]?.count ?? 0);
}

export async function cursorKeyOf(direct: DirectSql): Promise<Buffer> {
  const rows = await direct.all<{ value: string }>(
    {
      sqlite: `SELECT "value" FROM "settings" WHERE "key" = 'cursor-key'`,
      postgresql: `SELECT "value" FROM "settings" WHERE "key" = 'cursor-key'`,
    },
    [],
  );
  if (!rows[0]) throw new Error("no cursor-key in settings: start jobdeck on this database first");
  return Buffer.from(rows[0].value, "base64url");
}
