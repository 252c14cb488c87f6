import { describe, expect, it } from "vitest";
import {
  describeCron,
  dialectProblem,
  formatInZone,
  previewCron,
} from "../src/features/schedules/cron-preview";

const runsOf = (cron: string, zone: string, from: string, count = 5) => {
  const preview = previewCron(cron, zone, new Date(from), count);
  if (!preview.isValid) throw new Error(preview.problem);
  return preview.nextRuns.map((run) => run.toISOString());
};

describe("the cron preview", () => {
  it("says what an expression means in words", () => {
    expect(describeCron("0 3 * * *")).toBe("At 03:00");
    expect(describeCron("* * * * * *")).toBe("Every second");
    expect(describeCron("*/15 9-17 * * MON-FRI")).toBe(
      "Every 15 minutes, between 09:00 and 17:59, Monday through Friday",
    );
  });

  it("gives the next five fire times strictly after now, in the schedule's zone", () => {
    expect(runsOf("0 3 * * *", "Europe/Berlin", "2026-12-04T12:00:00.000Z")).toEqual([
      "2026-12-05T02:00:00.000Z",
      "2026-12-06T02:00:00.000Z",
      "2026-12-07T02:00:00.000Z",
      "2026-12-08T02:00:00.000Z",
      "2026-12-09T02:00:00.000Z",
    ]);
    // Exactly on a fire time: that one has passed.
    expect(runsOf("* * * * * *", "UTC", "2026-12-04T12:00:00.000Z", 2)).toEqual([
      "2026-12-04T12:00:01.000Z",
      "2026-12-04T12:00:02.000Z",
    ]);
  });

  // The answers §12 gives for daylight saving, in two zones: the server's own tests hold the same table.
  it.each([
    // Spring forward: 02:30 does not exist that night; it fires at the end of the gap (03:00 local).
    [
      "30 2 * * *",
      "Europe/Berlin",
      "2026-03-28T12:00:00.000Z",
      ["2026-03-29T01:00:00.000Z", "2026-03-30T00:30:00.000Z"],
    ],
    [
      "30 2 * * *",
      "America/New_York",
      "2026-03-07T12:00:00.000Z",
      ["2026-03-08T07:00:00.000Z", "2026-03-09T06:30:00.000Z"],
    ],
    // Fall back: 02:30 (Berlin) and 01:30 (New York) happen twice; it fires once, at the first.
    [
      "30 2 * * *",
      "Europe/Berlin",
      "2026-10-24T12:00:00.000Z",
      ["2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z"],
    ],
    [
      "30 1 * * *",
      "America/New_York",
      "2026-10-31T12:00:00.000Z",
      ["2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"],
    ],
    // An hourly pattern fires at every matching instant, both 02:00s of the repeated hour included.
    [
      "0 * * * *",
      "Europe/Berlin",
      "2026-10-24T23:30:00.000Z",
      ["2026-10-25T00:00:00.000Z", "2026-10-25T01:00:00.000Z", "2026-10-25T02:00:00.000Z"],
    ],
    // The corner where croner's own zone handling differed from the server (until the preview
    // used the server's code): a fixed hour with a minute step or a list on a changeover night.
    [
      "*/15 2 * * *",
      "Europe/Berlin",
      "2026-03-28T12:00:00.000Z",
      ["2026-03-29T01:00:00.000Z", "2026-03-30T00:00:00.000Z"],
    ],
    [
      "30 1,2 * * *",
      "Europe/Berlin",
      "2026-03-28T12:00:00.000Z",
      ["2026-03-29T00:30:00.000Z", "2026-03-29T01:00:00.000Z", "2026-03-29T23:30:00.000Z"],
    ],
    [
      "*/20 2 * * *",
      "Europe/Berlin",
      "2026-10-24T12:00:00.000Z",
      [
        "2026-10-25T00:00:00.000Z",
        "2026-10-25T00:20:00.000Z",
        "2026-10-25T00:40:00.000Z",
        "2026-10-26T01:00:00.000Z",
      ],
    ],
  ])("%s in %s after %s", (cron, zone, from, expected) => {
    expect(runsOf(cron, zone, from, expected.length)).toEqual(expected);
  });

  it("follows Vixie cron: either day field matches when both are restricted, and 7 is Sunday", () => {
    expect(runsOf("0 0 1 * MON", "UTC", "2026-01-25T12:00:00.000Z", 3)).toEqual([
      "2026-01-26T00:00:00.000Z",
      "2026-02-01T00:00:00.000Z",
      "2026-02-02T00:00:00.000Z",
    ]);
    expect(runsOf("0 0 * * 7", "UTC", "2026-01-01T00:00:00.000Z", 1)).toEqual(["2026-01-04T00:00:00.000Z"]);
    // A day field that starts with * restricts nothing: every other day that is a Monday.
    expect(runsOf("0 0 */2 * MON", "UTC", "2026-01-01T00:00:00.000Z", 3)).toEqual([
      "2026-01-05T00:00:00.000Z",
      "2026-01-19T00:00:00.000Z",
      "2026-02-09T00:00:00.000Z",
    ]);
  });

  it("refuses what jobdeck's dialect does not have, naming it, before any preview", () => {
    expect(dialectProblem("0 0 L * *")).toMatch(/“L” is not supported/);
    expect(dialectProblem("0 0 15W * *")).toMatch(/“W” is not supported/);
    expect(dialectProblem("0 0 * * MON#2")).toMatch(/“#” is not supported/);
    expect(dialectProblem("0 0 ? * *")).toMatch(/“\?” is not supported/);
    expect(dialectProblem("@daily")).toMatch(/@ macros/);
    expect(dialectProblem("0 0 * * * * 2027")).toMatch(/has 7 fields/);
    // Month and weekday names are fine, even those with an L or a W in them.
    expect(dialectProblem("0 0 * JUL WED")).toBeUndefined();
    expect(previewCron("61 * * * *", "UTC")).toMatchObject({ isValid: false, field: "cron" });
    expect(previewCron("0 3 * * *", "Mars/Olympus")).toMatchObject({ isValid: false, field: "timezone" });
  });

  it("writes a time in a given zone, with the zone's name for it", () => {
    const instant = new Date("2026-12-05T02:00:00.000Z");
    expect(formatInZone(instant, "Europe/Berlin")).toBe("Sat, 5 Dec 2026, 03:00:00 CET");
    expect(formatInZone(instant, "UTC")).toBe("Sat, 5 Dec 2026, 02:00:00 UTC");
  });
});
