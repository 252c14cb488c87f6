/**
 * Every cache key the dashboard uses: one factory per route of the contract, named after it.
 * A key is one object with named parts; TanStack Query matches objects partially, so
 * `queryKeys.listJobs.all()` matches every cached list whatever its query. Code that needs a part
 * back (the cache, finding which list a key belongs to) reads it by name through `listQueryOf`.
 */
import type { JobStatsQueryInput, ListJobsQueryInput } from "@jobdeck/contract";
import type { QueryKey } from "@tanstack/react-query";

/** A list's query without limit and cursor: what its pages, its counts and its cache key share. */
export type JobListQuery = Omit<ListJobsQueryInput, "limit" | "cursor">;

export const queryKeys = {
  listJobs: {
    all: () => [{ route: "listJobs" }] as const,
    query: (listQuery: JobListQuery) => [{ route: "listJobs", listQuery }] as const,
  },
  getJob: {
    all: () => [{ route: "getJob" }] as const,
    byId: (jobId: string) => [{ route: "getJob", jobId }] as const,
  },
  getJobStats: {
    all: () => [{ route: "getJobStats" }] as const,
    query: (statsQuery: JobStatsQueryInput) => [{ route: "getJobStats", statsQuery }] as const,
  },
  getJobArtifact: (jobId: string) => [{ route: "getJobArtifact", jobId }] as const,
  listJobAttempts: (jobId: string) => [{ route: "listJobAttempts", jobId }] as const,
  /** A job's log lines, with the level filter (none: every level). */
  listJobLogs: (jobId: string, levels: readonly string[] | null) =>
    [{ route: "listJobLogs", jobId, levels }] as const,
  listJobTypes: () => [{ route: "listJobTypes" }] as const,
  listQueues: {
    all: () => [{ route: "listQueues" }] as const,
  },
  getQueue: {
    all: () => [{ route: "getQueue" }] as const,
    byName: (name: string) => [{ route: "getQueue", name }] as const,
  },
  listSchedules: {
    all: () => [{ route: "listSchedules" }] as const,
  },
  getSchedule: {
    all: () => [{ route: "getSchedule" }] as const,
    byId: (scheduleId: string) => [{ route: "getSchedule", scheduleId }] as const,
  },
  listWebhooks: {
    all: () => [{ route: "listWebhooks" }] as const,
  },
  getWebhook: {
    all: () => [{ route: "getWebhook" }] as const,
    byId: (webhookId: string) => [{ route: "getWebhook", webhookId }] as const,
  },
  listWebhookDeliveries: {
    byWebhook: (webhookId: string) => [{ route: "listWebhookDeliveries", webhookId }] as const,
  },
  listFailureGroups: () => [{ route: "listFailureGroups" }] as const,
  getRetention: () => [{ route: "getRetention" }] as const,
  listBulkOperations: {
    all: () => [{ route: "listBulkOperations" }] as const,
  },
  getBulkOperation: {
    all: () => [{ route: "getBulkOperation" }] as const,
    byId: (id: string) => [{ route: "getBulkOperation", id }] as const,
  },
  /**
   * A page of listJobs read for the jobs that started lately in a queue (or one key of it), to tell
   * when a rate limit lets the next one go. Not a "listJobs" key: the list cache holds pages of
   * views, and this is one answer that no view shows.
   */
  recentStarts: (queue: string, concurrencyKey: string | null) =>
    [{ route: "recentStarts", queue, concurrencyKey }] as const,
};

type ListJobsKeyPart = ReturnType<typeof queryKeys.listJobs.query>[0];

const isListJobsKeyPart = (part: unknown): part is ListJobsKeyPart =>
  typeof part === "object" &&
  part !== null &&
  "route" in part &&
  part.route === "listJobs" &&
  "listQuery" in part;

/** The query of a list's key (made by `queryKeys.listJobs.query`); undefined for any other key. */
export function listQueryOf(key: QueryKey): JobListQuery | undefined {
  const [part, ...rest] = key;
  return rest.length === 0 && isListJobsKeyPart(part) ? part.listQuery : undefined;
}
