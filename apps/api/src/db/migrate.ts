import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { migrationsDir } from "../paths.js";
import { providerOf, sqlitePath, SQLITE_BUSY_TIMEOUT_MS } from "./database.js";

/**
 * Applies the committed migrations (prisma/<provider>/migrations) that a database lacks, and records
 * them in Prisma's own `_prisma_migrations` table, so `prisma migrate status` and `migrate deploy`
 * agree with it. Prisma's CLI does the same job but cannot be embedded, and on PostgreSQL its
 * WebAssembly engine leaves a 10 s timer that delays every exit; the server migrates at each start.
 */

type Migration = { name: string; sql: string; checksum: string };

/** The key Prisma's own `migrate deploy` locks: the CLI and this code never migrate at once. */
const PRISMA_ADVISORY_LOCK = 72707369;

const TABLE = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`,
  postgresql: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`,
};

export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

type Applied = { migration_name: string; checksum: string; finished_at: unknown; rolled_back_at: unknown };

function pending(all: Migration[], applied: Applied[]): Migration[] {
  const done = new Map(
    applied.filter((row) => row.rolled_back_at == null).map((row) => [row.migration_name, row]),
  );
  for (const row of done.values()) {
    if (row.finished_at == null) {
      throw new Error(
        `migration ${row.migration_name} started but never finished: resolve it with prisma migrate resolve`,
      );
    }
    const local = all.find((m) => m.name === row.migration_name);
    if (local && local.checksum !== row.checksum) {
      throw new Error(`migration ${row.migration_name} was changed after it was applied`);
    }
  }
  return all.filter((m) => !done.has(m.name));
}

function migrateSqlite(path: string, migrations: Migration[]): string[] {
  mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    db.pragma("journal_mode = WAL");
    db.exec(TABLE.sqlite);
    // IMMEDIATE takes the write lock up front, so two processes starting together migrate one after the other.
    const run = db.transaction(() => {
      const todo = pending(migrations, db.prepare(`SELECT * FROM "_prisma_migrations"`).all() as Applied[]);
      for (const m of todo) {
        const startedAt = new Date().toISOString();
        db.exec(m.sql);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`,
        ).run(randomUUID(), m.checksum, new Date().toISOString(), m.name, startedAt);
      }
      return todo.map((m) => m.name);
    });
    return run.immediate();
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, migrations: Migration[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  // A dropped connection fails the statement under way; the event itself must not end the process.
  client.on("error", () => undefined);
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK]);
    await client.query(TABLE.postgresql);
    const { rows } = await client.query<Applied>(`SELECT * FROM "_prisma_migrations"`);
    const todo = pending(migrations, rows);
    for (const m of todo) {
      await client.query("BEGIN");
      try {
        const startedAt = new Date();
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, $4, 1)`,
          [randomUUID(), m.checksum, m.name, startedAt],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.name} failed: ${(error as Error).message}`, { cause: error });
      }
    }
    return todo.map((m) => m.name);
  } finally {
    await client.end();
  }
}

/** Returns the names of the migrations it applied. */
export async function migrateDatabase(url: string, dir = migrationsDir(providerOf(url))): Promise<string[]> {
  const provider = providerOf(url);
  const migrations = readMigrations(dir);
  return provider === "sqlite"
    ? migrateSqlite(sqlitePath(url), migrations)
    : migratePostgres(url, migrations);
}
