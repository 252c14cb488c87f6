import { spawn } from "node:child_process";
import { join } from "node:path";
import { benchDist } from "../paths.js";
import type { SeedPlan } from "./plan.js";

/**
 * seedSqlite in a child process (seed-sqlite-child.ts), so that PostgreSQL can be seeded at the same
 * time: better-sqlite3 is synchronous and would stall the harness's process.
 */
export function seedSqliteElsewhere(file: string, plan: SeedPlan): Promise<void> {
  const child = spawn(
    process.execPath,
    [join(benchDist, "src/seed/seed-sqlite-child.js"), file, JSON.stringify(plan)],
    { stdio: ["ignore", "inherit", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`seeding SQLite failed (${code}): ${stderr.slice(-2000)}`)),
    ),
  );
}
