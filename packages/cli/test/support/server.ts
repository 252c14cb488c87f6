import { join } from "node:path";
import { createClient, type JobdeckClient } from "@jobdeck/client";
import { afterAll, beforeAll } from "vitest";
import {
  REPO_ROOT,
  startApiServer,
  type ApiServer,
  type Provider,
} from "../../../client/test/support/api-server.js";
import { freshConfigHome } from "./cli.js";

/** One real server for a whole test file, and what the suites need from it. */
export type CliServer = {
  readonly provider: Provider;
  readonly server: ApiServer;
  /** The environment of `sub` logged in through JOBDECK_URL and JOBDECK_TOKEN, with its own config directory. */
  as: (sub: string) => Record<string, string>;
  /** Arranges through the client, in this process: only what is under test runs the command. */
  clientOf: (sub: string) => JobdeckClient;
};

/**
 * Starts the server once for the file (beforeAll) on `provider`, with two workers: every suite of
 * the file uses it, each as its own users, so that no suite sees another's jobs.
 */
export function serveCli(provider: Provider): CliServer {
  let server: ApiServer | undefined;
  const started = () => {
    if (!server) throw new Error("the server has not started (beforeAll)");
    return server;
  };
  beforeAll(async () => {
    server = await startApiServer(provider, {
      WORKER_CONCURRENCY: "2",
      WORKER_BACKOFF_BASE_MS: "100",
      // test.insight: writes the log lines its payload lists, and fails its first attempts when told.
      JOB_TYPES_MODULE: join(REPO_ROOT, "apps/api/test/support/job-type-modules/insight-job-types.js"),
    });
  });
  afterAll(() => server?.close());
  return {
    provider,
    get server() {
      return started();
    },
    as: (sub) => ({
      JOBDECK_URL: started().url,
      JOBDECK_TOKEN: started().token(sub),
      XDG_CONFIG_HOME: freshConfigHome(),
    }),
    clientOf: (sub) => createClient({ url: started().url, token: started().token(sub) }),
  };
}
