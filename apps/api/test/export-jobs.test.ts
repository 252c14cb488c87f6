import {
  EXPORT_CSV_COLUMNS,
  JobSchema,
  JobsBatchResponseSchema,
  ListJobsResponseSchema,
  type Job,
} from "@jobdeck/contract";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { postJson } from "./support/server.js";
import { serveSuite } from "./support/suite.js";

const providers = await testProviders();

/** More than two of the export's pages (500 jobs each), so that it goes on page after page. */
const JOBS = 1_100;

/**
 * GET /v1/jobs/export (§15): every matching job once, in the list's order, as NDJSON lines the
 * contract's JobSchema parses, or CSV a real CSV parser reads back into the same jobs.
 */
describe.each(providers)("GET /v1/jobs/export on %s", (provider) => {
  const suite = serveSuite(provider, { FILTER_SCAN_LIMIT: "300" });

  beforeAll(async () => {
    for (let start = 0; start < JOBS; start += 1000) {
      const count = Math.min(1000, JOBS - start);
      const response = await suite.server.request(
        "/v1/jobs/batch",
        postJson(
          {
            jobs: Array.from({ length: count }, (_, k) => {
              const i = start + k;
              return {
                type: "echo",
                payload: { i, text: i % 7 === 0 ? 'quote " comma , line\r\nend' : `n${i}`, odd: i % 2 === 1 },
                priority: i % 5,
                tags: i % 3 === 0 ? ["three"] : [],
                metadata: { team: i % 4 === 0 ? "a" : "b" },
              };
            }),
          },
          suite.bob,
        ),
      );
      expect(response.status, response.text).toBe(201);
      JobsBatchResponseSchema.parse(response.body);
    }
    await suite.server.request(
      "/v1/jobs",
      postJson({ type: "echo", payload: { i: 0 }, tags: ["three"] }, suite.alice),
    );
  }, 120_000);

  /** The list's answer for the same filters and sort, every page followed. */
  async function listAll(query: string): Promise<Job[]> {
    const jobs: Job[] = [];
    let cursor: string | null = null;
    do {
      const response = await suite.server.request(
        `/v1/jobs?limit=100&${query}${cursor ? `&cursor=${cursor}` : ""}`,
        { token: suite.bob },
      );
      expect(response.status, response.text).toBe(200);
      const page = ListJobsResponseSchema.parse(response.body);
      jobs.push(...page.data);
      cursor = page.pagination.nextCursor;
    } while (cursor);
    return jobs;
  }

  async function exportText(query: string) {
    const response = await fetch(`${suite.server.url}/v1/jobs/export?${query}`, {
      headers: { Authorization: `Bearer ${suite.bob}` },
    });
    return { response, text: await response.text() };
  }

  /** A job as the export and the list both show it, without what is computed at the moment of reading. */
  const stable = ({ waitReason: _waitReason, ...job }: Job) => job;

  const cases = [
    "sortBy=createdAt&sortOrder=desc",
    "sortBy=priority&sortOrder=asc&tag=three",
    "sortBy=createdAt&sortOrder=asc&metadata.team=a",
    "sortBy=updatedAt&payload.odd=true",
  ];

  it.each(cases)("NDJSON: every matching job once, in the list's order (%s)", async (query) => {
    const { response, text } = await exportText(`format=ndjson&${query}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="jobs.ndjson"');
    expect(text.endsWith("\n")).toBe(true);
    const exported = text
      .split("\n")
      .slice(0, -1)
      .map((line) => JobSchema.parse(JSON.parse(line)));
    const listed = await listAll(query);
    expect(listed.length).toBeGreaterThan(100);
    expect(new Set(exported.map((job) => job.id)).size).toBe(exported.length);
    expect(exported.map(stable)).toEqual(listed.map(stable));
  });

  it.each(cases)(
    "CSV: a header row of the Job's fields, then every matching job, as a CSV parser reads it (%s)",
    async (query) => {
      const { response, text } = await exportText(`format=csv&${query}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(text.split("\r\n")[0]).toBe(EXPORT_CSV_COLUMNS.join(","));
      const records = parse<Record<string, string>>(text, { columns: true, relax_quotes: false });
      const listed = await listAll(query);
      expect(records.map((record) => record.id)).toEqual(listed.map((job) => job.id));
      for (const [i, record] of records.entries()) {
        const job = listed[i]!;
        for (const column of EXPORT_CSV_COLUMNS) {
          if (column === "waitReason") continue;
          const value = job[column];
          const expected =
            value === null
              ? ""
              : typeof value === "string"
                ? value
                : typeof value === "number"
                  ? value.toString()
                  : JSON.stringify(value);
          expect(record[column], `${job.id} ${column}`).toBe(expected);
        }
      }
      // The payloads with quotes, commas and line breaks came back whole.
      expect(records.some((record) => record.payload!.includes('quote \\" comma , line\\r\\nend'))).toBe(
        true,
      );
    },
  );

  it("refuses a missing or unknown format and bad filters, as the list does", async () => {
    for (const [query, path, message] of [
      ["", "format", "is required"],
      ["format=xml", "format", "must be one of ndjson, csv"],
      ["format=csv&limit=5", "limit", "is not an accepted field"],
      ["format=csv&cursor=abc", "cursor", "is not an accepted field"],
      ["format=csv&payload.a.b.c.d.e.f.g.h.i=1", "payload.a.b.c.d.e.f.g.h.i", /at most 8/],
    ] as const) {
      const response = await suite.server.request(`/v1/jobs/export?${query}`, { token: suite.bob });
      expectError(response, 400, "VALIDATION_FAILED", { details: [{ path, message }] });
    }
    const anonymous = await suite.server.request("/v1/jobs/export?format=csv");
    expect(anonymous.status).toBe(401);
  });
});
