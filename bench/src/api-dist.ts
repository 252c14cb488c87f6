import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { apiDist } from "./paths.js";

/**
 * The bench drives the built server (apps/api/dist) and borrows two pieces of it, so that what it
 * measures is exactly what ships: the migrator (seeded databases have jobdeck's real schema) and
 * the cursor codec (deep cursors are minted the way the server mints them).
 */

export type CursorPosition = { value: number | string; id: string };
export type CursorQuery = {
  limit: number;
  sortBy?: string;
  sortOrder?: string;
  type?: string[];
  status?: string[];
  resultType?: string[];
  createdFrom?: number;
  createdTo?: number;
};
type CursorModule = {
  encodeCursor(key: Buffer, binding: string, position: CursorPosition): string;
  cursorBinding(userId: string, query: CursorQuery): string;
};
type MigrateModule = { migrateDatabase(url: string): Promise<string[]> };

async function load<T>(relative: string): Promise<T> {
  const file = join(apiDist, relative);
  if (!existsSync(file)) throw new Error(`${file} is missing: build first (npx turbo run build)`);
  return (await import(pathToFileURL(file).href)) as T;
}

export const loadCursorCodec = () => load<CursorModule>("jobs/cursor.js");
export const migrateDatabase = async (url: string) =>
  (await load<MigrateModule>("db/migrate.js")).migrateDatabase(url);
