import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "../../generated/prisma-postgresql/client.js";
import { PrismaClient as SqliteClient } from "../../generated/prisma-sqlite/client.js";
import { sqlitePath } from "../../src/db/dialect/sqlite.js";
import type { TestDatabase } from "./databases.js";

/**
 * Both generated clients come from the same models (prisma/models.prisma), so their model APIs are
 * the same; the SQLite client's type stands for both.
 */
export type TestPrisma = SqliteClient;

/**
 * Prisma Client on a test database: the tests' own typed way to arrange rows and to look at what
 * the product wrote, independent of the data layer under test (which reads and writes with SQL on
 * the driver, see src/db/index.ts).
 */
export function openPrisma(database: Pick<TestDatabase, "provider" | "url">): TestPrisma {
  if (database.provider === "sqlite") {
    // Timestamps as integer milliseconds, as the product stores them.
    const adapter = new PrismaBetterSQLite3(
      { url: sqlitePath(database.url), timeout: 10_000 },
      { timestampFormat: "unixepoch-ms" },
    );
    return new SqliteClient({ adapter });
  }
  return new PostgresClient({
    adapter: new PrismaPg({ connectionString: database.url, max: 2 }),
  }) as unknown as TestPrisma;
}
