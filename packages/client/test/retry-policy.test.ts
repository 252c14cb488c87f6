import { describe, expect, it } from "vitest";
import { backoffMs, DEFAULT_RETRY, retryAfterMs, retryDelayMs, retryPolicy } from "../src/retry-policy.js";

describe("the retry policy", () => {
  it("doubles from minDelayMs, half of it random, up to maxDelayMs", () => {
    const policy = retryPolicy({ minDelayMs: 100, maxDelayMs: 1_000 });
    expect([1, 2, 3, 4, 5].map((attempt) => backoffMs(policy, attempt, () => 0))).toEqual([
      50, 100, 200, 400, 500,
    ]);
    expect([1, 2, 3, 4, 5].map((attempt) => backoffMs(policy, attempt, () => 1))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
  });

  it("stops after `retries` repeats, and at once with retry: false", () => {
    const policy = retryPolicy({ retries: 2 });
    expect(retryDelayMs(policy, 2, "network-error")).toBeTypeOf("number");
    expect(retryDelayMs(policy, 3, "network-error")).toBeUndefined();
    expect(retryDelayMs(retryPolicy(false), 1, "network-error")).toBeUndefined();
  });

  it("waits as long as Retry-After asks, unless that is longer than maxRetryAfterMs", () => {
    expect(retryAfterMs("3")).toBe(3_000);
    expect(retryAfterMs("Thu, 01 Jan 1970 00:00:10 GMT", 4_000)).toBe(6_000);
    expect(retryAfterMs("soon")).toBeUndefined();
    expect(retryDelayMs(DEFAULT_RETRY, 1, { retryAfter: "5" }, () => 0)).toBe(5_000);
    expect(retryDelayMs(DEFAULT_RETRY, 1, { retryAfter: "120" })).toBeUndefined();
  });
});
