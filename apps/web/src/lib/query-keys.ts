import type { JobListQuery } from "../features/jobs/list-state";

/**
 * Every cache key the dashboard uses, from one place. Keys nest, so `queryKeys.jobs()` matches
 * every job query and `queryKeys.jobLists()` every list, whatever its filters.
 */
export const queryKeys = {
  jobs: () => ["jobs"] as const,
  jobLists: () => ["jobs", "list"] as const,
  jobList: (query: JobListQuery) => ["jobs", "list", query] as const,
  jobDetails: () => ["jobs", "detail"] as const,
  job: (jobId: string) => ["jobs", "detail", jobId] as const,
  allJobStats: () => ["jobs", "stats"] as const,
  jobStats: (query: JobListQuery) => ["jobs", "stats", query] as const,
  jobArtifact: (jobId: string) => ["jobs", "artifact", jobId] as const,
  jobTypes: () => ["job-types"] as const,
};
