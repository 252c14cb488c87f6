import { Readable } from "node:stream";
import { contract, LIST_LIMIT_MAX, type BinaryBody, type CreateJobBody, type Job } from "@jobdeck/contract";
import { initServer } from "@ts-rest/express";
import { userIdOf, type WithLocals } from "../auth/middleware.js";
import { storeAnswer, storeBatchAnswer } from "../idempotency/keys.js";
import { requestFingerprint, runIdempotent } from "../idempotency/run-idempotent.js";
import { cancelJob } from "./cancel-job.js";
import { createJob, type RememberAnswer } from "./create-job.js";
import { batchMessage, createJobsBatch, type RememberBatchAnswer } from "./create-jobs-batch.js";
import type { JobsDeps } from "./deps.js";
import { EXPORT_CONTENT_TYPES, exportJobs } from "./export-jobs.js";
import { getJobArtifact } from "./get-job-artifact.js";
import { getJobStats } from "./get-job-stats.js";
import { getJob } from "./get-job.js";
import { listFailureGroups } from "./list-failure-groups.js";
import { listJobs } from "./list-jobs.js";
import { retryJob } from "./retry-job.js";

const s = initServer();

/** The new job's URL, as a 201's `Location`: the path of GET /v1/jobs/{jobId}. */
const jobLocation = (jobId: string) => contract.jobs.getJob.path.replace(":jobId", encodeURIComponent(jobId));

/** A batch has no resource of its own: its 201 points at the first page of its jobs. */
const batchLocation = (batchId: string) =>
  `${contract.jobs.listJobs.path}?batchId=${encodeURIComponent(batchId)}&limit=${LIST_LIMIT_MAX}`;

/** Where a create's answer goes: the user's id in `locals`, and its headers. */
type AnswerTo = WithLocals & { setHeader(name: string, value: string): unknown };

/**
 * The two routes that create a job run at most once per Idempotency-Key (docs/api.md §10.1): the answer
 * they would send is stored with the job, in its transaction, and replayed for a repeat. A new job
 * is a 201 with its Location; a create folded into a pending job with the same dedupe key (§11)
 * is a 200 with `Deduplicated: true`. A replay answers the same.
 */
async function createOnce(
  deps: JobsDeps,
  res: AnswerTo,
  key: string | undefined,
  route: string,
  requestBody: unknown,
  message: string,
  create: (
    userId: string,
    remember: RememberAnswer | undefined,
  ) => Promise<{ job: Job; isDeduplicated: boolean }>,
) {
  const userId = userIdOf(res);
  const answerOf = (job: Job, isDeduplicated: boolean) =>
    isDeduplicated
      ? { status: 200 as const, body: { success: true as const, data: job, message: "Job deduplicated" } }
      : { status: 201 as const, body: { success: true as const, data: job, message } };
  const result = await runIdempotent({
    db: deps.db,
    userId,
    key,
    fingerprint: () => requestFingerprint(route, requestBody),
    execute: async (ticket) => {
      const remember: RememberAnswer | undefined =
        ticket &&
        ((present) => storeAnswer(ticket, (row, isDeduplicated) => answerOf(present(row), isDeduplicated)));
      const { job, isDeduplicated } = await create(userId, remember);
      return answerOf(job, isDeduplicated);
    },
  });
  if (result.isReplay) res.setHeader("Idempotent-Replayed", "true");
  if (result.status === 200) res.setHeader("Deduplicated", "true");
  // Every 201 names what it created; relative, so no Host header is trusted to build it.
  else res.setHeader("Location", jobLocation(result.body.data.id));
  return result;
}

/**
 * POST /v1/jobs's answer for a body the contract accepted: what the ts-rest route returns, and what
 * the lean path (http/create-lane.ts) sends without it.
 */
export const answerCreateJob = (
  deps: JobsDeps,
  res: AnswerTo,
  key: string | undefined,
  body: CreateJobBody,
) =>
  createOnce(deps, res, key, "POST /v1/jobs", body, "Job created", (userId, remember) =>
    createJob({ ...deps, userId, body, remember }),
  );

