import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXPORT_CSV_COLUMNS, JobSchema, type Job } from "@jobdeck/contract";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { jobdeck, parseLines } from "../support/cli.js";
import type { CliServer } from "../support/server.js";

const JobsSchema = z.array(JobSchema);
const csvRows = (text: string) => parse<Record<string, string>>(text, { columns: true });
const freshDir = () => mkdtempSync(join(tmpdir(), "jobdeck-export-test-"));

/** More than two of the export's pages (500 jobs each): it goes on page after page. */
const MANY = 1_100;

/** `jobdeck export`: GET /v1/jobs/export streamed to stdout or a file, with the list's filter and sort flags. */
export function describeExportCommand(cli: CliServer): void {
  describe(`jobdeck export on ${cli.provider}`, () => {
    const { as, clientOf } = cli;
    /** The exporter's echo jobs, oldest first (as the list gives them). */
    let echoes: Job[] = [];

    beforeAll(async () => {
      const client = clientOf("exporter");
      await client.jobs.createJobsBatch({
        body: {
          jobs: [
            ...Array.from({ length: 6 }, (_, n) => ({
              type: "echo",
              payload: { n, text: n === 2 ? 'quote " comma , line\r\nend' : `n${n}` },
              priority: n % 3,
              tags: n % 2 === 0 ? ["even"] : [],
              metadata: { team: n < 3 ? "a" : "b" },
              // Pending an hour: the workers leave them as they are.
              delayMs: 3_600_000,
            })),
            { type: "sleep", payload: { ms: 1 }, delayMs: 3_600_000 },
          ],
        },
      });
      echoes = [];
      for await (const job of client.jobs.iterate({ type: "echo", sortOrder: "asc" })) echoes.push(job);
    });

    it("streams NDJSON by default, every matching job in the list's order, each a contract Job", async () => {
      const env = as("exporter");
      const all = await jobdeck(["export", "--type", "echo", "--sort-order", "asc"], { env });
      expect(all.stderr).toBe("");
      expect(all.code).toBe(0);
      expect(all.stdout.endsWith("\n")).toBe(true);
      expect(JobsSchema.parse(parseLines(all.stdout))).toEqual(echoes);

      const filtered = await jobdeck(
        ["export", "--tag", "even", "--metadata", "team=a", "--format", "ndjson"],
        { env },
      );
      expect(JobsSchema.parse(parseLines(filtered.stdout)).map((job) => job.id)).toEqual([
        echoes[2]!.id,
        echoes[0]!.id,
      ]);
      const byPayload = await jobdeck(["export", "--filter", "payload.n=4", "--status", "pending"], { env });
      expect(JobsSchema.parse(parseLines(byPayload.stdout)).map((job) => job.id)).toEqual([echoes[4]!.id]);
      const sorted = await jobdeck(
        ["export", "--type", "echo", "--sort-by", "priority", "--sort-order", "desc"],
        { env },
      );
      expect(JobsSchema.parse(parseLines(sorted.stdout)).map((job) => job.priority)).toEqual([
        2, 2, 1, 1, 0, 0,
      ]);
      const none = await jobdeck(["export", "--type", "no.such.type"], { env });
      expect(none).toMatchObject({ code: 0, stdout: "", stderr: "" });
    });

    it("writes CSV (a header of the Job's fields, objects as JSON) to --output, replacing the file only once complete", async () => {
      const env = as("exporter");
      const dir = freshDir();
      const file = join(dir, "even.csv");
      writeFileSync(file, "old contents\n");
      // --format from the file's name: .csv.
      const written = await jobdeck(["export", "--tag", "even", "--sort-order", "asc", "--output", file], {
        env,
      });
      expect(written.code).toBe(0);
      expect(written.stdout).toBe("");
      expect(written.stderr).toMatch(
        new RegExp(`^Exported 3 jobs \\(\\d+(\\.\\d)? (B|KiB)\\) to ${file}\\n$`),
      );
      const text = readFileSync(file, "utf8");
      expect(text.startsWith(`${EXPORT_CSV_COLUMNS.join(",")}\r\n`)).toBe(true);
      const rows = csvRows(text);
      expect(rows.map((row) => row.id)).toEqual([echoes[0]!.id, echoes[2]!.id, echoes[4]!.id]);
      expect(JSON.parse(rows[1]!.payload!)).toEqual({ n: 2, text: 'quote " comma , line\r\nend' });
      expect(rows[1]!.tags).toBe('["even"]');
      expect(rows[1]!.metadata).toBe('{"team":"a"}');
      expect(rows[1]!.finishedAt).toBe("");
      expect(readdirSync(dir)).toEqual(["even.csv"]);

      const explicit = await jobdeck(
        ["export", "--type", "echo", "--format", "csv", "-o", join(dir, "all.txt")],
        {
          env,
        },
      );
      expect(explicit.code).toBe(0);
      expect(csvRows(readFileSync(join(dir, "all.txt"), "utf8"))).toHaveLength(6);
      const toStdout = await jobdeck(["export", "--type", "sleep", "--format", "csv"], { env });
      expect(csvRows(toStdout.stdout).map((row) => row.type)).toEqual(["sleep"]);
    });

    it("exits 2 on a bad flag and 1 when the API refuses, writing nothing", async () => {
      const env = as("exporter");
      const dir = freshDir();
      const file = join(dir, "out.csv");
      const badFormat = await jobdeck(["export", "--format", "xml", "-o", file], { env });
      expect(badFormat.code).toBe(2);
      expect(badFormat.stderr).toContain("error: option '--format <format>' argument 'xml' is invalid");
      const badTime = await jobdeck(["export", "--created-from", "yesterday"], { env });
      expect(badTime).toMatchObject({ code: 2, stdout: "" });
      expect(badTime.stderr).toContain("Error: --created-from yesterday: expected an ISO time");
      const badSort = await jobdeck(["export", "--sort-by", "size"], { env });
      expect(badSort.code).toBe(2);
      const nowhere = await jobdeck(["export", "-o", join(dir, "missing", "out.csv")], { env });
      expect(nowhere.code).toBe(2);
      expect(nowhere.stderr).toContain(
        `Error: --output ${join(dir, "missing", "out.csv")}: cannot write there (ENOENT)`,
      );

      const refused = await jobdeck(["export", "--id-prefix", "xyz", "-o", file], { env });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("(400 VALIDATION_FAILED)");
      expect(refused.stderr).toContain("idPrefix:");
      const tooDeep = await jobdeck(["export", "--filter", "payload.a.b.c.d.e.f.g.h.i=1"], { env });
      expect(tooDeep).toMatchObject({ code: 1, stdout: "" });
      const unauthorized = await jobdeck(["export"], { env: { ...env, JOBDECK_TOKEN: "not-a-token" } });
      expect(unauthorized.code).toBe(1);
      expect(unauthorized.stderr).toContain("(401 UNAUTHORIZED)");
      expect(existsSync(file)).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
    });

    it("pipes page after page with backpressure to a slow reader; a progress line on a terminal's stderr only", async () => {
      const client = clientOf("bulk-exporter");
      for (let start = 0; start < MANY; start += 1_000) {
        await client.jobs.createJobsBatch({
          body: {
            jobs: Array.from({ length: Math.min(1_000, MANY - start) }, (_, k) => ({
              type: "echo",
              payload: { i: start + k, padding: "x".repeat(200) },
              delayMs: 3_600_000,
            })),
          },
        });
      }
      const env = as("bulk-exporter");
      const slow = await jobdeck(["export", "--sort-order", "asc"], { env, stdoutDelayMs: 1 });
      expect(slow.code).toBe(0);
      expect(slow.stderr).toBe("");
      const jobs = JobsSchema.parse(parseLines(slow.stdout));
      expect(jobs.map((job) => (job.payload as { i: number }).i)).toEqual(
        Array.from({ length: MANY }, (_, i) => i),
      );
      // Written as the reader takes it: at most the chunk being written and one more wait, never the
      // many chunks of the whole export (a writer that ignored 'drain' would queue them all).
      expect(slow.stdoutWrites.count).toBeGreaterThanOrEqual(5);
      expect(slow.maxBufferedStdout).toBeLessThanOrEqual(2 * slow.stdoutWrites.largest);

      const file = join(freshDir(), "all.ndjson");
      const onTerminal = await jobdeck(["export", "-o", file], { env, isTTY: true });
      expect(onTerminal.code).toBe(0);
      expect(onTerminal.stderr).toContain(`Exporting ndjson: ${MANY} jobs, `);
      expect(onTerminal.stderr).toContain(`Exported ${MANY} jobs (`);
      expect(parseLines(readFileSync(file, "utf8"))).toHaveLength(MANY);
    });
  });
}
