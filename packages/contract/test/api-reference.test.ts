import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isAppRoute, type AppRoute, type AppRouter } from "@ts-rest/core";
import { describe, expect, it } from "vitest";
import {
  contract,
  createJobOptionFields,
  CreateJobBodySchema,
  ErrorCodeSchema,
  EVENTS_PATH,
  JOB_STATUSES,
  JobSchema,
  JobStatsQuerySchema,
  JobTypeSchema,
  ListJobsQuerySchema,
  ListQueuesQuerySchema,
  PaginationSchema,
  QueueSchema,
  QueueSettingsSchema,
  RateLimitSchema,
  ScheduleSchema,
  SORT_FIELDS,
  WAIT_REASONS,
} from "../src/index.js";

/**
 * docs/api.md is the project's API reference; the contract is its machine form. These checks keep
 * the two in step: a route, error code or job field added to the contract fails here until the
 * reference describes it, and the reference cannot describe a /v1 route the contract lacks.
 */

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const reference = readFileSync(join(repoRoot, "docs", "api.md"), "utf8");
const lines = reference.split("\n");

/** `GET /v1/jobs/{jobId}`: a contract route as the reference writes it. */
const routeName = (route: AppRoute) => `${route.method} ${route.path.replace(/:(\w+)/g, "{$1}")}`;

function contractRoutes(router: AppRouter): string[] {
  return Object.values(router).flatMap((entry) =>
    isAppRoute(entry) ? [routeName(entry)] : contractRoutes(entry),
  );
}

/** Every route of the API: the contract's, and the event stream, which ts-rest cannot model. */
const apiRoutes = [...contractRoutes(contract), `GET ${EVENTS_PATH}`];

const ROUTE = /\b(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (\/[^\s`?#"'),;]*)/g;
const routesIn = (text: string) =>
  [...text.matchAll(ROUTE)].map(([, method, path]) => `${method} ${path!.replace(/[.:]+$/, "")}`);

const headings = lines.filter((line) => /^#{1,6} /.test(line));
const headingRoutes = headings.flatMap(routesIn);

/** The text of a numbered section ("5", "9.6") up to the next heading of the same or a higher level. */
function section(number: string): string {
  const start = lines.findIndex((line) =>
    new RegExp(`^#{2,3} ${number.replace(".", "\\.")}\\.? `).test(line),
  );
  if (start === -1) throw new Error(`docs/api.md has no section ${number}`);
  const level = /^#+/.exec(lines[start]!)![0].length;
  const end = lines.findIndex((line, i) => i > start && new RegExp(`^#{1,${level}} `).test(line));
  return lines.slice(start, end === -1 ? undefined : end).join("\n");
}

/** The backquoted names in the first column of a section's tables: the fields it documents. */
const firstColumnNames = (text: string) =>
  [...text.matchAll(/^\| `([A-Za-z]+)` +\|/gm)].map(([, name]) => name!).sort();

const mentions = (text: string, name: string) => text.includes(`\`${name}\``);

describe("docs/api.md", () => {
  it("keeps the sections 1 to 15 in order, so that citations like 'docs/api.md §5' hold", () => {
    const numbers = headings.flatMap((line) => /^## (\d+)\. /.exec(line)?.[1] ?? []).map(Number);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it("numbers the subsections of §11 from 11.1 on, without gaps", () => {
    const numbers = headings.flatMap((line) => /^### 11\.(\d+) /.exec(line)?.[1] ?? []).map(Number);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(numbers.length).toBeGreaterThanOrEqual(9);
  });

  it("gives every route of the API its own heading", () => {
    expect(apiRoutes.filter((route) => !headingRoutes.includes(route))).toEqual([]);
  });

  it("names no /v1 route the contract lacks, in headings or in text", () => {
    const v1 = [...new Set([...headingRoutes, ...routesIn(reference)])].filter((route) =>
      route.includes(" /v1"),
    );
    expect(v1.filter((route) => !apiRoutes.includes(route))).toEqual([]);
  });

  it("documents every error code of the contract in §3", () => {
    const errors = section("3");
    expect(ErrorCodeSchema.options.filter((code) => !mentions(errors, code))).toEqual([]);
  });

  it("documents exactly the fields of a job in §4", () => {
    expect(firstColumnNames(section("4"))).toEqual(Object.keys(JobSchema.shape).sort());
    expect(JOB_STATUSES.filter((status) => !mentions(section("4"), status))).toEqual([]);
  });

  it("documents exactly the query parameters of the list in §5", () => {
    const query = section("5.1");
    expect(firstColumnNames(query)).toEqual(
      Object.keys(ListJobsQuerySchema.innerType().innerType().shape).sort(),
    );
    expect(SORT_FIELDS.filter((field) => !mentions(query, field))).toEqual([]);
  });

  it("documents every field of a list's pagination in §5.3", () => {
    const answers = section("5.3");
    expect(Object.keys(PaginationSchema.shape).filter((field) => !answers.includes(`"${field}"`))).toEqual(
      [],
    );
  });

  it("documents every filter of the stats in §9.5", () => {
    const stats = section("9.5");
    expect(
      Object.keys(JobStatsQuerySchema.innerType().innerType().shape).filter(
        (field) => !mentions(stats, field),
      ),
    ).toEqual([]);
  });

  it("documents the body of a create in §6 and the fields of a job type in §8.1", () => {
    const create = section("6");
    expect(
      Object.keys(CreateJobBodySchema.innerType().shape).filter((field) => !mentions(create, field)),
    ).toEqual([]);
    const jobTypes = section("8.1");
    expect(Object.keys(JobTypeSchema.shape).filter((field) => !jobTypes.includes(`"${field}"`))).toEqual([]);
  });

  it("documents exactly the options of a create in §11.1 and every wait reason in §11.2", () => {
    expect(firstColumnNames(section("11.1"))).toEqual(Object.keys(createJobOptionFields).sort());
    expect(WAIT_REASONS.filter((reason) => !mentions(section("11.2"), reason))).toEqual([]);
  });

  it("documents exactly the fields of a schedule in §12.1", () => {
    expect(firstColumnNames(section("12.1"))).toEqual(Object.keys(ScheduleSchema.shape).sort());
  });

  it("documents exactly the fields of a queue in §11.3, the list's query in §11.4 and a PUT's body in §11.6", () => {
    expect(firstColumnNames(section("11.3"))).toEqual(Object.keys(QueueSchema.shape).sort());
    expect(firstColumnNames(section("11.4"))).toEqual(Object.keys(ListQueuesQuerySchema.shape).sort());
    const put = section("11.6");
    const bodyFields = [...Object.keys(QueueSettingsSchema.shape), ...Object.keys(RateLimitSchema.shape)];
    expect(bodyFields.filter((field) => !put.includes(`"${field}"`))).toEqual([]);
  });

  it("points only at files inside this repository that exist", () => {
    const docsDir = join(repoRoot, "docs");
    const links = [...reference.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)]
      .map(([, target]) => target!)
      .filter((target) => !/^https?:\/\//.test(target))
      .map((target) => resolve(docsDir, target));
    const paths = [
      ...reference.matchAll(/`((?:apps|packages|examples|docs|prisma|e2e|bench|scripts)\/[^`\s]*)`/g),
    ].map(([, path]) => join(repoRoot, path!));
    const files = [...links, ...paths];
    expect(files.filter((file) => !file.startsWith(repoRoot))).toEqual([]);
    expect(files.filter((file) => !existsSync(file))).toEqual([]);
  });
});
