import { Option, type Command } from "commander";
import { contextFor, type Context } from "./context.js";
import type { Io } from "./output.js";

/** An action with its Context: commander passes the arguments, the options, then the command itself. */
export function act<Args extends unknown[]>(io: Io, run: (context: Context, ...args: Args) => Promise<void>) {
  return async (...received: unknown[]) => {
    const command = received[received.length - 1] as Command;
    await run(contextFor(command, io), ...(received.slice(0, -1) as Args));
  };
}

/** Every command's --help ends with examples to copy. */
export function examples(command: Command, lines: string[]): Command {
  return command.addHelpText("after", `\nExamples:\n${lines.map((line) => `  $ ${line}`).join("\n")}\n`);
}

/** --json (and --ndjson where a command prints many things) instead of a table. */
export const jsonOption = () => new Option("--json", "print JSON (the API's objects) instead of a table");
export const ndjsonOption = () => new Option("--ndjson", "print one JSON object per line");
export type JsonFlags = { json?: boolean; ndjson?: boolean };
