import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { migrateDatabase } from "./api-dist.js";
import { workDir } from "./paths.js";

export type Provider = "sqlite" | "postgresql";

/** The PostgreSQL server the bench makes its own databases on (`jobdeck_bench_*`, dropped after). */
export const PG_ADMIN_URL =
  process.env.BENCH_PG_ADMIN_URL ??
  process.env.TEST_PG_ADMIN_URL ??
  "postgresql://postgres@127.0.0.1:5432/postgres";

export type BenchDatabase = {
  provider: Provider;
  /** DATABASE_URL as jobdeck reads it. */
  url: string;
  /** The SQLite file, or the PostgreSQL database name. */
  location: string;
  drop(): Promise<void>;
};

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function isPostgresReachable(): Promise<boolean> {
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

export function pgUrl(database: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A fresh database with jobdeck's migrations applied and nothing else. */
export async function createBenchDatabase(provider: Provider, label: string): Promise<BenchDatabase> {
  const suffix = `${label}_${randomBytes(3).toString("hex")}`;
  if (provider === "sqlite") {
    const dir = join(workDir, `sqlite_${suffix}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "jobdeck.db");
    const url = `file:${file}`;
    await migrateDatabase(url);
    return {
      provider,
      url,
      location: file,
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const name = `jobdeck_bench_${suffix}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = pgUrl(name);
  await migrateDatabase(url);
  return {
    provider,
    url,
    location: name,
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** A database kept by an earlier `--keep-db` run. */
export function existingDatabase(provider: Provider, location: string): BenchDatabase {
  if (provider === "sqlite") {
    return {
      provider,
      url: `file:${location}`,
      location,
      drop: () => Promise.resolve(rmSync(join(location, ".."), { recursive: true, force: true })),
    };
  }
  return {
    provider,
    url: pgUrl(location),
    location,
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${location}" WITH (FORCE)`),
  };
}
