import { describe, expect, it } from "vitest";
import { fieldFilterProblem, type FieldFilter } from "../src/features/jobs/field-filters";
import { filterText, suggestedPaths, suggestedValues } from "../src/features/jobs/filter-chips";
import { countFilters } from "../src/features/jobs/filter-count";
import {
  DEFAULT_SORT,
  EMPTY_FILTERS,
  matchesListQuery,
  parseListState,
  serializeListState,
  toListQuery,
  type ListState,
} from "../src/features/jobs/list-state";
import { schemaPaths, schemaValuesAt } from "../src/lib/json-schema";
import { job } from "./support/api";

const state = (patch: Partial<ListState["filters"]> = {}): ListState => ({
  filters: { ...EMPTY_FILTERS, ...patch },
  sort: DEFAULT_SORT,
});

const payload = (key: string, value: string): FieldFilter => ({ kind: "payload", key, value });

describe("field filters in the URL (§15: metadata.<key>, payload.<path>, result.<path>)", () => {
  it("are written under the API's own names, sorted, and read back the same", () => {
    const view = state({
      fields: [
        payload("user.id", "42"),
        { kind: "metadata", key: "team.name", value: "billing ops" },
        { kind: "result", key: "sleptMs", value: "5" },
      ],
    });
    const search = serializeListState(view);
    expect(search).toBe("?metadata.team.name=billing%20ops&payload.user.id=42&result.sleptMs=5");
    const parsed = parseListState(search);
    expect(parsed.filters.fields).toEqual([
      { kind: "metadata", key: "team.name", value: "billing ops" },
      payload("user.id", "42"),
      { kind: "result", key: "sleptMs", value: "5" },
    ]);
    expect(serializeListState(parsed)).toBe(search);
  });

  it("keep a comma and quotes as part of the value", () => {
    const view = state({ fields: [payload("name", "a,b"), payload("code", '"3"')] });
    const parsed = parseListState(serializeListState(view));
    expect(parsed.filters.fields).toEqual([payload("code", '"3"'), payload("name", "a,b")]);
  });

  it("drop from a link what the API would refuse, and keep the first of a repeated name", () => {
    const tooDeep = Array.from({ length: 9 }, (_, i) => `n${i}`).join(".");
    const parsed = parseListState(
      `?payload.${tooDeep}=1&payload.a..b=1&metadata.bad%20key=1&payload.ok=1&payload.ok=2&payload.empty=&other.x=1`,
    );
    expect(parsed.filters.fields).toEqual([payload("ok", "1")]);
    const eightDeep = Array.from({ length: 8 }, (_, i) => `n${i}`).join(".");
    expect(parseListState(`?payload.${eightDeep}=1`).filters.fields).toEqual([payload(eightDeep, "1")]);
  });

  it("count one each, and make the view filtered", () => {
    expect(countFilters(state({ fields: [payload("a", "1"), payload("b", "2")], tags: ["x"] }).filters)).toBe(
      3,
    );
  });
});

describe("the contract's parser, before a request is sent", () => {
  it("says what the API would say about a path, a key or a value", () => {
    expect(fieldFilterProblem(payload("user.id", "42"))).toBeUndefined();
    expect(fieldFilterProblem(payload("a.b.c.d.e.f.g.h.i", "1"))).toBe(
      "payload.a.b.c.d.e.f.g.h.i: the path must have at most 8 dot-separated names",
    );
    expect(fieldFilterProblem(payload("a..b", "1"))).toMatch(
      /^payload\.a\.\.b: the path must be dot-separated names/,
    );
    expect(fieldFilterProblem({ kind: "metadata", key: "no spaces", value: "1" })).toMatch(/the key must be/);
    expect(fieldFilterProblem(payload("", "1"))).toBe("Enter a payload path.");
    expect(fieldFilterProblem(payload("a", ""))).toBe('Enter a value (for the empty string, type "").');
    expect(fieldFilterProblem(payload("a", "x".repeat(1025)))).toMatch(/at most 1024 characters/);
  });
});

