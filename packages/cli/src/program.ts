import { Command } from "commander";
import { examples } from "./command-kit.js";
import { bulkCommand } from "./commands/bulk.js";
import { completionCommands } from "./commands/completion.js";
import { exportCommand } from "./commands/export.js";
import { jobsCommand } from "./commands/jobs.js";
import { loginCommands } from "./commands/login.js";
import { queuesCommand } from "./commands/queues.js";
import { retentionCommand } from "./commands/retention.js";
import { schedulesCommand } from "./commands/schedules.js";
import { webhooksCommand } from "./commands/webhooks.js";
import type { Io } from "./output.js";

export const VERSION = "0.1.0";

/** Every command under `jobdeck`; errors are thrown (exitOverride) so that run() picks the exit code. */
export function buildProgram(io: Io): Command {
  const program = new Command("jobdeck")
    .description("jobdeck from the terminal: jobs, queues, schedules, webhooks and retention")
    .version(VERSION)
    .option("--url <url>", "the server (default: JOBDECK_URL, else what `jobdeck login` saved)")
    .option("--token <token>", "the bearer token (default: JOBDECK_TOKEN, else what `jobdeck login` saved)")
    .option("--no-color", "no colour, even on a terminal (NO_COLOR works too)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError("(add --help for usage and examples)")
    .showSuggestionAfterError();

  for (const command of [
    ...loginCommands(io),
    jobsCommand(io),
    queuesCommand(io),
    schedulesCommand(io),
    webhooksCommand(io),
    bulkCommand(io),
    exportCommand(io),
    retentionCommand(io),
    ...completionCommands(io, program),
  ]) {
    program.addCommand(command, command.name().startsWith("__") ? { hidden: true } : {});
  }
  // addCommand does not pass the program's settings down as .command() does: give every command the
  // same output, error handling and help hints.
  const inherit = (parent: Command) => {
    for (const child of parent.commands) {
      child.copyInheritedSettings(parent);
      inherit(child);
    }
  };
  inherit(program);

  return examples(program, [
    "jobdeck login --url http://127.0.0.1:3000 --token $(npm run -s token -- --sub alice)",
    "jobdeck jobs create sleep --payload '{\"ms\": 500}' --wait",
    "jobdeck jobs list --status failed --json",
    "jobdeck export --status failed --output failed.csv",
    "jobdeck jobs watch",
    "jobdeck queues set emails --concurrency 5",
    "jobdeck jobs failures --created-from 1d",
    "jobdeck retention set --completed 7 --failed 30",
  ]);
}
