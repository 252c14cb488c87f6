import { SORT_FIELDS } from "@jobdeck/contract";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { completionsFor } from "../src/commands/completion.js";
import type { Io } from "../src/output.js";
import { buildProgram } from "../src/program.js";
import { jobdeck } from "./support/cli.js";

describe("jobdeck's help and completion", () => {
  const io = (): Io & { text(): string } => {
    let text = "";
    const sink = {
      write: (chunk: string) => ((text += chunk), true),
      isTTY: false,
    } as unknown as Io["stdout"];
    return {
      env: {},
      stdout: sink,
      stderr: sink,
      stdin: process.stdin,
      onInterrupt: () => () => undefined,
      text: () => text,
    };
  };
  const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap(everyCommand)];

  it("gives every command a description and --help with an example", () => {
    const program = buildProgram(io());
    const missing: string[] = [];
    for (const command of everyCommand(program)) {
      if (command.name().startsWith("__") || command.name() === "help") continue;
      const out = io();
      command.configureOutput({ writeOut: (s) => out.stdout.write(s) });
      command.outputHelp();
      if (!/Examples:\n {2}\$ jobdeck /.test(out.text()) || command.description() === "")
        missing.push(command.name());
    }
    expect(missing).toEqual([]);
  });

  it("completes commands, flags and a flag's choices from the program's own definition", async () => {
    const program = buildProgram(io());
    expect(completionsFor(program, ["j"])).toEqual(["jobs"]);
    expect(completionsFor(program, ["jobs", "w"])).toEqual(["wait", "watch"]);
    expect(completionsFor(program, ["jobs", "list", "--sort-"])).toEqual(["--sort-by", "--sort-order"]);
    expect(completionsFor(program, ["jobs", "list", "--sort-by", ""])).toEqual([...SORT_FIELDS]);
    expect(completionsFor(program, ["queues", "set", "emails", "--con"])).toEqual(["--concurrency"]);
    expect(completionsFor(program, ["ret"])).toEqual(["retention"]);
    expect(completionsFor(program, ["retention", ""])).toEqual(["get", "set"]);
    expect(completionsFor(program, ["retention", "set", "--c"])).toEqual(["--completed", "--cancelled"]);
    expect(completionsFor(program, ["jobs", "a"])).toEqual(["attempts", "artifact"]);
    expect(completionsFor(program, ["jobs", "failures", "--error"])).toEqual(["--error-code"]);

    const shell = await jobdeck(["__complete", "--", "queues", "p"]);
    expect(shell.stdout).toBe("pause\n");
    const script = await jobdeck(["completion", "bash"]);
    expect(script.stdout).toContain("complete -o default -F _jobdeck_completion jobdeck");
    expect((await jobdeck(["completion", "tcsh"])).code).toBe(2);
  });
});
