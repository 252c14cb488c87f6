import BetterSqlite3 from "better-sqlite3";
import { expect, it } from "vitest";
import { sqlitePath } from "../src/db/dialect/sqlite.js";
import { openDatabase } from "../src/db/index.js";
import { isDatabaseUnavailable } from "../src/db/unavailable.js";
import { createTestDatabase } from "./support/databases.js";
import { silentLogger } from "./support/fixtures.js";

/**
 * A dialect is loaded when a URL first names its database (db/dialect/index.ts), and the errors
 * that mean "unreachable right now" are told by the dialects loaded: a SQLite file locked by
 * another process is one (a 503 UNAVAILABLE, not a 500). PostgreSQL's are in
 * database-unavailable.test.ts.
 */
it("takes SQLite's SQLITE_BUSY, itself or as a cause, for an unavailable database", async () => {
  const database = await createTestDatabase("sqlite");
  const db = await openDatabase(database.url, { logger: silentLogger });
  const holder = new BetterSqlite3(sqlitePath(database.url));
  const other = new BetterSqlite3(sqlitePath(database.url), { timeout: 0 });
  try {
    holder.exec("BEGIN IMMEDIATE");
    let busy: unknown;
    try {
      other.exec("BEGIN IMMEDIATE");
    } catch (error) {
      busy = error;
    }
    expect(busy).toMatchObject({ code: "SQLITE_BUSY" });
    expect(isDatabaseUnavailable(busy)).toBe(true);
    expect(isDatabaseUnavailable(new Error("the write failed", { cause: busy }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("the write failed"))).toBe(false);
  } finally {
    holder.exec("ROLLBACK");
    holder.close();
    other.close();
    await db.close();
    await database.drop();
  }
});
