// Prisma CLI configuration: no native engines (they would be downloaded, which these machines
// cannot do). The CLI migrates through its bundled WebAssembly schema engine and a driver adapter,
// chosen by DATABASE_URL like the app itself does (apps/api/src/db/). A short idle timeout lets the
// CLI exit as soon as it is done instead of waiting out the pool's default 10 s.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

const url = process.env.DATABASE_URL ?? "file:./data/jobdeck.db";
const isPostgres = /^postgres(ql)?:\/\//.test(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: isPostgres ? "prisma/postgresql/schema.prisma" : "prisma/sqlite/schema.prisma",
  async adapter() {
    return isPostgres
      ? new PrismaPg({ connectionString: url, idleTimeoutMillis: 50, allowExitOnIdle: true })
      : new PrismaBetterSQLite3({ url });
  },
});
