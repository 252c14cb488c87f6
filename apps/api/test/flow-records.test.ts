import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  claimStartsOf,
  maxOverlap,
  maxStartsInWindow,
  pairAttempts,
  type RecordLine,
} from "./support/flow-records.js";

/** The checks the flow-control tests rely on, against brute force: a checker that misses is worse than none. */
describe("flow records", () => {
  const line = (
    event: "start" | "end",
    jobId: string,
    attempt: number,
    at: number,
    outcome?: string,
  ): RecordLine => ({
    event,
    jobId,
    attempt,
    worker: "w",
    at,
    ...(outcome ? { outcome } : {}),
  });

  it("pairs starts with ends, and ends a killed attempt where it is told", () => {
    const attempts = pairAttempts(
      [
        line("end", "a", 1, 20, "failed"),
        line("start", "a", 1, 10),
        line("start", "a", 2, 30),
        line("start", "b", 1, 5),
      ],
      (jobId, attempt) => (jobId === "a" && attempt === 2 ? 99 : undefined),
    );
    expect(attempts).toEqual([
      { jobId: "b", attempt: 1, worker: "w", startedAt: 5, endedAt: Infinity, outcome: undefined },
      { jobId: "a", attempt: 1, worker: "w", startedAt: 10, endedAt: 20, outcome: "failed" },
      { jobId: "a", attempt: 2, worker: "w", startedAt: 30, endedAt: 99, outcome: undefined },
    ]);
  });

  it("refuses a record that cannot be: a second start, an end without start", () => {
    expect(() => pairAttempts([line("start", "a", 1, 1), line("start", "a", 1, 2)])).toThrow(/started twice/);
    expect(() => pairAttempts([line("end", "a", 1, 1)])).toThrow(/without starting/);
  });

  it("counts overlaps over half-open intervals: touching is not overlapping", () => {
    expect(maxOverlap([])).toEqual({ count: 0, at: undefined });
    expect(
      maxOverlap([
        { start: 0, end: 10 },
        { start: 10, end: 20 },
      ]),
    ).toEqual({ count: 1, at: 0 });
    expect(
      maxOverlap([
        { start: 0, end: 10 },
        { start: 9, end: 20 },
        { start: 5, end: Infinity },
      ]),
    ).toEqual({
      count: 3,
      at: 9,
    });
  });

  it("finds the busiest window [t, t + period)", () => {
    expect(maxStartsInWindow([], 1000)).toEqual({ count: 0, from: undefined });
    expect(maxStartsInWindow([0, 999, 1000, 1999], 1000)).toEqual({ count: 2, from: 0 });
    expect(maxStartsInWindow([5, 0, 1000, 1000, 1001], 1000)).toEqual({ count: 4, from: 5 });
  });

  it("agrees with brute force on random records", () => {
    const times = fc.integer({ min: 0, max: 60 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(times, fc.integer({ min: 1, max: 20 })), { maxLength: 20 }),
        fc.array(times, { maxLength: 25 }),
        fc.integer({ min: 1, max: 30 }),
        (spans, starts, period) => {
          const intervals = spans.map(([start, length]) => ({ start, end: start + length }));
          let overlap = 0;
          for (let t = 0; t <= 90; t++)
            overlap = Math.max(overlap, intervals.filter((i) => i.start <= t && t < i.end).length);
          expect(maxOverlap(intervals).count).toBe(overlap);
          let window = 0;
          for (let t = -period; t <= 90; t++)
            window = Math.max(window, starts.filter((s) => t <= s && s < t + period).length);
          expect(maxStartsInWindow(starts, period).count).toBe(window);
        },
      ),
    );
  });

  it("reads each claim once from the events, with its attempt and commit order", () => {
    const job = (status: string, attempts: number, startedAt: string | null) =>
      JSON.stringify({ id: "j", status, attempts, startedAt, queue: "q", concurrencyKey: "k" });
    expect(
      claimStartsOf([
        { id: 3n, data: job("pending", 1, "2026-01-01T00:00:01.000Z") },
        { id: 1n, data: job("pending", 0, null) },
        { id: 2n, data: job("running", 1, "2026-01-01T00:00:01.000Z") },
        { id: 4n, data: job("running", 2, "2026-01-01T00:00:02.000Z") },
        { id: 5n, data: job("running", 2, "2026-01-01T00:00:02.000Z") },
      ]),
    ).toEqual([
      {
        jobId: "j",
        attempt: 1,
        startedAt: Date.parse("2026-01-01T00:00:01.000Z"),
        queue: "q",
        concurrencyKey: "k",
        eventId: 2,
      },
      {
        jobId: "j",
        attempt: 2,
        startedAt: Date.parse("2026-01-01T00:00:02.000Z"),
        queue: "q",
        concurrencyKey: "k",
        eventId: 4,
      },
    ]);
  });
});
