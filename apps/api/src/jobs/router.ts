import { contract } from "@jobdeck/contract";
import { initServer } from "@ts-rest/express";
import { userIdOf } from "../auth/middleware.js";
import { createJob } from "./create-job.js";
import type { JobsDeps } from "./deps.js";
import { getJob } from "./get-job.js";
import { requestFingerprint, runIdempotent } from "../idempotency/run-idempotent.js";
import { listJobs } from "./list-jobs.js";

const s = initServer();

/** Thin handlers: parsed input in, one service call, `{ status, body }` out. */
export function createJobsRouter(deps: JobsDeps) {
  return s.router(contract.jobs, {
    listJobs: async ({ query, res }) => {
      const page = await listJobs({ ...deps, userId: userIdOf(res), query });
      return { status: 200, body: { success: true, ...page } };
    },
    createJob: async ({ body, headers, res }) => {
      const userId = userIdOf(res);
      const result = await runIdempotent({
        db: deps.db,
        userId,
        key: headers["idempotency-key"],
        fingerprint: () => requestFingerprint("POST /v1/jobs", body),
        execute: async (tx) => ({
          status: 201 as const,
          body: {
            success: true as const,
            data: await createJob({ db: deps.db, tx, registry: deps.registry, userId, body }),
            message: "Job created",
          },
        }),
      });
      if (result.isReplay) res.setHeader("Idempotent-Replayed", "true");
      return { status: result.status, body: result.body };
    },
    getJob: async ({ params, res }) => {
      const job = await getJob({ ...deps, userId: userIdOf(res), jobId: params.jobId });
      return { status: 200, body: { success: true, data: job, message: "Job retrieved" } };
    },
    listJobTypes: () =>
      Promise.resolve({
        status: 200,
        body: { success: true, data: deps.registry.describe(), message: "Job types retrieved" },
      }),
  });
}
