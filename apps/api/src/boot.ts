import type { Logger } from "pino";
import { resolveTokenKeys, type TokenKeys } from "./auth/keys.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { openDatabase, type Database } from "./db/database.js";
import { migrateDatabase } from "./db/migrate.js";
import { sharedSecret } from "./db/settings.js";
import { createJobTypeRegistry, builtInJobTypes, type JobTypeRegistry } from "./job-types/registry.js";
import { createLogger } from "./logger.js";

/** Reads the environment or stops the process with one line naming the bad variable (spec §1). */
export function configOrExit(env: Record<string, string | undefined>): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`jobdeck: invalid configuration: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

export type Runtime = {
  config: Config;
  logger: Logger;
  db: Database;
  keys: TokenKeys;
  registry: JobTypeRegistry;
  cursorKey: Buffer;
};

/** Everything a server or worker process needs, shared by main.ts and worker-main.ts. */
export async function bootRuntime(config: Config, options: { migrate: boolean }): Promise<Runtime> {
  const logger = createLogger(config);
  const keys = resolveTokenKeys(config);
  if (options.migrate) {
    const applied = await migrateDatabase(config.databaseUrl);
    if (applied.length > 0) logger.info({ migrations: applied }, "applied database migrations");
  }
  const db = await openDatabase(config.databaseUrl);
  const cursorKey = await sharedSecret(db.prisma, "cursor-key");
  const registry = createJobTypeRegistry(builtInJobTypes);
  return { config, logger, db, keys, registry, cursorKey };
}
