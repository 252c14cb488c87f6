import { describe, expect, it } from "vitest";
import { CreateJobBodySchema, ListJobsQuerySchema } from "../src/index.js";

describe("ListJobsQuerySchema", () => {
  it("turns the wire strings into typed values", () => {
    expect(
      ListJobsQuerySchema.parse({
        limit: "20",
        type: "echo,sleep,echo",
        status: "pending,failed",
        resultType: "json",
        createdFrom: "0",
        createdTo: "1764345600000",
        sortBy: "type",
        sortOrder: "asc",
      }),
    ).toEqual({
      limit: 20,
      type: ["echo", "sleep"],
      status: ["pending", "failed"],
      resultType: ["json"],
      createdFrom: 0,
      createdTo: 1764345600000,
      sortBy: "type",
      sortOrder: "asc",
    });
  });

  it.each([
    [{ limit: "0" }, "limit"],
    [{ limit: "100" }, null],
    [{ limit: "101" }, "limit"],
    [{ limit: "007" }, null],
    [{ limit: " 7" }, "limit"],
    [{ limit: "9007199254740993" }, "limit"],
    [{ limit: "5", status: "pending,paused" }, "status"],
    [{ limit: "5", type: ",echo" }, "type"],
    [{ limit: "5", type: "x".repeat(101) }, "type"],
    [{ limit: "5", type: Array.from({ length: 51 }, (_, i) => `t${i}`).join(",") }, "type"],
    [{ limit: "5", createdFrom: "2", createdTo: "1" }, "createdFrom"],
    [{ limit: "5", createdTo: "8640000000000001" }, "createdTo"],
    [{ limit: "5", extra: "1" }, "extra"],
  ])("validates %j (bad field: %s)", (query, badField) => {
    const result = ListJobsQuerySchema.safeParse(query);
    if (badField === null) {
      expect(result.success).toBe(true);
    } else {
      expect(result.success).toBe(false);
      const paths = result.error!.issues.map((i) =>
        i.code === "unrecognized_keys" ? i.keys[0] : i.path.join("."),
      );
      expect(paths).toContain(badField);
    }
  });
});

describe("CreateJobBodySchema", () => {
  it("requires type and payload, and nothing else", () => {
    expect(CreateJobBodySchema.safeParse({ type: "echo", payload: { a: 1 } }).success).toBe(true);
    expect(CreateJobBodySchema.safeParse({ type: "echo", payload: null }).success).toBe(true);
    expect(CreateJobBodySchema.safeParse({ type: "echo" }).success).toBe(false);
    expect(CreateJobBodySchema.safeParse({ type: "echo", payload: {}, id: "x" }).success).toBe(false);
  });
});
