import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { MIN_CHUNK, nextChunkSize } from "../src/bulk-operations/runner.js";

const limits = { max: 250, targetMs: 50 };

describe("a bulk operation's chunk size follows how long its chunks take", () => {
  test("slow chunks halve it down to MIN_CHUNK, fast ones double it back up to the maximum", () => {
    const sizes = [250];
    for (let i = 0; i < 6; i++) sizes.push(nextChunkSize(sizes.at(-1)!, 400, limits));
    expect(sizes).toEqual([250, 125, 62, 31, 16, 16, 16]);
    for (let i = 0; i < 6; i++) sizes.push(nextChunkSize(sizes.at(-1)!, 5, limits));
    expect(sizes.slice(6)).toEqual([16, 32, 64, 128, 250, 250, 250]);
    // Between half and twice the target: unchanged.
    expect(nextChunkSize(64, 25, limits)).toBe(64);
    expect(nextChunkSize(64, 100, limits)).toBe(64);
  });

  test("whatever the timings, the size stays between MIN_CHUNK (or a smaller maximum) and the maximum", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000 }),
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.double({ min: 0, max: 5_000, noNaN: true }), { maxLength: 50 }),
        (max, targetMs, timings) => {
          let size = max;
          for (const took of timings) {
            size = nextChunkSize(size, took, { max, targetMs });
            expect(size).toBeGreaterThanOrEqual(Math.min(MIN_CHUNK, max));
            expect(size).toBeLessThanOrEqual(max);
            expect(Number.isInteger(size)).toBe(true);
          }
        },
      ),
    );
  });
});
