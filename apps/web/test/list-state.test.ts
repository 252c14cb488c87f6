import type { Job } from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_SORT,
  EMPTY_FILTERS,
  matchesListQuery,
  parseListState,
  serializeListState,
  toListQuery,
  type ListState,
} from "../src/features/jobs/list-state";
import { job } from "./support/api";

const state = (patch: Partial<ListState["filters"]> = {}, sort = DEFAULT_SORT): ListState => ({
  filters: { ...EMPTY_FILTERS, ...patch },
  sort,
});

const SCHEDULE_A = "0193a4c2-8f1e-7b3a-9c55-2f1e8d7c6b5a";
const SCHEDULE_B = "0193a4c2-8f1e-7b3a-9c55-2f1e8d7c6b5b";
const BATCH = "0193a4c2-8f1e-7b3a-9c55-2f1e8d7c6b5c";

describe("list state in the URL", () => {
  it("is empty for the default view", () => {
    expect(serializeListState(state())).toBe("");
    expect(parseListState("")).toEqual(state());
  });

  it.each<[string, ListState]>([
    ["types and statuses", state({ types: ["echo", "sleep"], statuses: ["pending", "failed"] })],
    ["result types", state({ resultTypes: ["html", "image"] })],
    ["a preset window", state({ createdPreset: "24h" })],
    [
      "an absolute window",
      state({ createdFrom: Date.UTC(2026, 10, 1), createdTo: Date.UTC(2026, 10, 2, 12) }),
    ],
    ["an open-ended window", state({ createdFrom: Date.UTC(2026, 10, 1, 8, 30) })],
    ["a sort", state({}, { by: "type", order: "desc" })],
    [
      "queues and wait reasons",
      state({ queues: ["emails", "default"].sort(), waitReasons: ["paused", "rate_limit"] }),
    ],
    ["a run-at sort", state({}, { by: "runAt", order: "asc" })],
    ["schedules and batches", state({ scheduleIds: [SCHEDULE_A, SCHEDULE_B], batchIds: [BATCH] })],
    ["a priority sort", state({}, { by: "priority", order: "desc" })],
    [
      "everything at once",
      state(
        { types: ["http.request"], statuses: ["cancelled"], resultTypes: ["json"], createdPreset: "7d" },
        { by: "updatedAt", order: "asc" },
      ),
    ],
  ])("round-trips %s", (_name, original) => {
    const search = serializeListState(original);
    expect(parseListState(search)).toEqual(original);
    expect(serializeListState(parseListState(search))).toBe(search);
  });

  it("writes one canonical, readable form", () => {
    const search = serializeListState(
      state(
        { types: ["sleep", "echo"], statuses: ["failed", "pending"], createdFrom: Date.UTC(2026, 10, 28, 9) },
        { by: "type", order: "asc" },
      ),
    );
    expect(search).toBe(
      "?type=echo,sleep&status=pending,failed&from=2026-11-28T09:00:00.000Z&sort=type&order=asc",
    );
  });

  it("drops what makes no sense and keeps the rest", () => {
    const parsed = parseListState(
      "?status=failed,bogus&sort=colour&order=sideways&created=3w&from=yesterday&type=,echo,echo",
    );
    expect(parsed).toEqual(state({ statuses: ["failed"], types: ["echo"] }));
  });

  it("prefers a preset over from/to and swaps a reversed window", () => {
    expect(parseListState("?created=1h&from=2026-01-01T00:00:00Z").filters).toMatchObject({
      createdPreset: "1h",
      createdFrom: undefined,
    });
    const swapped = parseListState("?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z").filters;
    expect(swapped.createdFrom).toBe(Date.UTC(2026, 10, 1));
    expect(swapped.createdTo).toBe(Date.UTC(2026, 10, 2));
  });

  it("sorts names A→Z and dates newest first unless told otherwise", () => {
    expect(parseListState("?sort=type").sort).toEqual({ by: "type", order: "asc" });
    expect(parseListState("?sort=updatedAt").sort).toEqual({ by: "updatedAt", order: "desc" });
  });
});

describe("the API query of a view", () => {
  const now = Date.UTC(2026, 10, 28, 12);

  it("sends lists as comma-separated strings and resolves a preset against now", () => {
    const query = toListQuery(
      state({ types: ["echo", "sleep"], statuses: ["failed"], createdPreset: "1h" }),
      now,
    );
    expect(query).toEqual({
      type: "echo,sleep",
      status: "failed",
      createdFrom: String(now - 3_600_000),
      sortBy: "createdAt",
      sortOrder: "desc",
    });
  });

  it("tells whether a job that arrived live belongs to the view", () => {
    const job = {
      type: "echo",
      status: "failed",
      resultType: "json",
      createdAt: new Date(now).toISOString(),
    } as Job;
    expect(matchesListQuery(job, toListQuery(state({ statuses: ["failed"] }), now))).toBe(true);
    expect(matchesListQuery(job, toListQuery(state({ types: ["sleep"] }), now))).toBe(false);
    expect(matchesListQuery(job, toListQuery(state({ createdTo: now - 1 }), now))).toBe(false);
  });
});

