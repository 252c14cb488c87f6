import type { Job, Queue } from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { explainWait, nextRateStart } from "../src/features/jobs/wait-explanation";
import { job } from "./support/api";

const NOW = Date.parse("2026-12-03T16:00:00.000Z");
const later = (ms: number) => new Date(NOW + ms).toISOString();

const pending = (patch: Partial<Job>): Job =>
  job({ status: "pending", attempts: 0, startedAt: null, queue: "emails", runAt: later(-1000), ...patch });

const queue = (patch: Partial<Queue> = {}): Queue => ({
  name: "emails",
  isPaused: false,
  concurrency: null,
  perKeyConcurrency: null,
  rateLimit: null,
  perKeyRateLimit: null,
  counts: { pending: 5, running: 3 },
  oldestPendingAt: null,
  updatedAt: later(-60_000),
  ...patch,
});

const text = (j: Job, context: Parameters<typeof explainWait>[1] = { now: NOW }) =>
  explainWait(j, context)?.text;

describe("explainWait", () => {
  it("says nothing about a job that does not wait", () => {
    expect(explainWait(job({ status: "running", waitReason: null }), { now: NOW })).toBeUndefined();
    expect(explainWait(job({ status: "completed", waitReason: null }), { now: NOW })).toBeUndefined();
  });

  it("counts down to a scheduled start, and says it is not before then", () => {
    const scheduled = pending({ waitReason: "scheduled", runAt: later(4 * 60_000) });
    const explanation = explainWait(scheduled, { now: NOW });
    expect(explanation?.text).toBe("scheduled in 4 min");
    expect(explanation?.startText).toMatch(/^May start at .+, not before\.$/);
    expect(explanation?.startsAt).toBe(NOW + 4 * 60_000);
    expect(text(scheduled, { now: NOW + 3 * 60_000 + 15_000 })).toBe("scheduled in 45 s");
    expect(text(pending({ waitReason: "scheduled", runAt: later(26 * 3_600_000) }))).toBe(
      "scheduled in 1 d 2 h",
    );
  });

  it("says a job backing off is retrying, after which attempt", () => {
    const retrying = pending({ waitReason: "backoff", attempts: 2, maxAttempts: 5, runAt: later(12_000) });
    expect(text(retrying)).toBe("retrying in 12 s");
    expect(explainWait(retrying, { now: NOW })?.startText).toMatch(
      /^Attempt 2 of 5 failed; the next may start at /,
    );
  });

  it("names a paused queue, a missing worker and busy workers", () => {
    const paused = explainWait(pending({ waitReason: "paused" }), { now: NOW });
    expect(paused).toMatchObject({
      text: "queue paused",
      startText: "May start once queue emails is resumed.",
    });
    expect(text(pending({ waitReason: "no_worker", type: "pdf.render" }))).toBe("no worker runs this type");
    expect(
      explainWait(pending({ waitReason: "no_worker", type: "pdf.render" }), { now: NOW })?.startText,
    ).toContain("a worker that runs pdf.render");
    expect(text(pending({ waitReason: "queued" }))).toBe("waiting for a free worker");
  });

  it("says which key is at its limit, with its running jobs against the limit", () => {
    const keyed = pending({ waitReason: "concurrency", concurrencyKey: "acme" });
    const context = { now: NOW, queue: queue({ concurrency: 10, perKeyConcurrency: 3 }), keyRunning: 3 };
    expect(explainWait(keyed, context)).toMatchObject({
      text: "key acme: 3 of 3 running",
      startText: "May start when one of the running jobs of key acme ends.",
    });
  });

  it("says the queue is at its limit when the key is not, and stays vague without the numbers", () => {
    const keyed = pending({ waitReason: "concurrency", concurrencyKey: "acme" });
    const full = queue({ concurrency: 3, perKeyConcurrency: 5, counts: { pending: 9, running: 3 } });
    expect(text(keyed, { now: NOW, queue: full, keyRunning: 1 })).toBe("queue emails: 3 of 3 running");
    expect(text(pending({ waitReason: "concurrency" }), { now: NOW, queue: full })).toBe(
      "queue emails: 3 of 3 running",
    );
    // Still loading, or the counts moved since the job was read: no number is made up.
    expect(text(keyed)).toBe("queue emails or key acme at its limit");
    expect(text(pending({ waitReason: "concurrency" }))).toBe("queue emails at its limit");
  });

  it("tells when a rate limit lets the next start go, from the starts in the window", () => {
    const limited = pending({ waitReason: "rate_limit" });
    const rated = queue({ rateLimit: { limit: 2, periodMs: 60_000 } });
    // Starts 50 s and 10 s ago fill the window of 2; the older leaves it in 10 s.
    const context = { now: NOW, queue: rated, queueStarts: [NOW - 10_000, NOW - 50_000, NOW - 90_000] };
    const explanation = explainWait(limited, context);
    expect(explanation?.text).toBe("rate limit: next start in 10 s");
    expect(explanation?.startText).toContain("queue emails: 2 per 1 min");
    expect(explanation?.startsAt).toBe(NOW + 10_000);
  });

  it("waits for the later of the queue's and the key's windows", () => {
    const limited = pending({ waitReason: "rate_limit", concurrencyKey: "acme" });
    const rated = queue({
      rateLimit: { limit: 2, periodMs: 60_000 },
      perKeyRateLimit: { limit: 1, periodMs: 300_000 },
    });
    const context = {
      now: NOW,
      queue: rated,
      queueStarts: [NOW - 10_000, NOW - 50_000],
      keyStarts: [NOW - 60_000],
    };
    expect(text(limited, context)).toBe("rate limit: next start in 4 min");
    expect(explainWait(limited, context)?.startText).toContain("key acme: 1 per 5 min");
  });

  it("does not invent a time when the starts it read do not fill the window", () => {
    const limited = pending({ waitReason: "rate_limit" });
    const rated = queue({ rateLimit: { limit: 500, periodMs: 60_000 } });
    expect(explainWait(limited, { now: NOW, queue: rated, queueStarts: [NOW - 1000] })).toMatchObject({
      text: "rate limit: next start once the window allows",
      startText: "Its starts are used for now (queue emails: 500 per 1 min).",
    });
  });
});

describe("nextRateStart", () => {
  it("is when the start that filled the window leaves it", () => {
    expect(nextRateStart([NOW - 1000, NOW - 2000, NOW - 3000], 2, 10_000, NOW)).toBe(NOW - 2000 + 10_000);
    expect(nextRateStart([NOW - 1000], 2, 10_000, NOW)).toBeUndefined();
    // Starts that already left the window do not count.
    expect(nextRateStart([NOW - 1000, NOW - 20_000], 2, 10_000, NOW)).toBeUndefined();
  });
});
