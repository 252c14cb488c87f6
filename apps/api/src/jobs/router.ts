import { Readable } from "node:stream";
import { contract, type BinaryBody } from "@jobdeck/contract";
import { initServer } from "@ts-rest/express";
import { userIdOf } from "../auth/middleware.js";
import { cancelJob } from "./cancel-job.js";
import { createJob } from "./create-job.js";
import type { JobsDeps } from "./deps.js";
import { getJobArtifact } from "./get-job-artifact.js";
import { getJobStats } from "./get-job-stats.js";
import { getJob } from "./get-job.js";
import { listJobs } from "./list-jobs.js";
import { retryJob } from "./retry-job.js";

const s = initServer();

/** Thin handlers: parsed input in, one service call, `{ status, body }` out. */
export function createJobsRouter(deps: JobsDeps) {
  return s.router(contract.jobs, {
    listJobs: async ({ query, res }) => {
      const page = await listJobs({ ...deps, userId: userIdOf(res), query });
      return { status: 200, body: { success: true, ...page } };
    },
    createJob: async ({ body, res }) => {
      const job = await createJob({ ...deps, userId: userIdOf(res), body });
      return { status: 201, body: { success: true, data: job, message: "Job created" } };
    },
    getJobStats: async ({ query, res }) => {
      const stats = await getJobStats({ ...deps, userId: userIdOf(res), query });
      return { status: 200, body: { success: true, data: stats, message: "Job stats retrieved" } };
    },
    getJob: async ({ params, res }) => {
      const job = await getJob({ ...deps, userId: userIdOf(res), jobId: params.jobId });
      return { status: 200, body: { success: true, data: job, message: "Job retrieved" } };
    },
    cancelJob: async ({ params, res }) => {
      const { job, message } = await cancelJob({ ...deps, userId: userIdOf(res), jobId: params.jobId });
      return { status: 200, body: { success: true, data: job, message } };
    },
    retryJob: async ({ params, res }) => {
      const job = await retryJob({ ...deps, userId: userIdOf(res), jobId: params.jobId });
      return { status: 201, body: { success: true, data: job, message: "Job created as a retry" } };
    },
    getJobArtifact: async ({ params, res }) => {
      const artifact = await getJobArtifact({ ...deps, userId: userIdOf(res), jobId: params.jobId });
      // ts-rest would send the contract's one declared type; a stream body is piped as it is, with
      // the headers set here: the artifact's own type. It never changes once written.
      res.setHeader("Content-Type", artifact.contentType);
      res.setHeader("Content-Length", String(artifact.bytes.length));
      res.setHeader("Cache-Control", "private, max-age=31536000, immutable");
      res.setHeader("X-Content-Type-Options", "nosniff");
      return { status: 200, body: Readable.from([artifact.bytes]) as unknown as BinaryBody };
    },
    listJobTypes: () =>
      Promise.resolve({
        status: 200,
        body: { success: true, data: deps.registry.describe(), message: "Job types retrieved" },
      }),
  });
}
