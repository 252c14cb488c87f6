import { JobAttemptSchema, JobSchema, LogEventDataSchema } from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { jobdeck, parseLines, startJobdeck, until, within } from "../support/cli.js";
import type { CliServer } from "../support/server.js";

const JobsSchema = z.array(JobSchema);
const LogLinesSchema = z.array(LogEventDataSchema.omit({ jobId: true }));

/**
 * The commands that stay open: jobs watch and jobs logs --follow, live, and (`withRestart`: on one
 * database is enough, the stream is the same code on both) across a restart of the server.
 */
export function describeLiveCommands(cli: CliServer, { withRestart }: { withRestart: boolean }): void {
  describe(`jobdeck's live commands on ${cli.provider}`, () => {
    const { as, clientOf } = cli;

    it("watch prints each change of the watched jobs as it happens", async () => {
      const watch = startJobdeck(["jobs", "watch", "--type", "sleep", "--ndjson"], { env: as("watcher") });
      try {
        const client = clientOf("watcher");
        await until(() => watch.stderr().includes("watch: live"), "the watch to be live");
        // Ignored: not of the watched type. The sleep lasts 2 s: watch reads the list 250 ms after an
        // event, and a read after the end would see only "completed".
        await client.jobs.createJob({ body: { type: "echo", payload: {} } });
        const job = (await client.jobs.createJob({ body: { type: "sleep", payload: { ms: 2_000 } } })).body
          .data;
        await until(
          () => watch.stdout().includes('"status":"completed"'),
          "the completed job in watch's output",
        );
        const seen = JobsSchema.parse(parseLines(watch.stdout()));
        expect(new Set(seen.map((event) => event.id))).toEqual(new Set([job.id]));
        expect(seen.at(-1)!.status).toBe("completed");
        // Seen live: before it completed too, not only once it had.
        expect(seen.length).toBeGreaterThan(1);
      } finally {
        expect(await watch.interrupt()).toBe(0);
      }
    });

    it("watch redraws a table on a terminal as jobs change", async () => {
      const watch = startJobdeck(["jobs", "watch", "--type", "sleep"], {
        env: as("tty-watcher"),
        isTTY: true,
      });
      try {
        await until(() => watch.stdout().includes("No jobs match."), "the first, empty, table");
        expect(watch.stdout().startsWith("\x1b[H\x1b[2J")).toBe(true);
        const job = (
          await clientOf("tty-watcher").jobs.createJob({ body: { type: "sleep", payload: { ms: 200 } } })
        ).body.data;
        const lastScreen = () => watch.stdout().split("\x1b[H\x1b[2J").at(-1)!;
        await until(
          () => lastScreen().includes(job.id) && lastScreen().includes("completed"),
          "a redrawn table with the job completed",
        );
        expect(lastScreen()).toContain("jobdeck jobs watch");
        expect(lastScreen()).toContain(" │ ");
        expect(lastScreen()).toContain("\x1b[32mcompleted\x1b[39m");
      } finally {
        expect(await watch.interrupt()).toBe(0);
      }
    });

    it("logs --follow prints a job's lines as they are written and ends with the job; attempts lists each try", async () => {
      const env = as("logger");
      const client = clientOf("logger");
      // Held in a paused queue until the command follows: then every line is written while it does.
      await client.queues.pauseQueue({ params: { name: "held" } });
      const job = (
        await client.jobs.createJob({
          body: {
            type: "test.insight",
            payload: { lines: [{ level: "warn", message: "hello", fields: { n: 1 } }], failAttempts: 1 },
            queue: "held",
          },
        })
      ).body.data;
      const follow = startJobdeck(["jobs", "logs", job.id, "--follow", "--ndjson"], { env });
      await until(() => follow.stderr().includes("logs: following"), "logs to follow");
      expect(follow.stdout()).toBe("");
      await client.queues.resumeQueue({ params: { name: "held" } });
      expect(await follow.exited).toBe(0);
      expect(follow.stderr()).toBe("logs: following (Ctrl-C to stop)\n");
      const lines = LogLinesSchema.parse(parseLines(follow.stdout()));
      const hellos = lines.filter((line) => line.message === "hello");
      expect(hellos.map((line) => [line.attempt, line.level])).toEqual([
        [1, "warn"],
        [2, "warn"],
      ]);
      const seqs = lines.map((line) => line.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

      const text = await jobdeck(["jobs", "logs", job.id, "--level", "warn"], { env });
      const warnings = text.stdout.trim().split("\n");
      expect(warnings.every((line) => line.includes(" WARN "))).toBe(true);
      expect(warnings.filter((line) => line.endsWith('hello {"n":1}'))).toHaveLength(2);
      expect(text.stdout).toMatch(/^\S+Z {2}WARN {3}#1 {2}hello \{"n":1\}$/m);

      const attempts = z
        .array(JobAttemptSchema)
        .parse(JSON.parse((await jobdeck(["jobs", "attempts", job.id, "--json"], { env })).stdout));
      expect(attempts.map((attempt) => attempt.outcome)).toEqual(["failed", "completed"]);
    });

    it.runIf(withRestart)(
      "watch and logs --follow reconnect after the server restarts, resuming where they were",
      async () => {
        const env = as("restarter");
        const client = clientOf("restarter");
        // Held in a paused queue until the server has restarted: its lines are written while the
        // commands reconnect or just after; either way they must arrive (Last-Event-ID replays what
        // a command missed).
        await client.queues.pauseQueue({ params: { name: "held" } });
        const logged = (
          await client.jobs.createJob({
            body: {
              type: "test.insight",
              payload: { lines: [{ level: "info", message: "across the restart" }] },
              queue: "held",
            },
          })
        ).body.data;
        const watch = startJobdeck(["jobs", "watch", "--type", "sleep", "--ndjson"], { env });
        const follow = startJobdeck(["jobs", "logs", logged.id, "--follow", "--ndjson"], { env });
        try {
          await until(() => watch.stderr().includes("watch: live"), "the watch to be live");
          await until(() => follow.stderr().includes("logs: following"), "logs to follow");

          await within(cli.server.restart(), "the server to restart");
          await client.queues.resumeQueue({ params: { name: "held" } });

          expect(await within(follow.exited, "logs --follow to end with its job")).toBe(0);
          expect(follow.stderr()).toMatch(/^logs: .+; reconnecting$/m);
          expect(LogLinesSchema.parse(parseLines(follow.stdout())).map((line) => line.message)).toContain(
            "across the restart",
          );

          await until(
            () => watch.stderr().split("watch: live").length > 2,
            "the watch to be live again after the restart",
          );
          expect(watch.stderr()).toMatch(/^watch: reconnecting in \d+ s/m);
          const job = (await client.jobs.createJob({ body: { type: "sleep", payload: { ms: 100 } } })).body
            .data;
          await until(
            () =>
              JobsSchema.parse(parseLines(watch.stdout())).some(
                (seen) => seen.id === job.id && seen.status === "completed",
              ),
            "the job made after the restart, completed, in watch's output",
          );
          expect(await watch.interrupt()).toBe(0);
        } finally {
          // Stops what an earlier failure left running (a second interrupt changes nothing).
          await watch.interrupt();
          await follow.interrupt();
        }
      },
      // Six waits in turn, each bounded at 15 s and named when it runs out; under a loaded CI
      // machine they took more than the suite's 30 s once, with nothing saying which.
      90_000,
    );
  });
}