/** Thin handlers: parsed input in, one service call, `{ status, body }` out. */
export function createJobsRouter(deps: JobsDeps, { filterScanLimit }: { filterScanLimit: number }) {
  return s.router(contract.jobs, {
    listJobs: async ({ query, res }) => {
      const page = await listJobs({ ...deps, userId: userIdOf(res), query, filterScanLimit });
      return { status: 200, body: { success: true, ...page } };
    },
    createJob: async ({ body, headers, res }) => {
      const result = await answerCreateJob(deps, res, headers["idempotency-key"], body);
      return { status: result.status, body: result.body };
    },
    createJobsBatch: async ({ body, headers, res }) => {
      const userId = userIdOf(res);
      const result = await runIdempotent({
        db: deps.db,
        userId,
        key: headers["idempotency-key"],
        fingerprint: () => requestFingerprint("POST /v1/jobs/batch", body),
        execute: async (ticket) => {
          const remember: RememberBatchAnswer | undefined =
            ticket &&
            ((present) =>
              storeBatchAnswer(ticket, (rows) => {
                const data = present(rows);
                return { status: 201, body: { success: true, data, message: batchMessage(data.jobs) } };
              }));
          const data = await createJobsBatch({ ...deps, userId, jobs: body.jobs, remember });
          return {
            status: 201 as const,
            body: { success: true as const, data, message: batchMessage(data.jobs) },
          };
        },
      });
      if (result.isReplay) res.setHeader("Idempotent-Replayed", "true");
      res.setHeader("Location", batchLocation(result.body.data.batchId));
      return { status: 201, body: result.body };
    },
    getJobStats: async ({ query, res }) => {
      const stats = await getJobStats({ ...deps, userId: userIdOf(res), query });
      return { status: 200, body: { success: true, data: stats, message: "Job stats retrieved" } };
    },
    listFailureGroups: async ({ query, res }) => {
      const groups = await listFailureGroups({ ...deps, userId: userIdOf(res), query });
      return { status: 200, body: { success: true, data: groups, message: "Failure groups retrieved" } };
    },
    exportJobs: async ({ query, res }) => {
      const chunks = exportJobs({ ...deps, userId: userIdOf(res), query, filterScanLimit });
      // The first page is read before the answer starts: a failure there is an ordinary error answer.
      const first = await chunks.next();
      const stream = Readable.from(
        (async function* () {
          if (!first.done) yield first.value;
          yield* chunks;
        })(),
        { objectMode: false },
      );
      // Headers are gone once the first chunk is: a failure later can only cut the answer short.
      stream.on("error", () => res.destroy());
      res.setHeader("Content-Type", EXPORT_CONTENT_TYPES[query.format]);
      res.setHeader("Content-Disposition", `attachment; filename="jobs.${query.format}"`);
      res.setHeader("Cache-Control", "no-store");
      res.setHeader("X-Content-Type-Options", "nosniff");
      return { status: 200 as const, body: stream as unknown as BinaryBody };
    },
    getJob: async ({ params, res }) => {
      const job = await getJob({ ...deps, userId: userIdOf(res), jobId: params.jobId });
      return { status: 200, body: { success: true, data: job, message: "Job retrieved" } };
    },
    cancelJob: async ({ params, res }) => {
      const { job, message } = await cancelJob({ ...deps, userId: userIdOf(res), jobId: params.jobId });
      return { status: 200, body: { success: true, data: job, message } };
    },
    retryJob: async ({ params, headers, body, res }) => {
      const route = `POST /v1/jobs/${params.jobId}/retry`;
      // No body and `{}` are the same plain retry, with the fingerprint plain retries always had.
      const changes = body && Object.keys(body).length > 0 ? body : undefined;
      const result = await createOnce(
        deps,
        res,
        headers["idempotency-key"],
        route,
        changes ?? null,
        "Job created as a retry",
        async (userId, remember) => ({
          job: await retryJob({ ...deps, userId, jobId: params.jobId, changes, remember }),
          isDeduplicated: false,
        }),
      );
      // A retry never deduplicates: its answer is always the 201 of a new job.
      return { status: 201 as const, body: result.body };
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
