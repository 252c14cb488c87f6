import { describe, expect, it } from "vitest";
import { JobStatsQuerySchema, ListJobsQuerySchema } from "../src/index.js";

/** docs/api.md §5.1: white space around a list's values is not part of them, on every list parameter. */
describe("list parameters with spaces after commas", () => {
  it("mean the trimmed values, for type, status and resultType alike", () => {
    expect(
      ListJobsQuerySchema.parse({
        limit: "5",
        type: "echo, sleep ,\tmarkdown.render",
        status: " pending, failed",
        resultType: "json ,html",
      }),
    ).toEqual({
      limit: 5,
      type: ["echo", "sleep", "markdown.render"],
      status: ["pending", "failed"],
      resultType: ["json", "html"],
    });
    expect(JobStatsQuerySchema.parse({ type: "echo, sleep", status: "pending, running" })).toEqual({
      type: ["echo", "sleep"],
      status: ["pending", "running"],
    });
  });

  it("count a value once however it is spaced", () => {
    expect(ListJobsQuerySchema.parse({ limit: "5", type: "echo, echo,echo " }).type).toEqual(["echo"]);
  });

  it.each([["echo, "], [" , echo"], ["  "], ["echo,,sleep"]])("refuse an empty item in %j", (type) => {
    const result = ListJobsQuerySchema.safeParse({ limit: "5", type });
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(["type"]);
  });

  it("take linear time on long runs of spaces", () => {
    const started = performance.now();
    ListJobsQuerySchema.safeParse({ limit: "5", type: `a${" ".repeat(100_000)}b` });
    expect(performance.now() - started).toBeLessThan(200);
  });
});
