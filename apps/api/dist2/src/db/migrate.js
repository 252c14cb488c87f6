import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { migrationsDir } from "../paths.js";
import { dialectOf, providerOf } from "./dialect/index.js";
/**
 * Applies the committed migrations (prisma/<provider>/migrations) that a database lacks, and records
 * them in Prisma's own `_prisma_migrations` table, so `prisma migrate status` and `migrate deploy`
 * agree with it. Prisma's CLI does the same job but cannot be embedded, and on PostgreSQL its
 * WebAssembly engine leaves a 10 s timer that delays every exit; the server migrates at each start.
 */
export function readMigrations(dir) {
    return readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "migration.sql")))
        .map((entry) => entry.name)
        .sort()
        .map((name) => {
        const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
        return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}
/** The migrations still to apply; refuses a history that was changed or left half-applied. */
function pending(all, applied) {
    const done = new Map(applied.filter((row) => row.rolled_back_at == null).map((row) => [row.migration_name, row]));
    for (const row of done.values()) {
        if (row.finished_at == null) {
            throw new Error(`migration ${row.migration_name} started but never finished: resolve it with prisma migrate resolve`);
        }
        const local = all.find((m) => m.name === row.migration_name);
        if (local && local.checksum !== row.checksum) {
            throw new Error(`migration ${row.migration_name} was changed after it was applied`);
        }
    }
    return all.filter((m) => !done.has(m.name));
}
/** Returns the names of the migrations it applied. */
export async function migrateDatabase(url, dir = migrationsDir(providerOf(url))) {
    const dialect = await dialectOf(url);
    const migrations = readMigrations(dir);
    return dialect.migrate(dialect.locationOf(url), (applied) => pending(migrations, applied));
}
//# sourceMappingURL=migrate.js.map