import { testProviders } from "../../client/test/support/api-server.js";
import { describeBinary } from "./suites/binary.js";
import { describeExportCommand } from "./suites/export.js";
import { describeJobsCommands } from "./suites/jobs.js";
import { describeLiveCommands } from "./suites/live.js";
import { describeOperatorCommands } from "./suites/operator.js";
import { describeResourceCommands } from "./suites/resources.js";
import { serveCli } from "./support/server.js";

/** Every command against one real server on a SQLite file; the built binary too (in a process of its own). */
const cli = serveCli("sqlite");
describeJobsCommands(cli);
describeExportCommand(cli);
describeResourceCommands(cli);
describeOperatorCommands(cli);
// The restart runs where it is quicker, on PostgreSQL, unless that is not reachable.
describeLiveCommands(cli, { withRestart: !(await testProviders()).includes("postgresql") });
describeBinary(cli);
