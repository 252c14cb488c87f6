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
  /** §15's filters, in their parsed form (packages/contract/src/filters.ts). */
  tag?: string[];
  metadataEquals?: { key: string; value: unknown }[];
  payloadEquals?: { path: string[]; value: unknown }[];
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

type MapperModule = { jobEventData: (row: object) => string };
/** The API's row → event data mapping: R5 writes the same "created" event data the API appends. */
export const loadMapper = () => load<MapperModule>("jobs/mapper.js");

type JobStore = {
  insertJob: (
    job: {
      id: string;
      userId: string;
      type: string;
      resultType: string;
      payload: unknown;
      maxAttempts: number;
      timeoutMs: number;
      queue?: string;
      concurrencyKey?: string | null;
    },
    now: Date,
  ) => Promise<unknown>;
};
type Runtime = { store: JobStore; db: unknown };

/** A queue's four settings (§11), as PUT /v1/queues/{name} takes them. */
export type QueueSettings = {
  concurrency: number | null;
  perKeyConcurrency: number | null;
  rateLimit: { limit: number; periodMs: number } | null;
  perKeyRateLimit: { limit: number; periodMs: number } | null;
};
type QueueChangesModule = {
  putQueueSettings: (
    db: unknown,
    input: { userId: string; name: string; settings: QueueSettings; now: Date },
  ) => Promise<unknown>;
};
type BootModule = {
  bootRuntime: (config: unknown, options: { migrate: boolean }) => Promise<Runtime>;
  closeRuntime: (runtime: Runtime) => Promise<void>;
};
type ConfigModule = { loadConfig: (env: Record<string, string>) => unknown };

/**
 * jobdeck's job store in the bench's own process, opened as the server opens it: R6 enqueues
 * through it, which is what POST /v1/jobs does once the request is parsed and authorised.
 */
export async function openJobdeckStore(env: Record<string, string>): Promise<{
  store: JobStore;
  /** Sets a queue's limits through the API's own putQueueSettings (what PUT /v1/queues/{name} runs). */
  putQueueSettings: (userId: string, name: string, settings: QueueSettings) => Promise<unknown>;
  close: () => Promise<void>;
}> {
  const { bootRuntime, closeRuntime } = await load<BootModule>("boot.js");
  const { loadConfig } = await load<ConfigModule>("config.js");
  const { putQueueSettings } = await load<QueueChangesModule>("db/job-store/queue-changes.js");
  const runtime = await bootRuntime(loadConfig(env), { migrate: false });
  return {
    store: runtime.store,
    putQueueSettings: (userId, name, settings) =>
      putQueueSettings(runtime.db, { userId, name, settings, now: new Date() }),
    close: () => closeRuntime(runtime),
  };
}

type CreateWebhookModule = {
  createWebhook: (input: {
    db: unknown;
    secretKey: () => Promise<Buffer>;
    allowPrivate: boolean;
    userId: string;
    body: { url: string; events: string[] };
  }) => Promise<{ id: string; secret: string }>;
};
type SecretBoxModule = { secretKeyOf: (db: unknown) => () => Promise<Buffer> };

/**
 * R14: jobdeck's job store and the API's own createWebhook in the bench's process, on a runtime
 * booted as the server boots one.
 */
export async function openJobdeckWebhooks(env: Record<string, string>): Promise<{
  store: JobStore;
  createWebhook: (userId: string, url: string, events: string[]) => Promise<{ id: string; secret: string }>;
  close: () => Promise<void>;
}> {
  const { bootRuntime, closeRuntime } = await load<BootModule>("boot.js");
  const { loadConfig } = await load<ConfigModule>("config.js");
  const { createWebhook } = await load<CreateWebhookModule>("webhooks/create-webhook.js");
  const { secretKeyOf } = await load<SecretBoxModule>("webhooks/secret-box.js");
  const runtime = await bootRuntime(loadConfig(env), { migrate: false });
  const secretKey = secretKeyOf(runtime.db);
  return {
    store: runtime.store,
    createWebhook: (userId, url, events) =>
      createWebhook({ db: runtime.db, secretKey, allowPrivate: true, userId, body: { url, events } }),
    close: () => closeRuntime(runtime),
  };
}

type ScheduleSettings = {
  name: string;
  cron: string;
  timezone: string;
  type: string;
  payload: string;
  queue: string;
  priority: number;
  overlap: string;
  catchUp: string;
};
type ScheduleStoreModule = {
  insertSchedule: (
    db: unknown,
    input: { id: string; userId: string; settings: ScheduleSettings; nextRunAt: Date | null; now: Date },
  ) => Promise<unknown>;
};
type Reads = { read: { all: <T>(sql: string, params?: Record<string, unknown>) => Promise<T[]> } };

/**
 * R12: schedules written through the API's own insertSchedule (what POST /v1/schedules stores once
 * the body is checked), and reads of what they made, on a runtime booted as the server boots one.
 */
export async function openJobdeckSchedules(env: Record<string, string>): Promise<{
  insertSchedule: (input: {
    id: string;
    userId: string;
    settings: ScheduleSettings;
    nextRunAt: Date;
  }) => Promise<unknown>;
  read: <T>(sql: string, params?: Record<string, unknown>) => Promise<T[]>;
  close: () => Promise<void>;
}> {
  const { bootRuntime, closeRuntime } = await load<BootModule>("boot.js");
  const { loadConfig } = await load<ConfigModule>("config.js");
  const { insertSchedule } = await load<ScheduleStoreModule>("db/schedule-store/index.js");
  const runtime = await bootRuntime(loadConfig(env), { migrate: false });
  return {
    insertSchedule: (input) => insertSchedule(runtime.db, { ...input, now: new Date() }),
    read: (sql, params) => (runtime.db as Reads).read.all(sql, params),
    close: () => closeRuntime(runtime),
  };
}
