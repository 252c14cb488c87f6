import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/index.js";
import { migrateDatabase, readMigrations } from "../src/db/migrate.js";
import { migrationsDir, repoRoot } from "../src/paths.js";
import { createTestDatabase, testProviders } from "./support/databases.js";
import { silentLogger } from "./support/fixtures.js";

const providers = await testProviders();

describe.each(providers)("migrations on %s", (provider) => {
  it("applies every migration once, then nothing, and agrees with `prisma migrate status`", async () => {
    const database = await createTestDatabase(provider); // migrated once already
    try {
      expect(await migrateDatabase(database.url)).toEqual([]);
      const db = await openDatabase(database.url, { logger: silentLogger });
      const applied = await db.read.all<{ migration_name: string }>(
        `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      await db.close();
      expect(applied.map((r) => r.migration_name)).toEqual(
        readMigrations(migrationsDir(provider)).map((m) => m.name),
      );
      const status = execFileSync(
        process.execPath,
        [join(repoRoot, "node_modules/prisma/build/index.js"), "migrate", "status"],
        {
          cwd: repoRoot,
          env: { ...process.env, DATABASE_URL: database.url, CHECKPOINT_DISABLE: "1" },
          encoding: "utf8",
          timeout: 60_000,
        },
      );
      expect(status).toContain("Database schema is up to date!");
    } finally {
      await database.drop();
    }
  });

  it("lets several processes migrate the same new database at once", async () => {
    const database = await createTestDatabase(provider);
    try {
      const results = await Promise.all([1, 2, 3].map(() => migrateDatabase(database.url)));
      expect(results).toEqual([[], [], []]);
    } finally {
      await database.drop();
    }
  });
});

describe("migration history", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "jobdeck-migrate-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses to run when an applied migration was edited afterwards", async () => {
    const url = `file:${join(dir, "edited.db")}`;
    await migrateDatabase(url);
    const copy = join(dir, "migrations");
    cpSync(migrationsDir("sqlite"), copy, { recursive: true });
    const first = readMigrations(copy)[0]!;
    const file = join(copy, first.name, "migration.sql");
    writeFileSync(file, `${readFileSync(file, "utf8")}\n-- edited\n`);
    await expect(migrateDatabase(url, copy)).rejects.toThrow(
      `migration ${first.name} was changed after it was applied`,
    );
  });

  it("keeps the generated per-provider schemas in step with prisma/models.prisma", () => {
    execFileSync(process.execPath, [join(repoRoot, "prisma/scripts/generate.mjs"), "--check"], {
      stdio: "pipe",
    });
  });
});
