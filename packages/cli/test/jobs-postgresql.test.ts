import { describe } from "vitest";
import { testProviders } from "../../client/test/support/api-server.js";
import { describeJobsCommands } from "./support/jobs-suite.js";

if ((await testProviders()).includes("postgresql")) describeJobsCommands("postgresql", { isFull: false });
else describe.skip("jobdeck jobs on postgresql (not reachable)", () => undefined);
