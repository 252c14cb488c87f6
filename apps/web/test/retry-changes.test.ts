import { describe, expect, it } from "vitest";
import { EMPTY_OPTIONS, retryChanges, toJobOptions } from "../src/features/jobs/job-options";

describe("retryChanges: the form's fields as a retry with changes (§15)", () => {
  const now = Date.parse("2026-12-05T12:00:00.000Z");
  const optionsOf = (form: Partial<typeof EMPTY_OPTIONS>) => {
    const checked = toJobOptions({ ...EMPTY_OPTIONS, ...form }, now);
    if (!checked.options) throw new Error(JSON.stringify(checked.issues));
    return checked.options;
  };

  it("sends the payload, queue and priority the form shows, empty ones as the defaults, and no runAt for now", () => {
    expect(retryChanges({ ms: 5 }, optionsOf({}), now)).toEqual({
      payload: { ms: 5 },
      queue: "default",
      priority: 0,
    });
    expect(retryChanges(null, optionsOf({ queue: "emails", priority: "7" }), now)).toEqual({
      payload: null,
      queue: "emails",
      priority: 7,
    });
  });

  it("turns a delay into runAt, keeps a chosen time, and never sends the keys", () => {
    expect(retryChanges({}, optionsOf({ start: "delay", delay: "2", delayUnit: "min" }), now)).toEqual({
      payload: {},
      queue: "default",
      priority: 0,
      runAt: "2026-12-05T12:02:00.000Z",
    });
    const changes = retryChanges({}, optionsOf({ concurrencyKey: "acme", dedupeKey: "k" }), now);
    expect(Object.keys(changes).sort()).toEqual(["payload", "priority", "queue"]);
  });
});
