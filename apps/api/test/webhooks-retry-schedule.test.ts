import { describe, expect, it } from "vitest";
import { nextState, retryDelayMs } from "../src/webhooks/retry-schedule.js";

/** §13's backoff as a pure function: the n-th retry about 2^(n−1) s later, ±20 %, capped at an hour, for 24 hours. */

const HOUR = 3_600_000;

describe("the webhook retry schedule", () => {
  it("waits 2^(n−1) s before the n-th retry, ±20 %, never more than an hour", () => {
    for (let retry = 1; retry <= 40; retry++) {
      const base = Math.min(1000 * 2 ** (retry - 1), HOUR);
      const low = retryDelayMs(retry, 0);
      const mid = retryDelayMs(retry, 0.5);
      const high = retryDelayMs(retry, 0.999_999);
      expect(mid).toBe(base);
      expect(low).toBe(Math.round(base * 0.8));
      expect(high).toBeLessThanOrEqual(Math.min(Math.round(base * 1.2), HOUR));
      expect(high).toBeGreaterThan(mid - (base === HOUR ? 1 : 0));
    }
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 0.5))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelayMs(13, 0.5)).toBe(HOUR);
  });

  it("delivers on a 2xx, fails at once on a refused address, else schedules the next retry within 24 hours", () => {
    const now = new Date("2026-12-04T12:00:00.000Z");
    const expiresAt = now.getTime() + 24 * HOUR;
    expect(nextState({ kind: "delivered" }, { failures: 2, expiresAt, now, random: 0.5 })).toEqual({
      status: "delivered",
      failures: 2,
      nextAttemptAt: null,
    });
    expect(nextState({ kind: "refused" }, { failures: 0, expiresAt, now, random: 0.5 })).toEqual({
      status: "failed",
      failures: 1,
      nextAttemptAt: null,
    });
    expect(nextState({ kind: "failed" }, { failures: 0, expiresAt, now, random: 0.5 })).toEqual({
      status: "pending",
      failures: 1,
      nextAttemptAt: new Date(now.getTime() + 1_000),
    });
    expect(nextState({ kind: "failed" }, { failures: 2, expiresAt, now, random: 0.5 })).toEqual({
      status: "pending",
      failures: 3,
      nextAttemptAt: new Date(now.getTime() + 4_000),
    });
    // A retry that would come after the 24 hours: the message is failed instead.
    expect(
      nextState({ kind: "failed" }, { failures: 20, expiresAt: now.getTime() + HOUR - 1, now, random: 0.5 }),
    ).toEqual({
      status: "failed",
      failures: 21,
      nextAttemptAt: null,
    });
  });

  it("gives up after about 24 hours of failures: some 35 attempts, the last gaps an hour", () => {
    const start = Date.parse("2026-12-04T00:00:00.000Z");
    const expiresAt = start + 24 * HOUR;
    let state = { failures: 0, at: start };
    let attempts = 1;
    for (;;) {
      const next = nextState(
        { kind: "failed" },
        { failures: state.failures, expiresAt, now: new Date(state.at), random: 0.5 },
      );
      if (next.status !== "pending") break;
      attempts++;
      state = { failures: next.failures, at: next.nextAttemptAt.getTime() };
    }
    expect(state.at).toBeLessThanOrEqual(expiresAt);
    expect(expiresAt - state.at).toBeLessThan(HOUR);
    expect(attempts).toBeGreaterThan(30);
    expect(attempts).toBeLessThan(40);
  });
});