describe("the API query and live events", () => {
  const view = state({
    fields: [payload("user.id", "42"), { kind: "metadata", key: "team", value: "billing" }],
  });

  it("send each field filter as its own parameter, beside the others", () => {
    expect(toListQuery({ ...view, filters: { ...view.filters, tags: ["nightly"] } }, 0)).toEqual({
      sortBy: "createdAt",
      sortOrder: "desc",
      tag: "nightly",
      "metadata.team": "billing",
      "payload.user.id": "42",
    });
  });

  it("match a job that arrives live as the server would: JSON equality at the path", () => {
    const query = toListQuery(view, 0);
    const matching = job({ payload: { user: { id: 42 } }, metadata: { team: "billing" } });
    expect(matchesListQuery(matching, query)).toBe(true);
    // "42" the string is not 42 the number; a missing path matches nothing.
    expect(matchesListQuery({ ...matching, payload: { user: { id: "42" } } }, query)).toBe(false);
    expect(matchesListQuery({ ...matching, payload: { user: {} } }, query)).toBe(false);
    expect(matchesListQuery({ ...matching, metadata: {} }, query)).toBe(false);
    const quoted = toListQuery(state({ fields: [payload("user.id", '"42"')] }), 0);
    expect(matchesListQuery({ ...matching, payload: { user: { id: "42" } } }, quoted)).toBe(true);
    const byResult = toListQuery(state({ fields: [{ kind: "result", key: "sleptMs", value: "5" }] }), 0);
    expect(matchesListQuery(job({ status: "completed", result: { sleptMs: 5 } }), byResult)).toBe(true);
    expect(matchesListQuery(job({ status: "running", result: null }), byResult)).toBe(false);
  });
});

describe("path suggestions from a job type's JSON Schema", () => {
  const schema = {
    type: "object",
    properties: {
      user: {
        type: "object",
        properties: { id: { type: "integer" }, "e.mail": { type: "string" }, name: { type: "string" } },
      },
      items: { type: "array", items: { type: "object", properties: { sku: { type: "string" } } } },
    },
    anyOf: [{ properties: { mode: { enum: ["a", "b"] } } }],
  };

  it("walks properties (and allOf/anyOf/oneOf), dot-joined, without names a path cannot hold", () => {
    expect(schemaPaths(schema)).toEqual(["items", "mode", "user", "user.id", "user.name"]);
  });

  it("stops at 8 names", () => {
    let deep: Record<string, unknown> = { type: "string" };
    for (let i = 10; i >= 1; i--) deep = { type: "object", properties: { [`l${i}`]: deep } };
    const paths = schemaPaths(deep);
    expect(paths).toHaveLength(8);
    expect(paths.at(-1)).toBe("l1.l2.l3.l4.l5.l6.l7.l8");
    expect(schemaPaths(undefined)).toEqual([]);
  });

  it("come from the chosen types' schemas, or every type's when none is chosen; none for result paths without a result schema", () => {
    const types = [
      { type: "sleep", payloadSchema: { type: "object", properties: { ms: { type: "integer" } } } },
      { type: "echo", payloadSchema: schema },
    ];
    expect(suggestedPaths("payload", types, ["sleep"])).toEqual(["ms"]);
    expect(suggestedPaths("payload", types, [])).toEqual([
      "items",
      "mode",
      "ms",
      "user",
      "user.id",
      "user.name",
    ]);
    expect(suggestedPaths("result", types, [])).toEqual([]);
    expect(suggestedPaths("metadata", types, [])).toEqual([]);
    const withResult = [{ ...types[0]!, resultSchema: { properties: { sleptMs: {} } } }];
    expect(suggestedPaths("result", withResult, [])).toEqual(["sleptMs"]);
  });
});

describe("value suggestions from a job type's JSON Schema", () => {
  const schema = {
    type: "object",
    properties: {
      plan: { enum: ["free", "pro", "3", 3, null] },
      isUrgent: { type: "boolean" },
      kind: { anyOf: [{ const: "a" }, { const: "b" }] },
      user: { properties: { role: { enum: ["admin"] } } },
      name: { type: "string" },
    },
  };

  it("are the enum, const and boolean values at the path, nothing for a free value or an unknown path", () => {
    expect(schemaValuesAt(schema, "plan")).toEqual(["free", "pro", "3", 3, null]);
    expect(schemaValuesAt(schema, "isUrgent")).toEqual([true, false]);
    expect(schemaValuesAt(schema, "kind")).toEqual(["a", "b"]);
    expect(schemaValuesAt(schema, "user.role")).toEqual(["admin"]);
    expect(schemaValuesAt(schema, "name")).toEqual([]);
    expect(schemaValuesAt(schema, "nope.deeper")).toEqual([]);
    expect(schemaValuesAt(schema, "")).toEqual([]);
  });

  it("are written as a filter reads them: text as it is, JSON where text would mean something else", () => {
    expect(["free", "3", 3, true, null, "true"].map(filterText)).toEqual([
      "free",
      '"3"',
      "3",
      "true",
      "null",
      '"true"',
    ]);
    expect(suggestedValues("payload", "plan", [{ type: "t", payloadSchema: schema }], [])).toEqual([
      "free",
      "pro",
      '"3"',
      "3",
      "null",
    ]);
    expect(suggestedValues("metadata", "plan", [{ type: "t", payloadSchema: schema }], [])).toEqual([]);
  });
});