describe("queues and wait reasons (§11)", () => {
  it("go to the API as its queue and waitReason filters, and unknown reasons are dropped from a link", () => {
    const parsed = parseListState("?queue=emails,default&wait=rate_limit,bogus,paused");
    expect(parsed.filters.queues).toEqual(["default", "emails"]);
    expect(parsed.filters.waitReasons).toEqual(["paused", "rate_limit"]);
    expect(toListQuery(parsed, 0)).toEqual({
      sortBy: "createdAt",
      sortOrder: "desc",
      queue: "default,emails",
      waitReason: "paused,rate_limit",
    });
  });

  it("decide whether a job from a live event belongs to the view", () => {
    const job = { queue: "emails", waitReason: "paused", status: "pending" } as Job;
    const query = toListQuery(state({ queues: ["emails"], waitReasons: ["paused"] }), 0);
    expect(matchesListQuery({ ...job, createdAt: new Date(0).toISOString() }, query)).toBe(true);
    expect(matchesListQuery({ ...job, createdAt: new Date(0).toISOString(), queue: "default" }, query)).toBe(
      false,
    );
    expect(
      matchesListQuery(
        { ...job, createdAt: new Date(0).toISOString(), status: "running", waitReason: null },
        query,
      ),
    ).toBe(false);
  });
});

describe("schedules and batches (§12)", () => {
  it("go to the API as its scheduleId and batchId filters", () => {
    const parsed = parseListState(`?schedule=${SCHEDULE_B},${SCHEDULE_A}&batch=${BATCH}`);
    expect(parsed.filters.scheduleIds).toEqual([SCHEDULE_A, SCHEDULE_B]);
    expect(toListQuery(parsed, 0)).toEqual({
      sortBy: "createdAt",
      sortOrder: "desc",
      scheduleId: `${SCHEDULE_A},${SCHEDULE_B}`,
      batchId: BATCH,
    });
  });

  it("decide whether a job from a live event belongs to the view", () => {
    const job = {
      queue: "default",
      status: "pending",
      waitReason: null,
      createdAt: new Date(0).toISOString(),
    };
    const query = toListQuery(state({ scheduleIds: [SCHEDULE_A] }), 0);
    expect(matchesListQuery({ ...job, scheduleId: SCHEDULE_A, batchId: null } as Job, query)).toBe(true);
    expect(matchesListQuery({ ...job, scheduleId: SCHEDULE_B, batchId: null } as Job, query)).toBe(false);
    // A job that no schedule made is never in a schedule's view.
    expect(matchesListQuery({ ...job, scheduleId: null, batchId: null } as Job, query)).toBe(false);
    const byBatch = toListQuery(state({ batchIds: [BATCH] }), 0);
    expect(matchesListQuery({ ...job, scheduleId: null, batchId: BATCH } as Job, byBatch)).toBe(true);
    expect(matchesListQuery({ ...job, scheduleId: null, batchId: null } as Job, byBatch)).toBe(false);
  });
});

describe("the tag and error code filters (§15)", () => {
  it("round-trip through the URL, become the API's tag and errorCode, and match live jobs the same way", () => {
    const view = state({ tags: ["nightly", "customer:acme"], errorCodes: ["HTTP_503"] });
    const search = serializeListState(view);
    expect(search).toBe("?tag=customer:acme,nightly&error=HTTP_503");
    expect(parseListState(search).filters).toMatchObject({
      tags: ["customer:acme", "nightly"],
      errorCodes: ["HTTP_503"],
    });
    const query = toListQuery(view, Date.now());
    expect(query).toMatchObject({ tag: "nightly,customer:acme", errorCode: "HTTP_503" });
    const failed = job({ status: "failed", tags: ["nightly"], error: { code: "HTTP_503", message: "x" } });
    expect(matchesListQuery(failed, query)).toBe(true);
    expect(matchesListQuery({ ...failed, tags: ["other"] }, query)).toBe(false);
    expect(matchesListQuery({ ...failed, error: { code: "TIMEOUT", message: "x" } }, query)).toBe(false);
    expect(matchesListQuery({ ...failed, error: null }, query)).toBe(false);
  });
});
