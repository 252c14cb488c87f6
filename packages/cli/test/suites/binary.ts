import { existsSync } from "node:fs";
import { EXPORT_CSV_COLUMNS, JobSchema } from "@jobdeck/contract";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../client/test/support/api-server.js";
import { BIN, spawnJobdeck, until } from "../support/cli.js";
import type { CliServer } from "../support/server.js";

const MISSING_JOB = "0190f7a0-0000-7000-8000-000000000000";
/** util-linux's `script` runs a command on a pseudo-terminal: a real TTY for the built binary. */
const SCRIPT = "/usr/bin/script";
const shellQuote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * The built command in processes of its own (the other suites run it in-process through run()):
 * what only a real process shows: exit statuses, the bin and npx, signals, a real terminal.
 */
export function describeBinary(cli: CliServer): void {
  describe(`the built jobdeck binary on ${cli.provider}`, () => {
    it("exits 0, 1, 2 and 3 as a shell sees them, with plain text and JSON on a pipe", async () => {
      const env = cli.as("binary");
      const created = await spawnJobdeck(["jobs", "create", "echo", "--payload", "-", "--json"], {
        env,
        input: '{"from": "stdin"}',
      }).result();
      expect(created.stderr).toBe("");
      expect(created.code).toBe(0);
      const job = JobSchema.parse(JSON.parse(created.stdout));
      expect(job.payload).toEqual({ from: "stdin" });

      const [exported, missing, refused, usage] = await Promise.all([
        spawnJobdeck(["export", "--format", "csv"], { env }).result(),
        spawnJobdeck(["jobs", "get", MISSING_JOB], { env }).result(),
        spawnJobdeck(["jobs", "create", "no.such.type"], { env }).result(),
        spawnJobdeck(["export", "--format", "xml"], { env }).result(),
      ]);
      expect(exported.code).toBe(0);
      const rows = parse<Record<string, string>>(exported.stdout, { columns: true });
      expect(Object.keys(rows[0]!)).toEqual(EXPORT_CSV_COLUMNS);
      expect(rows.map((row) => row.id)).toEqual([job.id]);
      expect(missing.code).toBe(3);
      expect(missing.stderr).toContain("(404 NOT_FOUND)");
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("(400 VALIDATION_FAILED)");
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain("argument 'xml' is invalid");
    });

    it("export ends quietly with 0 when its reader stops early (| head)", async () => {
      const env = cli.as("binary-head");
      await cli.clientOf("binary-head").jobs.createJobsBatch({
        body: {
          // Well over a pipe's 64 KiB buffer: the export is still writing when the reader goes.
          jobs: Array.from({ length: 200 }, (_, i) => ({
            type: "echo",
            payload: { i, padding: "x".repeat(600) },
            delayMs: 3_600_000,
          })),
        },
      });
      const exported = spawnJobdeck(["export"], { env });
      await until(() => exported.stdout().includes("\n"), "the first line");
      exported.closeStdout();
      expect(await exported.exited).toBe(0);
      expect(exported.stderr()).toBe("");
    });

    it("is what npx jobdeck runs from the repository", async () => {
      const version = await spawnJobdeck(["--version"], {
        command: ["npx", "--no-install", "jobdeck"],
        cwd: REPO_ROOT,
        env: { HOME: process.env.HOME ?? "/root", npm_config_update_notifier: "false" },
      }).result();
      expect(version).toMatchObject({ code: 0, stdout: "0.1.0\n" });
    });

    it("stops watching on a real Ctrl-C (SIGINT) and exits 0", async () => {
      const watch = spawnJobdeck(["jobs", "watch", "--ndjson"], { env: cli.as("binary-watch") });
      await until(() => watch.stderr().includes("watch: live"), "the watch to be live");
      expect(await watch.interrupt()).toBe(0);
    });

    it.skipIf(!existsSync(SCRIPT))(
      "draws a table with colour on a real terminal, and plain text on a pipe",
      async () => {
        const env = cli.as("binary-tty");
        await cli
          .clientOf("binary-tty")
          .jobs.createJob({ body: { type: "echo", payload: {}, delayMs: 3_600_000 } });
        const line = [process.execPath, BIN, "jobs", "list"].map(shellQuote).join(" ");
        const onTerminal = await spawnJobdeck(["-qec", line, "/dev/null"], {
          command: [SCRIPT],
          env,
        }).result();
        expect(onTerminal.code).toBe(0);
        expect(onTerminal.stdout).toContain("\x1b[");
        expect(onTerminal.stdout).toContain(" │ ");
        const piped = await spawnJobdeck(["jobs", "list"], { env }).result();
        expect(piped.stdout).not.toContain("\x1b[");
        expect(piped.stdout).not.toContain("│");
        expect(piped.stdout.split("\n")[0]!.split(/\s{2,}/)[0]).toBe("ID");
      },
    );
  });
}
