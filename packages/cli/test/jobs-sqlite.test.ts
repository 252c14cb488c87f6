import { describeJobsCommands } from "./support/jobs-suite.js";

describeJobsCommands("sqlite", { isFull: true });
