import {
  SORT_FIELDS,
  JobSchema,
  QueueSchema,
  ScheduleSchema,
  WebhookSchema,
  WebhookWithSecretSchema,
} from "@jobdeck/contract";
import type { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startApiServer, type ApiServer } from "../../client/test/support/api-server.js";
import { completionsFor } from "../src/commands/completion.js";
import type { Io } from "../src/output.js";
import { buildProgram } from "../src/program.js";
import { freshConfigHome, jobdeck } from "./support/cli.js";

/** The command's resources are thin over their routes: one database is enough here (jobs run on both). */
describe("jobdeck queues, schedules and webhooks (sqlite)", () => {
  let server: ApiServer;
  const as = (sub: string) => ({
    JOBDECK_URL: server.url,
    JOBDECK_TOKEN: server.token(sub),
    XDG_CONFIG_HOME: freshConfigHome(),
  });
  const json = async (args: string[], env: Record<string, string>) => {
    const result = await jobdeck([...args, "--json"], { env });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as unknown;
  };

  beforeAll(async () => {
    server = await startApiServer("sqlite");
  });
  afterAll(() => server?.close());

  it("queues: set keeps the limits not given, get, list, pause and resume", async () => {
    const env = as("ops");
    const set = QueueSchema.parse(
      await json(["queues", "set", "emails", "--concurrency", "10", "--rate-limit", "100/1m"], env),
    );
    expect(set).toMatchObject({
      name: "emails",
      concurrency: 10,
      rateLimit: { limit: 100, periodMs: 60_000 },
      perKeyConcurrency: null,
    });
    const changed = QueueSchema.parse(
      await json(["queues", "set", "emails", "--per-key-concurrency", "2", "--rate-limit", "none"], env),
    );
    expect(changed).toMatchObject({ concurrency: 10, perKeyConcurrency: 2, rateLimit: null });

    expect(QueueSchema.parse(await json(["queues", "pause", "emails"], env)).isPaused).toBe(true);
    const listed = z.array(QueueSchema).parse(await json(["queues", "list"], env));
    expect(listed.map((queue) => [queue.name, queue.isPaused])).toEqual([["emails", true]]);
    const table = await jobdeck(["queues", "list"], { env });
    expect(table.stdout.split("\n")[1]).toMatch(/^emails\s+paused\s+10\s+2\s+-\s+-\s+0\s+0\s+-$/);
    expect((await jobdeck(["queues", "resume", "emails"], { env })).stdout).toBe("Resumed queue emails\n");
    const shown = await jobdeck(["queues", "get", "emails"], { env });
    expect(shown.stdout).toMatch(/^paused\s+no$/m);
    expect(shown.stdout).toMatch(/^etag\s+\S+$/m);
    expect((await jobdeck(["queues", "get", "nothing-here"], { env })).code).toBe(3);
    const bad = await jobdeck(["queues", "set", "emails", "--rate-limit", "100"], { env });
    expect(bad).toMatchObject({
      code: 2,
      stderr: "Error: --rate-limit 100: expected <starts>/<period>, such as 100/1m, or none\n",
    });
  });

  it("schedules: create, list, get, update, pause, resume, trigger and delete", async () => {
    const env = as("planner");
    const created = ScheduleSchema.parse(
      await json(
        [
          "schedules",
          "create",
          "nightly",
          "--cron",
          "0 3 * * *",
          "--timezone",
          "Europe/Berlin",
          "--type",
          "echo",
          "--payload",
          '{"report": 1}',
        ],
        env,
      ),
    );
    expect(created).toMatchObject({
      name: "nightly",
      cron: "0 3 * * *",
      timezone: "Europe/Berlin",
      payload: { report: 1 },
    });
    expect(
      z
        .array(ScheduleSchema)
        .parse(await json(["schedules", "list"], env))
        .map((s) => s.id),
    ).toEqual([created.id]);
    const updated = ScheduleSchema.parse(
      await json(["schedules", "update", created.id, "--cron", "*/5 * * * *"], env),
    );
    expect(updated).toMatchObject({
      cron: "*/5 * * * *",
      timezone: "Europe/Berlin",
      payload: { report: 1 },
      name: "nightly",
    });
    expect(ScheduleSchema.parse(await json(["schedules", "pause", created.id], env)).isPaused).toBe(true);
    expect(ScheduleSchema.parse(await json(["schedules", "resume", created.id], env)).isPaused).toBe(false);
    const job = JobSchema.parse(await json(["schedules", "trigger", created.id], env));
    expect(job.scheduleId).toBe(created.id);
    const shown = await jobdeck(["schedules", "get", created.id], { env });
    expect(shown.stdout).toContain(`lastJobId  ${job.id}`);
    const invalid = await jobdeck(
      ["schedules", "create", "broken", "--cron", "61 * * * *", "--type", "echo"],
      { env },
    );
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^Error: cron: /);
    expect((await jobdeck(["schedules", "delete", created.id], { env })).stdout).toBe(
      `Deleted schedule ${created.id}\n`,
    );
    expect((await jobdeck(["schedules", "get", created.id], { env })).code).toBe(3);
  });

  it("webhooks: create (secret shown once), list, update, test, deliveries, rotate-secret and delete", async () => {
    const env = as("hooks");
    const created = WebhookWithSecretSchema.parse(
      await json(
        [
          "webhooks",
          "create",
          "http://127.0.0.1:9/hooks",
          "--event",
          "job.failed",
          "--filter-queue",
          "emails",
        ],
        env,
      ),
    );
    expect(created).toMatchObject({ events: ["job.failed"], filter: { queue: ["emails"] }, isEnabled: true });
    expect(created.secret).toMatch(/^whsec_/);
    expect(
      z
        .array(WebhookSchema)
        .parse(await json(["webhooks", "list"], env))
        .map((w) => w.id),
    ).toEqual([created.id]);
    const updated = WebhookSchema.parse(
      await json(["webhooks", "update", created.id, "--disabled", "--event", "job.completed"], env),
    );
    expect(updated).toMatchObject({
      isEnabled: false,
      events: ["job.completed"],
      filter: { queue: ["emails"] },
    });
    const test = await jobdeck(["webhooks", "test", created.id], { env });
    expect(test.stdout).toMatch(/^Sent test message \S+; see it with jobdeck webhooks deliveries/);
    const rotated = await jobdeck(["webhooks", "rotate-secret", created.id], { env });
    expect(rotated.stdout).toMatch(/^whsec_\S+\n$/);
    expect(rotated.stdout.trim()).not.toBe(created.secret);
    expect((await jobdeck(["webhooks", "deliveries", created.id], { env })).code).toBe(0);
    expect((await jobdeck(["webhooks", "delete", created.id], { env })).stdout).toBe(
      `Deleted webhook ${created.id}\n`,
    );
  });
});

describe("jobdeck's help and completion", () => {
  const io = (): Io & { text(): string } => {
    let text = "";
    const sink = {
      write: (chunk: string) => ((text += chunk), true),
      isTTY: false,
    } as unknown as Io["stdout"];
    return { env: {}, stdout: sink, stderr: sink, stdin: process.stdin, text: () => text };
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

    const shell = await jobdeck(["__complete", "--", "queues", "p"]);
    expect(shell.stdout).toBe("pause\n");
    const script = await jobdeck(["completion", "bash"]);
    expect(script.stdout).toContain("complete -o default -F _jobdeck_completion jobdeck");
    expect((await jobdeck(["completion", "tcsh"])).code).toBe(2);
  });
});
