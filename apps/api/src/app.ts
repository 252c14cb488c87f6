import { contract } from "@jobdeck/contract";
import { createExpressEndpoints } from "@ts-rest/express";
import type { IncomingMessage, ServerResponse } from "node:http";
import express from "express";
import type { Logger } from "pino";
import { identifyUser, requireUser } from "./auth/middleware.js";
import type { TokenKeys } from "./auth/keys.js";
import type { Config } from "./config.js";
import type { Database } from "./db/index.js";
import type { JobStore } from "./db/job-store/index.js";
import type { EventFeed } from "./events/event-feed.js";
import { eventsRouter } from "./events/router.js";
import { compressResponses } from "./http/compression.js";
import { dashboardRouter } from "./http/dashboard.js";
import { errorHandler, notFoundHandler } from "./http/error-handler.js";
import { healthRouter } from "./http/health.js";
import { jsonBody } from "./http/json-body.js";
import { createJobLane, recordHeaders, takesLane, type Lane } from "./http/create-lane.js";
import { refuseOtherMethods } from "./http/allowed-methods.js";
import { docsRouter } from "./http/openapi/docs-page.js";
import type { OpenApiDocument } from "./http/openapi/document.js";
import { documentedPaths } from "./http/openapi/paths.js";
import { refuseUndeclaredQuery } from "./http/query-parameters.js";
import { createRateLimiters } from "./http/rate-limit.js";
import { requestId } from "./http/request-id.js";
import { requestLog } from "./http/request-log.js";
import { corsPolicy, securityHeaders } from "./http/security.js";
import { requestRefused } from "./http/validation.js";
import type { JobTypeRegistry } from "./job-types/registry.js";
import { batchBodyDetails } from "./jobs/check-jobs-batch.js";
import { answerCreateJob, createJobsRouter } from "./jobs/router.js";
import { createMetrics, measureRequests, metricsEndpoint, type Metrics } from "./metrics/metrics.js";
import { webDistDir } from "./paths.js";
import { createQueuesRouter } from "./queues/router.js";
import { createWebhooksRouter } from "./webhooks/router.js";
import { secretKeyOf } from "./webhooks/secret-box.js";
import { createSchedulesRouter } from "./schedules/router.js";
import { createBulkOperationsRouter } from "./bulk-operations/router.js";
import { createAttemptsRouter } from "./attempts/router.js";
import { createRetentionRouter } from "./retention/router.js";

export type AppDeps = {
  config: Config;
  db: Database;
  store: JobStore;
  feed: EventFeed;
  registry: JobTypeRegistry;
  keys: TokenKeys;
  cursorKey: Buffer;
  logger: Logger;
  /** Shared with the process's worker so its counters appear on /metrics; made here when absent. */
  metrics?: Metrics;
  /** The lean path of POST /v1/jobs; off only to compare it with the Express route (create-lane.test.ts). */
  lanes?: boolean;
};

export const API_VERSION = "1.0.0";

/** What a Node HTTP server calls with each request; `lane` is the lean path's, when it has one. */
export type App = ((req: IncomingMessage, res: ServerResponse) => void) & { lane?: Lane };

/**
 * Builds the HTTP app; never listens, so tests can serve it on any port against a real database.
 * POST /v1/jobs takes a lean path in front of Express (http/create-lane.ts) unless `lanes` is false.
 */
export function createApp({
  config,
  db,
  store,
  feed,
  registry,
  keys,
  cursorKey,
  logger,
  metrics: given,
  lanes = true,
}: AppDeps): App {
  const metrics = given ?? createMetrics(db);
  const limiters = createRateLimiters({ db, perMinute: config.rateLimitPerMinute });
  const app = express();
  app.disable("x-powered-by");
  // Plain key=value parsing: a repeated or bracketed parameter is an array, which validation refuses,
  // instead of qs's nested objects.
  app.set("query parser", "simple");

  // Shared with the lean path of POST /v1/jobs, which runs the same instances.
  const observe = [measureRequests(metrics), requestLog(logger)];
  const security = securityHeaders();
  const cors = corsPolicy(config.corsOrigins);
  const compress = compressResponses();
  app.use(requestId, ...observe, security, cors, compress);

  const refuseOtherMethodsOfDocumentedPaths = refuseOtherMethods(documentedPaths());
  // Generated with the first request for it, not at boot: generating it grows the heap by tens of
  // MB that would stay resident in every server (R9, RSS at rest).
  let openApi: Promise<OpenApiDocument> | undefined;

  app.use(healthRouter(db));
  app.get("/metrics", metricsEndpoint(metrics, config.metricsToken));
  app.get("/openapi.json", (_req, res, next) => {
    openApi ??= import("./http/openapi/document.js").then(({ buildOpenApiDocument }) =>
      buildOpenApiDocument(API_VERSION),
    );
    openApi.then((document) => res.json(document), next);
  });
  app.use("/docs", docsRouter());

  app.use(
    "/v1",
    identifyUser(keys),
    limiters.perAddress,
    requireUser,
    limiters.perUser,
    refuseOtherMethodsOfDocumentedPaths,
    ...jsonBody,
  );
  // A plain Express route: ts-rest cannot model a stream (its OpenAPI entry: http/openapi/outside-contract.ts).
  app.use(eventsRouter({ feed, heartbeatMs: config.eventsHeartbeatMs, logger }));
  const jobsDeps = { db, store, registry, cursorKey };
  const routers = {
    jobs: createJobsRouter(jobsDeps, { filterScanLimit: config.filterScanLimit }),
    queues: createQueuesRouter({ db, cursorKey }),
    webhooks: createWebhooksRouter({
      db,
      cursorKey,
      secretKey: secretKeyOf(db),
      allowPrivate: config.httpRequestAllowPrivate,
    }),
    schedules: createSchedulesRouter({ db, store, registry, cursorKey }),
    bulkOperations: createBulkOperationsRouter({ db, store, registry, cursorKey }),
    attempts: createAttemptsRouter({ db, cursorKey }),
    retention: createRetentionRouter({ db }),
  };
  createExpressEndpoints(contract, routers, app, {
    responseValidation: config.env === "test",
    globalMiddleware: [refuseUndeclaredQuery],
    requestValidationErrorHandler: (error, req, _res, next) => {
      // A batch names every bad item, its type's refusals too, not only what the contract saw first.
      const isBatch = (req as { tsRestRoute?: unknown }).tsRestRoute === contract.jobs.createJobsBatch;
      next(requestRefused(error, isBatch ? () => batchBodyDetails(registry, req.body) : undefined));
    },
  });

  app.use(dashboardRouter(webDistDir));
  // The documented paths outside /v1 (/healthz, /readyz, /metrics) that no route took.
  app.use(refuseOtherMethodsOfDocumentedPaths);
  app.use(notFoundHandler);
  const handleErrors = errorHandler(logger);
  app.use(handleErrors);
  if (!lanes) return app;

  const lane = createJobLane({
    keys,
    observe,
    fixedHeaders: recordHeaders([security, cors]),
    countUser: limiters.countUser,
    answer: (res, key, body) => answerCreateJob(jobsDeps, res, key, body),
    compress,
    isResponseValidated: config.env === "test",
    app,
    // Once an answer has begun, as Express would: the connection is cut.
    handleErrors: (error, req, res) => handleErrors(error, req, res, () => req.socket.destroy()),
  });
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    if (takesLane(req)) lane(req, res);
    else app(req, res);
  };
  return Object.assign(serve, { lane });
}
