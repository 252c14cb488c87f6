import { describe } from "vitest";
import { testProviders } from "../../client/test/support/api-server.js";
import { describeExportCommand } from "./suites/export.js";
import { describeJobsCommands } from "./suites/jobs.js";
import { describeLiveCommands } from "./suites/live.js";
import { describeOperatorCommands } from "./suites/operator.js";
import { describeResourceCommands } from "./suites/resources.js";
import { serveCli } from "./support/server.js";

/** The same commands against a real server on PostgreSQL (skipped when it does not answer, unless CI=true). */
if ((await testProviders()).includes("postgresql")) {
  const cli = serveCli("postgresql");
  describeJobsCommands(cli);
  describeExportCommand(cli);
  describeResourceCommands(cli);
  describeOperatorCommands(cli);
  describeLiveCommands(cli, { withRestart: true });
} else describe.skip("jobdeck on postgresql (not reachable)", () => undefined);
