import { statSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BulkOperationSchema, JobSchema, JobStatsSchema, JobTypeSchema } from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { freshConfigHome, jobdeck, parseLines } from "../support/cli.js";
import type { CliServer } from "../support/server.js";

const JobsSchema = z.array(JobSchema);

/** The jobs commands (create, get, list, stats, cancel, retry, wait) and bulk, against `cli`'s server. */
export function describeJobsCommands(cli: CliServer): void {
  describe(`jobdeck jobs on ${cli.provider}`, () => {
    const { as, clientOf } = cli;

    it("login checks the token and keeps it owner-only in the config directory; later commands use it", async () => {
      const home = freshConfigHome();
      const token = cli.server.token("alice");
      const login = await jobdeck(["login", "--url", cli.server.url, "--token", token], {
        env: { XDG_CONFIG_HOME: home },
      });
      expect(login.stderr).toBe("");
      expect(login.code).toBe(0);
      const path = join(home, "jobdeck", "config.json");
      expect(login.stdout).toBe(`Logged in to ${cli.server.url} as alice; saved in ${path}\n`);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ url: cli.server.url, token });

      const types = await jobdeck(["jobs", "types", "--json"], { env: { XDG_CONFIG_HOME: home } });
      expect(types.code).toBe(0);
      expect(
        z
          .array(JobTypeSchema)
          .parse(JSON.parse(types.stdout))
          .map((type) => type.type),
      ).toContain("echo");

      const refused = await jobdeck(["login", "--url", cli.server.url, "--token", "not-a-token"], {
        env: { XDG_CONFIG_HOME: freshConfigHome() },
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("(401 UNAUTHORIZED)");
      expect(refused.stderr).toContain("The server refused the token: run `jobdeck login");

      const nobody = await jobdeck(["jobs", "list"], { env: { XDG_CONFIG_HOME: freshConfigHome() } });
      expect(nobody.code).toBe(2);
      expect(nobody.stderr).toContain("Not logged in: run `jobdeck login --url");

      const logout = await jobdeck(["logout"], { env: { XDG_CONFIG_HOME: home } });
      expect(logout.stdout).toBe(`Removed ${path}\n`);
    });

    it("creates jobs with §11 and §15 options, from a flag, a file or standard input", async () => {
      const env = as("creator");
      const created = await jobdeck(
        [
          "jobs",
          "create",
          "echo",
          "--payload",
          '{"n": 1}',
          "--queue",
          "emails",
          "--priority",
          "5",
          "--delay",
          "1h",
          "--concurrency-key",
          "acme",
          "--tag",
          "batch:7",
          "--tag",
          "vip",
          "--metadata",
          "team=billing",
          "--metadata",
          "tries=3",
          "--json",
        ],
        { env },
      );
      expect(created.stderr).toBe("");
      const job = JobSchema.parse(JSON.parse(created.stdout));
      expect(job).toMatchObject({
        type: "echo",
        payload: { n: 1 },
        queue: "emails",
        priority: 5,
        concurrencyKey: "acme",
        tags: ["batch:7", "vip"],
        metadata: { team: "billing", tries: 3 },
        waitReason: "scheduled",
      });
      expect(Date.parse(job.runAt) - Date.parse(job.createdAt)).toBeGreaterThan(3_500_000);

      const file = join(freshConfigHome(), "payload.json");
      writeFileSync(file, '{"from": "file"}');
      const fromFile = await jobdeck(["jobs", "create", "echo", "--payload", `@${file}`, "--json"], { env });
      expect(JobSchema.parse(JSON.parse(fromFile.stdout)).payload).toEqual({ from: "file" });
      const fromStdin = await jobdeck(["jobs", "create", "echo", "--payload", "-", "--json"], {
        env,
        input: '{"from": "stdin"}',
      });
      expect(JobSchema.parse(JSON.parse(fromStdin.stdout)).payload).toEqual({ from: "stdin" });

      const plain = await jobdeck(["jobs", "create", "echo", "--payload", "{}"], { env });
      expect(plain.stdout).toMatch(/^Created job [0-9a-f-]{36} \(echo, pending\)\n$/);

      const shown = await jobdeck(["jobs", "get", job.id], { env });
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain(`id              ${job.id}\n`);
      expect(shown.stdout).toContain("waitReason      scheduled\n");
      expect(shown.stdout).toContain('metadata        {"team":"billing","tries":3}\n');
      expect(
        JobSchema.parse(JSON.parse((await jobdeck(["jobs", "get", job.id, "--json"], { env })).stdout)).id,
      ).toBe(job.id);
    });

    it("lists with filters and sorts as flags: a plain table when piped, --json, --ndjson, pages and --all", async () => {
      const env = as("lister");
      const ids: string[] = [];
      const client = clientOf("lister");
      for (const [n, tag] of [
        [1, "a"],
        [2, "b"],
        [3, "a"],
        [4, "a"],
      ] as const) {
        const created = await client.jobs.createJob({
          body: { type: "echo", payload: { n }, tags: [tag], metadata: { n } },
        });
        ids.push(created.body.data.id);
      }
      await client.jobs.createJob({ body: { type: "sleep", payload: { ms: 1 } } });

      const table = await jobdeck(["jobs", "list", "--type", "echo"], { env });
      expect(table.code).toBe(0);
      const [head, ...rows] = table.stdout.trimEnd().split("\n");
      expect(head!.split(/\s{2,}/)).toEqual(["ID", "TYPE", "STATUS", "QUEUE", "ATTEMPTS", "CREATED", "NOTE"]);
      expect(rows.map((row) => row.split(/\s+/)[0])).toEqual([...ids].reverse());
      expect(table.stdout).not.toContain("\x1b[");

      const tagged = JobsSchema.parse(
        JSON.parse(
          (await jobdeck(["jobs", "list", "--tag", "a", "--sort-order", "asc", "--json"], { env })).stdout,
        ),
      );
      expect(tagged.map((job) => job.id)).toEqual([ids[0], ids[2], ids[3]]);
      const byMetadata = JobsSchema.parse(
        JSON.parse((await jobdeck(["jobs", "list", "--metadata", "n=3", "--json"], { env })).stdout),
      );
      expect(byMetadata.map((job) => job.id)).toEqual([ids[2]]);
      const byPayload = JobsSchema.parse(
        JSON.parse((await jobdeck(["jobs", "list", "--filter", "payload.n=2", "--json"], { env })).stdout),
      );
      expect(byPayload.map((job) => job.id)).toEqual([ids[1]]);
      const sorted = JobsSchema.parse(
        JSON.parse(
          (await jobdeck(["jobs", "list", "--sort-by", "type", "--sort-order", "asc", "--json"], { env }))
            .stdout,
        ),
      );
      expect(sorted.map((job) => job.type)).toEqual(["echo", "echo", "echo", "echo", "sleep"]);

      const first = await jobdeck(["jobs", "list", "--type", "echo", "--limit", "3", "--ndjson"], { env });
      expect(JobsSchema.parse(parseLines(first.stdout)).map((job) => job.id)).toEqual([
        ids[3],
        ids[2],
        ids[1],
      ]);
      const cursor = /--cursor (\S+)/.exec(first.stderr)?.[1];
      expect(cursor).toBeDefined();
      const second = await jobdeck(
        ["jobs", "list", "--type", "echo", "--limit", "3", "--cursor", cursor!, "--json"],
        { env },
      );
      expect(JobsSchema.parse(JSON.parse(second.stdout)).map((job) => job.id)).toEqual([ids[0]]);
      expect(second.stderr).toBe("");

      const all = await jobdeck(["jobs", "list", "--all", "--ndjson", "--type", "echo"], { env });
      expect(JobsSchema.parse(parseLines(all.stdout))).toHaveLength(4);

      const stats = await jobdeck(["jobs", "stats", "--type", "echo", "--json"], { env });
      expect(JobStatsSchema.parse(JSON.parse(stats.stdout)).total).toBe(4);
    });

    it("exits 2 on a usage error, 3 for what does not exist, 1 for what the API refuses, saying what to do", async () => {
      const env = as("mistakes");
      const unknownFlag = await jobdeck(["jobs", "list", "--colour"], { env });
      expect(unknownFlag.code).toBe(2);
      expect(unknownFlag.stderr).toContain("error: unknown option '--colour'");
      const badValue = await jobdeck(["jobs", "list", "--limit", "0"], { env });
      expect(badValue).toMatchObject({
        code: 2,
        stderr: "Error: --limit 0: expected an integer from 1 to 100\n",
      });
      const badChoice = await jobdeck(["jobs", "list", "--sort-by", "size"], { env });
      expect(badChoice.code).toBe(2);
      const badJson = await jobdeck(["jobs", "create", "echo", "--payload", "{nope"], { env });
      expect(badJson.code).toBe(2);
      expect(badJson.stderr).toContain("--payload is not JSON");

      const missing = await jobdeck(["jobs", "get", "0190f7a0-0000-7000-8000-000000000000"], { env });
      expect(missing.code).toBe(3);
      expect(missing.stderr).toContain("(404 NOT_FOUND)");

      const refused = await jobdeck(["jobs", "create", "no.such.type"], { env });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("(400 VALIDATION_FAILED)");
      expect(refused.stderr).toContain("Fix the values named above");

      const nothingThere = await jobdeck(["jobs", "list"], {
        env: { ...env, JOBDECK_URL: "http://127.0.0.1:9" },
      });
      expect(nothingThere.code).toBe(1);
      expect(nothingThere.stderr).toContain("Nothing answered at http://127.0.0.1:9: is the server running");
    });

    it("cancels and retries several ids, going on past a missing one and exiting with its code", async () => {
      const env = as("fixer");
      const ids: string[] = [];
      for (let n = 0; n < 2; n++) {
        const created = await clientOf("fixer").jobs.createJob({
          body: { type: "echo", payload: { n }, delayMs: 3_600_000 },
        });
        ids.push(created.body.data.id);
      }
      const missing = "0190f7a0-0000-7000-8000-000000000000";
      const cancel = await jobdeck(["jobs", "cancel", ids[0]!, missing, ids[1]!], { env });
      expect(cancel.code).toBe(3);
      expect(cancel.stdout).toBe(`Cancelled ${ids[0]} (cancelled)\nCancelled ${ids[1]} (cancelled)\n`);
      expect(cancel.stderr).toContain(`${missing}: Error:`);

      const retried = await jobdeck(["jobs", "retry", ...ids, "--json"], { env });
      expect(retried.code).toBe(0);
      const jobs = JobsSchema.parse(JSON.parse(retried.stdout));
      expect(jobs.map((job) => job.retryOf)).toEqual(ids);

      // §15's retry with changes: the flags given replace the original's values.
      const changed = await jobdeck(
        ["jobs", "retry", ids[0]!, "--payload", '{"n": 9}', "--queue", "other", "--tag", "fixed", "--json"],
        { env },
      );
      expect(JobsSchema.parse(JSON.parse(changed.stdout))[0]).toMatchObject({
        retryOf: ids[0],
        payload: { n: 9 },
        queue: "other",
        tags: ["fixed"],
      });
    });

    it("waits: exit 0 once completed, 4 on timeout, 5 when the job ended otherwise", async () => {
      const env = as("waiter");
      const done = await jobdeck(
        ["jobs", "create", "sleep", "--payload", '{"ms": 200}', "--wait", "--json"],
        { env },
      );
      expect(done.code).toBe(0);
      expect(JobSchema.parse(JSON.parse(done.stdout))).toMatchObject({
        status: "completed",
        result: { sleptMs: 200 },
      });

      const long = (
        await clientOf("waiter").jobs.createJob({ body: { type: "sleep", payload: { ms: 60_000 } } })
      ).body.data;
      const timedOut = await jobdeck(["jobs", "wait", long.id, "--timeout", "300ms"], { env });
      expect(timedOut.code).toBe(4);
      expect(timedOut.stderr).toContain(`Job ${long.id} had not ended after 300ms`);

      await clientOf("waiter").jobs.cancelJob({ params: { jobId: long.id } });
      const cancelled = await jobdeck(["jobs", "wait", long.id], { env });
      expect(cancelled.code).toBe(5);
      expect(cancelled.stdout).toContain("status          cancelled");
      expect(cancelled.stderr).toBe(`Job ${long.id} ended cancelled.\n`);
    });

    it("bulk cancels and deletes what a filter selects, counting first with --dry-run, and refuses no filter", async () => {
      const env = as("bulker");
      const client = clientOf("bulker");
      for (let n = 0; n < 3; n++)
        await client.jobs.createJob({
          body: { type: "echo", payload: { n }, tags: ["sweep"], delayMs: 3_600_000 },
        });
      await client.jobs.createJob({ body: { type: "echo", payload: {}, delayMs: 3_600_000 } });

      const dry = await jobdeck(["bulk", "cancel", "--tag", "sweep", "--dry-run", "--json"], { env });
      expect(JSON.parse(dry.stdout)).toEqual({ matched: 3 });
      const cancelled = await jobdeck(["bulk", "cancel", "--tag", "sweep", "--json"], { env });
      expect(cancelled.code).toBe(0);
      expect(BulkOperationSchema.parse(JSON.parse(cancelled.stdout))).toMatchObject({
        action: "cancel",
        status: "completed",
        matched: 3,
        processed: 3,
        succeeded: 3,
        skipped: 0,
      });
      const deleted = await jobdeck(["bulk", "delete", "--tag", "sweep"], { env });
      expect(deleted.stdout).toMatch(
        /^Deleted 3 of 3 matched jobs \(0 skipped\), operation \S+ completed\n$/,
      );
      const left = JobsSchema.parse(JSON.parse((await jobdeck(["jobs", "list", "--json"], { env })).stdout));
      expect(left.map((job) => job.tags)).toEqual([[]]);

      const everything = await jobdeck(["bulk", "delete"], { env });
      expect(everything.code).toBe(2);
      expect(everything.stderr).toContain("no filter given");
    });

    it("bulk retries by ids; bulk list and get show the operations, and stop refuses an ended one", async () => {
      const env = as("bulk-retrier");
      const client = clientOf("bulk-retrier");
      const ids: string[] = [];
      for (let n = 0; n < 2; n++) {
        const job = (
          await client.jobs.createJob({ body: { type: "echo", payload: { n }, delayMs: 3_600_000 } })
        ).body.data;
        await client.jobs.cancelJob({ params: { jobId: job.id } });
        ids.push(job.id);
      }
      const retried = await jobdeck(["bulk", "retry", "--id", ids.join(","), "--json"], { env });
      expect(retried.code).toBe(0);
      const operation = BulkOperationSchema.parse(JSON.parse(retried.stdout));
      expect(operation).toMatchObject({ action: "retry", status: "completed", matched: 2, succeeded: 2 });
      // The new jobs (the workers may have run them already).
      const retries = JobsSchema.parse(
        JSON.parse((await jobdeck(["jobs", "list", "--json"], { env })).stdout),
      ).filter((job) => job.retryOf !== null);
      expect(retries.map((job) => job.retryOf).sort()).toEqual([...ids].sort());

      const listed = z
        .array(BulkOperationSchema)
        .parse(JSON.parse((await jobdeck(["bulk", "list", "--json"], { env })).stdout));
      expect(listed.map((each) => each.id)).toEqual([operation.id]);
      const table = await jobdeck(["bulk", "list"], { env });
      expect(table.stdout.split("\n")[1]).toMatch(
        new RegExp(`^${operation.id}\\s+retry\\s+completed\\s+2\\s+2\\s+2\\s+0\\s+\\S+Z$`),
      );
      const shown = await jobdeck(["bulk", "get", operation.id], { env });
      expect(shown.stdout).toBe(
        `Retried 2 of 2 matched jobs (0 skipped), operation ${operation.id} completed\n`,
      );
      const stopped = await jobdeck(["bulk", "stop", operation.id], { env });
      expect(stopped.code).toBe(1);
      expect(stopped.stderr).toContain("(409 CONFLICT)");
      expect((await jobdeck(["bulk", "get", "0190f7a0-0000-7000-8000-000000000000"], { env })).code).toBe(3);
    });

    it("stats and types print tables when piped", async () => {
      const env = as("counter");
      await clientOf("counter").jobs.createJob({ body: { type: "echo", payload: {}, delayMs: 3_600_000 } });
      const stats = await jobdeck(["jobs", "stats"], { env });
      expect(stats.code).toBe(0);
      expect(stats.stdout).toMatch(/^STATUS\s+JOBS\npending\s+1\n/);
      expect(stats.stdout).toMatch(/^total\s+1$/m);
      const types = await jobdeck(["jobs", "types"], { env });
      expect(types.stdout.split("\n")[0]!.split(/\s{2,}/)).toEqual([
        "TYPE",
        "RESULT",
        "ATTEMPTS",
        "TIMEOUT",
        "DESCRIPTION",
      ]);
      expect(types.stdout).toMatch(/^echo\s+json\s+\d+\s+\d+ ms\s+\S/m);
    });
  });
}
