import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FailureGroupSchema, JobSchema, RetentionSchema, type Job } from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { BIN, jobdeck, spawnJobdeck } from "../support/cli.js";
import type { CliServer } from "../support/server.js";

const MISSING_JOB = "0190f7a0-0000-7000-8000-000000000000";
/** An 8×4 PNG, for image.thumbnail's data: URL. */
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAECAIAAAA8r+mnAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAEklEQVR4nGM4w8CAFWEXJUsCABUvGYE9ZxIRAAAAAElFTkSuQmCC";
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const NOT_AN_IMAGE = `data:image/png;base64,${Buffer.from("not an image at all").toString("base64")}`;

/** What the dashboard's Retention and Failures pages and its thumbnails do, from the terminal (issue 15). */
export function describeOperatorCommands(cli: CliServer): void {
  describe(`jobdeck retention, jobs failures and jobs artifact on ${cli.provider}`, () => {
    const { as, clientOf } = cli;
    const json = async (args: string[], env: Record<string, string>) => {
      const result = await jobdeck([...args, "--json"], { env });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      return JSON.parse(result.stdout) as unknown;
    };
    const ended = async (sub: string, ids: string[]): Promise<Job[]> =>
      Promise.all(ids.map((id) => clientOf(sub).jobs.waitFor(id, { timeoutMs: 60_000 })));

    it("retention: get, and set changes only the statuses given; bad values are usage errors", async () => {
      const env = as("keeper");
      expect(RetentionSchema.parse(await json(["retention", "get"], env))).toEqual({
        completed: null,
        failed: null,
        cancelled: null,
      });
      expect(RetentionSchema.parse(await json(["retention", "set", "--completed", "7"], env))).toEqual({
        completed: 7,
        failed: null,
        cancelled: null,
      });
      expect(
        RetentionSchema.parse(await json(["retention", "set", "--failed", "30", "--cancelled", "0"], env)),
      ).toEqual({ completed: 7, failed: 30, cancelled: 0 });
      const forever = await jobdeck(["retention", "set", "--failed", "never"], { env });
      expect(forever).toMatchObject({
        code: 0,
        stderr: "",
        stdout: "completed  7 days\nfailed     never deleted\ncancelled  deleted at the next sweep\n",
      });

      const tooMany = await jobdeck(["retention", "set", "--completed", "3651"], { env });
      expect(tooMany).toMatchObject({
        code: 2,
        stdout: "",
        stderr: "Error: --completed 3651: expected an integer from 0 to 3650\n",
      });
      const nothing = await jobdeck(["retention", "set"], { env });
      expect(nothing.code).toBe(2);
      expect(nothing.stderr).toContain("nothing to set: give --completed, --failed and/or --cancelled");
      expect(RetentionSchema.parse(await json(["retention", "get"], env))).toEqual({
        completed: 7,
        failed: null,
        cancelled: 0,
      });
      // Another user's setting is their own.
      expect(RetentionSchema.parse(await json(["retention", "get"], as("keeper-2"))).completed).toBeNull();
    });

    it("jobs failures: groups by type and code with the list's filters, each row's command retrying exactly that group", async () => {
      const sub = "failer";
      const env = as(sub);
      const client = clientOf(sub);
      const since = Date.now() - 1_000;
      const created = await Promise.all([
        client.jobs.createJob({
          body: { type: "image.thumbnail", payload: { source: NOT_AN_IMAGE, width: 8, format: "png" } },
        }),
        client.jobs.createJob({
          body: { type: "image.thumbnail", payload: { source: NOT_AN_IMAGE, width: 8, format: "png" } },
        }),
        client.jobs.createJob({
          body: {
            type: "test.insight",
            payload: { failAttempts: 5 },
            queue: "flaky",
            metadata: { team: "big data" },
          },
        }),
        client.jobs.createJob({ body: { type: "echo", payload: {} } }),
      ]);
      const jobs = await ended(
        sub,
        created.map((answer) => answer.body.data.id),
      );
      expect(jobs.map((job) => [job.status, job.error?.code ?? null])).toEqual([
        ["failed", "INVALID_IMAGE"],
        ["failed", "INVALID_IMAGE"],
        ["failed", "TOLD_TO_FAIL"],
        ["completed", null],
      ]);
      const latest = (some: Job[]) =>
        some
          .map((job) => job.finishedAt!)
          .sort()
          .at(-1);

      const groups = z.array(FailureGroupSchema).parse(await json(["jobs", "failures"], env));
      expect(groups).toEqual([
        { type: "image.thumbnail", errorCode: "INVALID_IMAGE", count: 2, latestAt: latest(jobs.slice(0, 2)) },
        { type: "test.insight", errorCode: "TOLD_TO_FAIL", count: 1, latestAt: latest(jobs.slice(2, 3)) },
      ]);

      const table = await jobdeck(["jobs", "failures"], { env });
      expect(table.code).toBe(0);
      const [head, ...rows] = table.stdout.trimEnd().split("\n");
      expect(head!.split(/\s{2,}/)).toEqual(["TYPE", "ERROR CODE", "JOBS", "LATEST", "RETRY THEM WITH"]);
      expect(rows.map((row) => row.split(/\s{2,}/))).toEqual([
        [
          "image.thumbnail",
          "INVALID_IMAGE",
          "2",
          groups[0]!.latestAt,
          "jobdeck bulk retry --status failed --type image.thumbnail --error-code INVALID_IMAGE",
        ],
        [
          "test.insight",
          "TOLD_TO_FAIL",
          "1",
          groups[1]!.latestAt,
          "jobdeck bulk retry --status failed --type test.insight --error-code TOLD_TO_FAIL",
        ],
      ]);

      // The other filters given go into the command, quoted for the shell where needed.
      const narrowed = await jobdeck(
        [
          "jobs",
          "failures",
          "--queue",
          "flaky",
          "--metadata",
          "team=big data",
          "--created-from",
          String(since),
        ],
        { env },
      );
      const [, only, ...none] = narrowed.stdout.trimEnd().split("\n");
      expect(none).toEqual([]);
      const command = only!.split(/\s{2,}/)[4]!;
      expect(command).toBe(
        `jobdeck bulk retry --status failed --type test.insight --error-code TOLD_TO_FAIL --queue flaky --created-from ${since} --metadata 'team=big data'`,
      );
      // As a shell runs it (the built binary), it selects exactly the group's jobs.
      const dryRun = await spawnJobdeck([], {
        env: { ...env, NODE: process.execPath, BIN },
        command: ["/bin/sh", "-c", `jobdeck() { "$NODE" "$BIN" "$@"; }; ${command} --dry-run --json`],
      }).result();
      expect(dryRun.stderr).toBe("");
      expect(JSON.parse(dryRun.stdout)).toEqual({ matched: 1 });
      const imageGroup = await jobdeck(
        [
          ...rows[0]!
            .split(/\s{2,}/)[4]!
            .split(" ")
            .slice(1),
          "--dry-run",
          "--json",
        ],
        { env },
      );
      expect(JSON.parse(imageGroup.stdout)).toEqual({ matched: 2 });

      // Only failed jobs are grouped: a status filter without failed answers none.
      expect(await json(["jobs", "failures", "--status", "pending"], env)).toEqual([]);
      const empty = await jobdeck(["jobs", "failures", "--type", "echo"], { env });
      expect(empty.stdout).toBe("TYPE  ERROR CODE  JOBS  LATEST  RETRY THEM WITH\n");
      const bad = await jobdeck(["jobs", "failures", "--created-from", "yesterday"], { env });
      expect(bad.code).toBe(2);
    });

    it("jobs artifact: the picture to a pipe or a file written whole; refused on a terminal; exit 3 without one", async () => {
      const sub = "painter";
      const env = as(sub);
      const client = clientOf(sub);
      const [thumb, plain] = await ended(sub, [
        (
          await client.jobs.createJob({
            body: {
              type: "image.thumbnail",
              payload: { source: `data:image/png;base64,${PNG_BASE64}`, width: 16, format: "png" },
            },
          })
        ).body.data.id,
        (await client.jobs.createJob({ body: { type: "echo", payload: {} } })).body.data.id,
      ]);
      expect(JobSchema.parse(thumb).status).toBe("completed");
      const size = (thumb!.result as { bytes: number }).bytes;

      const piped = await jobdeck(["jobs", "artifact", thumb!.id], { env });
      expect(piped).toMatchObject({ code: 0, stderr: "" });
      expect(piped.stdoutBytes.length).toBe(size);
      expect(piped.stdoutBytes.subarray(0, 8)).toEqual(PNG_MAGIC);

      const terminal = await jobdeck(["jobs", "artifact", thumb!.id], { env, isTTY: true });
      expect(terminal).toMatchObject({ code: 2, stdout: "" });
      expect(terminal.stderr).toContain("Error: an artifact is binary and stdout is a terminal: add -o FILE");

      const dir = mkdtempSync(join(tmpdir(), "jobdeck-artifact-"));
      const path = join(dir, "thumb.png");
      writeFileSync(path, "the old picture");
      const saved = await jobdeck(["jobs", "artifact", thumb!.id, "-o", path], { env, isTTY: true });
      expect(saved.code).toBe(0);
      expect(saved.stdout).toBe("");
      expect(saved.stderr).toMatch(/^Wrote .+ \(image\/png\) to .+thumb\.png\n$/);
      expect(readFileSync(path)).toEqual(piped.stdoutBytes);

      // A job without an artifact, or none at all: exit 3, and the file is left as it was.
      const none = await jobdeck(["jobs", "artifact", plain!.id, "-o", path], { env });
      expect(none.code).toBe(3);
      expect(none.stderr).toContain("This job has no artifact");
      expect((await jobdeck(["jobs", "artifact", MISSING_JOB], { env })).code).toBe(3);
      expect((await jobdeck(["jobs", "artifact", thumb!.id], { env: as("someone-else") })).code).toBe(3);
      expect(readFileSync(path)).toEqual(piped.stdoutBytes);
      expect(readdirSync(dir)).toEqual(["thumb.png"]);

      const nowhere = await jobdeck(
        ["jobs", "artifact", thumb!.id, "-o", join(dir, "no", "such", "dir.png")],
        {
          env,
        },
      );
      expect(nowhere.code).toBe(2);
      expect(nowhere.stderr).toMatch(/^Error: --output .+: cannot write there \(ENOENT\)\n$/);
    });
  });
}
