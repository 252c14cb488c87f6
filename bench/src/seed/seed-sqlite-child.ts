import type { SeedPlan } from "./plan.js";
import { seedSqlite } from "./seed-sqlite.js";

/**
 * seedSqlite in a process of its own, so that the run seeds SQLite while it seeds PostgreSQL
 * (better-sqlite3 is synchronous: in the harness's process it would stall the other).
 * Usage: node seed-sqlite-child.js FILE PLAN_JSON
 */
const [file, plan] = process.argv.slice(2);
if (!file || !plan) throw new Error("usage: seed-sqlite-child.js FILE PLAN_JSON");
seedSqlite(file, JSON.parse(plan) as SeedPlan);
