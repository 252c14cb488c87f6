import { configOrExit } from "../boot.js";
import { processEnvironment } from "../config.js";
import { migrateDatabase } from "../db/migrate.js";
/** `npm run db:migrate`: applies pending migrations to DATABASE_URL and exits. */
const config = configOrExit(processEnvironment());
const applied = await migrateDatabase(config.databaseUrl);
console.log(applied.length > 0 ? `applied: ${applied.join(", ")}` : "the database is up to date");
//# sourceMappingURL=migrate.js.map