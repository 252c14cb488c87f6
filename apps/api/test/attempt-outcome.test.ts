import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PermanentJobError, RetryableJobError } from "../src/job-types/types.js";
import { decideOutcome, type AbortCause, type HandlerEnd } from "../src/worker/outcome.js";

/** decideOutcome is pure: every case is decided here without a database, a worker or a clock. */

const job = { attempts: 1, maxAttempts: 3, timeoutMs: 500 };
const timing = { baseMs: 1000, maxMs: 60_000, now: 1_000_000, random: () => 0.5 };
const returned = (result: unknown): HandlerEnd => ({ kind: "returned", output: { result } });
const threw = (error: unknown): HandlerEnd => ({ kind: "threw", error });

describe("decideOutcome", () => {
  it("completes with the handler's result, whatever fired meanwhile, but never once the lease is lost", () => {
    for (const cause of [undefined, "cancelled", "timeout", "shutdown"] as const) {
      expect(decideOutcome(returned({ n: 1 }), cause, job, timing)).toEqual({
        kind: "completed",
        result: { n: 1 },
        artifact: undefined,
      });
    }
    expect(decideOutcome(returned({ n: 1 }), "lease-lost", job, timing)).toEqual({ kind: "lost" });
  });

  it("fails the job at once when the result cannot be stored", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(decideOutcome(returned(cyclic), undefined, job, timing)).toMatchObject({
      kind: "failed",
      error: {
        code: "INVALID_RESULT",
        message: expect.stringMatching(/^the result is not JSON: [\s\S]*\(attempt 1 of 3\)$/),
      },
    });
    expect(decideOutcome(returned({ text: "a\u0000b" }), undefined, job, timing)).toMatchObject({
      kind: "failed",
      error: { code: "INVALID_RESULT" },
    });
  });

  it("cancels on a cancellation and hands back on a shutdown, when the handler did not return", () => {
    for (const end of [threw(new Error("stopped")), { kind: "abandoned" } as const]) {
      expect(decideOutcome(end, "cancelled", job, timing)).toEqual({ kind: "cancelled" });
      expect(decideOutcome(end, "shutdown", job, timing)).toEqual({ kind: "handed-back" });
    }
  });

  it("retries a failed attempt after an equal-jitter backoff, naming the attempt", () => {
    expect(
      decideOutcome(threw(new RetryableJobError("UPSTREAM_DOWN", "down")), undefined, job, timing),
    ).toEqual({
      kind: "retry",
      error: { code: "UPSTREAM_DOWN", message: "down (attempt 1 of 3)" },
      // base·2^0 = 1000: half fixed, half random (0.5 of it).
      runAt: new Date(1_000_000 + 750),
    });
    expect(decideOutcome({ kind: "abandoned" }, "timeout", { ...job, attempts: 2 }, timing)).toEqual({
      kind: "retry",
      error: { code: "TIMEOUT", message: "timed out after 500 ms (attempt 2 of 3)" },
      runAt: new Date(1_000_000 + 1500),
    });
  });

  it("fails the job on its last attempt, and at once on a permanent error", () => {
    expect(decideOutcome(threw(new Error("boom")), undefined, { ...job, attempts: 3 }, timing)).toEqual({
      kind: "failed",
      error: { code: "HANDLER_ERROR", message: "boom (attempt 3 of 3)" },
    });
    expect(decideOutcome(threw(new PermanentJobError("BAD_INPUT", "no")), undefined, job, timing)).toEqual({
      kind: "failed",
      error: { code: "BAD_INPUT", message: "no (attempt 1 of 3)" },
    });
    const duck = Object.assign(new Error("plain module"), { permanent: true, code: "PLAIN" });
    expect(decideOutcome(threw(duck), undefined, job, timing)).toMatchObject({
      kind: "failed",
      error: { code: "PLAIN" },
    });
  });

  it("keeps codes that are UPPER_SNAKE, and messages bounded and free of control characters", () => {
    const odd = Object.assign(new Error(`a\u0000b\nc${"x".repeat(2000)}`), { code: "not-a-code" });
    const outcome = decideOutcome(threw(odd), undefined, { ...job, attempts: 3 }, timing);
    expect(outcome).toMatchObject({ kind: "failed", error: { code: "HANDLER_ERROR" } });
    const { message } = (outcome as { error: { message: string } }).error;
    expect(message.length).toBeLessThanOrEqual(1000);
    expect(message).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(decideOutcome(threw("a string"), undefined, { ...job, attempts: 3 }, timing)).toMatchObject({
      error: { message: "a string (attempt 3 of 3)" },
    });
  });

  it("holds its rules over every combination (property)", () => {
    const ends = fc.oneof(
      fc.constant<HandlerEnd>({ kind: "abandoned" }),
      fc.jsonValue().map((result): HandlerEnd => ({ kind: "returned", output: { result } })),
      fc
        .record({ permanent: fc.boolean(), code: fc.constantFrom("E_X", "UPSTREAM", undefined) })
        .map(({ permanent, code }): HandlerEnd => threw(Object.assign(new Error("e"), { permanent, code }))),
    );
    const causes = fc.constantFrom<AbortCause | undefined>(
      undefined,
      "cancelled",
      "timeout",
      "lease-lost",
      "shutdown",
    );
    const jobs = fc.integer({ min: 1, max: 100 }).chain((maxAttempts) =>
      fc.record({
        maxAttempts: fc.constant(maxAttempts),
        attempts: fc.integer({ min: 1, max: maxAttempts }),
        timeoutMs: fc.integer({ min: 1, max: 86_400_000 }),
      }),
    );
    fc.assert(
      fc.property(
        ends,
        causes,
        jobs,
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (end, cause, j, r) => {
          const outcome = decideOutcome(end, cause, j, { ...timing, random: () => r });
          switch (outcome.kind) {
            case "lost":
              return cause === "lease-lost";
            case "completed":
              return cause !== "lease-lost" && end.kind === "returned";
            case "cancelled":
              return cause === "cancelled" && end.kind !== "returned";
            case "handed-back":
              return cause === "shutdown" && end.kind !== "returned";
            case "retry": {
              const full = Math.min(timing.maxMs, timing.baseMs * 2 ** (j.attempts - 1));
              const wait = outcome.runAt.getTime() - timing.now;
              // A thrown error may be permanent; a timeout is retried whatever the handler threw.
              const isPermanent =
                cause === undefined &&
                end.kind === "threw" &&
                (end.error as { permanent?: boolean }).permanent === true;
              return (
                end.kind !== "returned" &&
                (cause === undefined || cause === "timeout") &&
                j.attempts < j.maxAttempts &&
                !isPermanent &&
                wait >= full / 2 &&
                wait <= full
              );
            }
            case "failed":
              return (
                cause !== "lease-lost" &&
                outcome.error.message.endsWith(`(attempt ${j.attempts} of ${j.maxAttempts})`)
              );
          }
        },
      ),
    );
  });
});
