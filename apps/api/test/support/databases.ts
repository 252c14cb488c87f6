import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Provider } from "../../src/db/index.js";
import { migrateDatabase } from "../../src/db/migrate.js";

/** The PostgreSQL server the suites create their databases on (trust auth on this machine). */
export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

async function isPostgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * SQLite always; PostgreSQL whenever it answers. With CI=true an unreachable PostgreSQL fails the
 * run instead of quietly skipping half the suite.
 */
export async function testProviders(): Promise<Provider[]> {
  if (await isPostgresReachable()) return ["sqlite", "postgresql"];
  if (process.env.CI === "true") {
    throw new Error(`PostgreSQL is not reachable at ${PG_ADMIN_URL}, and CI=true requires it`);
  }
  console.warn(`PostgreSQL is not reachable at ${PG_ADMIN_URL}: its suites are skipped`);
  return ["sqlite"];
}

export type TestDatabase = { provider: Provider; url: string; drop(): Promise<void> };

/** One statement as the PostgreSQL admin, on the admin's database or on `database` (a name). */
export async function adminQuery(sql: string, database?: string): Promise<void> {
  const url = new URL(PG_ADMIN_URL);
  if (database) url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database: a new SQLite file, or a new PostgreSQL database dropped afterwards. */
export async function createTestDatabase(provider: Provider): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "jobdeck-test-"));
    const url = `file:${join(dir, "jobdeck.db")}`;
    await migrateDatabase(url);
    return { provider, url, drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) };
  }
  const name = `jobdeck_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  return {
    provider,
    url: url.toString(),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
