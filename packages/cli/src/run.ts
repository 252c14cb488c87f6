import { CommanderError } from "commander";
import { buildProgram } from "./program.js";
import { describeError, EXIT, exitCodeOf, type ExitCode } from "./exit-codes.js";
import type { Io } from "./output.js";

/**
 * Runs one command line and answers its exit code: 0 ok, 1 API error, 2 usage error, 3 not found,
 * 4 timeout, 5 a waited-for job that did not complete. Errors are printed on stderr with what to do.
 */
export async function run(argv: string[], io: Io): Promise<ExitCode> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander printed its message (and help when asked); help and --version are not errors.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const message = describeError(error, program.opts<{ url?: string }>().url ?? io.env.JOBDECK_URL);
    if (message) io.stderr.write(`${message}\n`);
    return exitCodeOf(error);
  }
}
