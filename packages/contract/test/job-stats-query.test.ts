import { describe, expect, it } from "vitest";
import { JobStatsQuerySchema } from "../src/index.js";

describe("JobStatsQuerySchema", () => {
  it("takes the list's filters and turns them into typed values", () => {
    expect(
      JobStatsQuerySchema.parse({ type: "echo,sleep", status: "pending", createdFrom: "0", createdTo: "10" }),
    ).toEqual({ type: ["echo", "sleep"], status: ["pending"], createdFrom: 0, createdTo: 10 });
    expect(JobStatsQuerySchema.parse({})).toEqual({});
  });

  it.each([["limit"], ["cursor"], ["sortBy"], ["sortOrder"], ["page"]])(
    "refuses %s: no paging, no sorting",
    (key) => {
      expect(JobStatsQuerySchema.safeParse({ [key]: "1" }).success).toBe(false);
    },
  );

  it("refuses a reversed created range", () => {
    const parsed = JobStatsQuerySchema.safeParse({ createdFrom: "10", createdTo: "9" });
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ["createdFrom"],
      message: "must not be after createdTo",
    });
  });
});
