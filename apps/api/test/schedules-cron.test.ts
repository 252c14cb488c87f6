import fc from "fast-check";
import { Cron } from "croner";
import { describe, expect, it } from "vitest";
import { cronProblem, latestFireIn, nextFireAfter } from "@jobdeck/contract/schedule-times";
import { offsetAt } from "@jobdeck/contract/schedule-times";

/**
 * Fire times (§12) against answers worked out by hand from the zones' rules: Europe/Berlin goes
 * 02:00 CET → 03:00 CEST on 29 March 2026 (01:00 UTC) and back 03:00 CEST → 02:00 CET on 25 October
 * (01:00 UTC); America/New_York goes 02:00 EST → 03:00 EDT on 8 March 2026 (07:00 UTC) and back
 * 02:00 EDT → 01:00 EST on 1 November (06:00 UTC).
 */

const fires = (cron: string, timezone: string, from: string, count: number): string[] => {
  const out: string[] = [];
  let at = Date.parse(from);
  for (let i = 0; i < count; i++) {
    const next = nextFireAfter({ cron, timezone }, at);
    if (next === null) break;
    out.push(new Date(next).toISOString());
    at = next;
  }
  return out;
};

type Case = { why: string; cron: string; timezone: string; from: string; expected: string[] };

const KNOWN: Case[] = [
  // Europe/Berlin, spring forward: 02:00–02:59 does not exist on 29 March.
  {
    why: "Berlin: a fixed 02:30 in the gap fires at the end of the gap, 03:00 CEST",
    cron: "30 2 * * *",
    timezone: "Europe/Berlin",
    from: "2026-03-28T12:00:00Z",
    expected: ["2026-03-29T01:00:00.000Z", "2026-03-30T00:30:00.000Z"],
  },
  {
    why: "Berlin: hour * skips the times in the gap (no such instant)",
    cron: "*/30 * * * *",
    timezone: "Europe/Berlin",
    from: "2026-03-29T00:00:00Z",
    expected: ["2026-03-29T00:30:00.000Z", "2026-03-29T01:00:00.000Z", "2026-03-29T01:30:00.000Z"],
  },
  {
    why: "Berlin: a fixed hour with a minute step: every time in the gap comes to one fire at 03:00",
    cron: "*/15 2 * * *",
    timezone: "Europe/Berlin",
    from: "2026-03-28T12:00:00Z",
    expected: ["2026-03-29T01:00:00.000Z", "2026-03-30T00:00:00.000Z"],
  },
  {
    why: "Berlin: a list of fixed hours, one of them in the gap",
    cron: "30 1,2 * * *",
    timezone: "Europe/Berlin",
    from: "2026-03-28T12:00:00Z",
    expected: ["2026-03-29T00:30:00.000Z", "2026-03-29T01:00:00.000Z", "2026-03-29T23:30:00.000Z"],
  },
  // Europe/Berlin, fall back: 02:00–02:59 happens twice on 25 October.
  {
    why: "Berlin: a fixed 02:30 that happens twice fires once, on its first pass (CEST)",
    cron: "30 2 * * *",
    timezone: "Europe/Berlin",
    from: "2026-10-24T12:00:00Z",
    expected: ["2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z"],
  },
  {
    why: "Berlin: hour * fires on both passes of the repeated hour",
    cron: "*/30 * * * *",
    timezone: "Europe/Berlin",
    from: "2026-10-25T00:00:00Z",
    expected: [
      "2026-10-25T00:30:00.000Z",
      "2026-10-25T01:00:00.000Z",
      "2026-10-25T01:30:00.000Z",
      "2026-10-25T02:00:00.000Z",
    ],
  },
  {
    why: "Berlin: hour * from inside the first pass comes round to the second pass",
    cron: "0 * * * *",
    timezone: "Europe/Berlin",
    from: "2026-10-25T00:10:00Z",
    expected: ["2026-10-25T01:00:00.000Z", "2026-10-25T02:00:00.000Z"],
  },
  {
    why: "Berlin: a fixed hour with a minute step fires each time once, on the first pass",
    cron: "*/20 2 * * *",
    timezone: "Europe/Berlin",
    from: "2026-10-24T12:00:00Z",
    expected: [
      "2026-10-25T00:00:00.000Z",
      "2026-10-25T00:20:00.000Z",
      "2026-10-25T00:40:00.000Z",
      "2026-10-26T01:00:00.000Z",
    ],
  },
  {
    why: "Berlin: an hour step (*/2) is 'every': 02:00 fires on both passes",
    cron: "0 */2 * * *",
    timezone: "Europe/Berlin",
    from: "2026-10-24T23:30:00Z",
    expected: ["2026-10-25T00:00:00.000Z", "2026-10-25T01:00:00.000Z", "2026-10-25T03:00:00.000Z"],
  },
  // America/New_York.
  {
    why: "New York: a fixed 02:30 in the gap fires at 03:00 EDT",
    cron: "30 2 * * *",
    timezone: "America/New_York",
    from: "2026-03-07T12:00:00Z",
    expected: ["2026-03-08T07:00:00.000Z", "2026-03-09T06:30:00.000Z"],
  },
  {
    why: "New York: hour * skips the gap",
    cron: "30 * * * *",
    timezone: "America/New_York",
    from: "2026-03-08T06:00:00Z",
    expected: ["2026-03-08T06:30:00.000Z", "2026-03-08T07:30:00.000Z"],
  },
  {
    why: "New York: a fixed 01:30 that happens twice fires once, at 01:30 EDT",
    cron: "30 1 * * *",
    timezone: "America/New_York",
    from: "2026-10-31T12:00:00Z",
    expected: ["2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"],
  },
  {
    why: "New York: hour * fires 01:00 EDT and 01:00 EST",
    cron: "0 * * * *",
    timezone: "America/New_York",
    from: "2026-11-01T04:30:00Z",
    expected: ["2026-11-01T05:00:00.000Z", "2026-11-01T06:00:00.000Z", "2026-11-01T07:00:00.000Z"],
  },
  // The dialect, on UTC.
  {
    why: "6 fields: seconds first",
    cron: "*/20 * * * * *",
    timezone: "UTC",
    from: "2026-06-01T12:00:00.500Z",
    expected: ["2026-06-01T12:00:20.000Z", "2026-06-01T12:00:40.000Z", "2026-06-01T12:01:00.000Z"],
  },
  {
    why: "both day fields restricted: either matches (the 1st, or a Friday)",
    cron: "0 0 1 * FRI",
    timezone: "UTC",
    from: "2026-05-28T00:00:00Z",
    expected: ["2026-05-29T00:00:00.000Z", "2026-06-01T00:00:00.000Z", "2026-06-05T00:00:00.000Z"],
  },
  {
    why: "a day field starting with * is not restricted (Vixie): odd days that are Mondays",
    cron: "0 0 */2 * 1",
    timezone: "UTC",
    from: "2026-06-01T12:00:00Z",
    expected: ["2026-06-15T00:00:00.000Z", "2026-06-29T00:00:00.000Z"],
  },
  {
    why: "7 and 0 are Sunday; names in lists and ranges, any case",
    cron: "0 9 * jan-Mar,DEC 7",
    timezone: "UTC",
    from: "2026-03-20T00:00:00Z",
    expected: ["2026-03-22T09:00:00.000Z", "2026-03-29T09:00:00.000Z", "2026-12-06T09:00:00.000Z"],
  },
  {
    why: "ranges with steps and lists",
    cron: "5,10-20/5 8 * * *",
    timezone: "UTC",
    from: "2026-06-01T08:06:00Z",
    expected: [
      "2026-06-01T08:10:00.000Z",
      "2026-06-01T08:15:00.000Z",
      "2026-06-01T08:20:00.000Z",
      "2026-06-02T08:05:00.000Z",
    ],
  },
  {
    why: "29 February only in leap years",
    cron: "0 0 29 2 *",
    timezone: "UTC",
    from: "2026-01-01T00:00:00Z",
    expected: ["2028-02-29T00:00:00.000Z", "2032-02-29T00:00:00.000Z"],
  },
  {
    why: "strictly after: a fire time is not its own successor",
    cron: "0 12 * * *",
    timezone: "Asia/Kolkata",
    from: "2026-06-01T06:30:00Z",
    expected: ["2026-06-02T06:30:00.000Z"],
  },
];

describe("fire times of a schedule (§12)", () => {
  it.each(KNOWN)("$why", ({ cron, timezone, from, expected }) => {
    expect(cronProblem(cron)).toBeUndefined();
    expect(fires(cron, timezone, from, expected.length)).toEqual(expected);
  });

  it.each([
    ["0 0 L * *", /L, W, # and \?/],
    ["0 0 15W * *", /L, W, # and \?/],
    ["0 0 * * MON#2", /L, W, # and \?/],
    ["0 0 ? * *", /L, W, # and \?/],
    ["@daily", /@ macros/],
    ["@reboot", /@ macros/],
    ["0 0 0 1 1 * 2027", /5 fields.*6 with seconds first; it has 7/],
    ["0 0 1 1", /it has 4/],
    ["0 24 * * *", /hour field "24": 24 is not between 0 and 23/],
    ["60 * * * *", /minute field/],
    ["0 0 0 * *", /day of month field "0"/],
    ["0 0 * 13 *", /month field "13"/],
    ["0 0 * * 8", /day of week field "8"/],
    ["0 0 * * FRI-MON", /a range goes from low to high/],
    ["5/5 * * * *", /a step follows \* or a range/],
    ["*/0 * * * *", /a step must be at least 1/],
    ["0 0 * * +MON", /is not a number/],
    ["0 0 * FOO *", /"FOO" is not a month/],
    ["0 0 30 2 *", /matches no date/],
    ["a b c d e", /minute field "a"/],
    ["1,,2 * * * *", /minute field/],
  ])("refuses %s", (cron, message) => {
    expect(cronProblem(cron)).toMatch(message);
  });

  it("finds the latest fire time before a moment, however long ago the window opened", () => {
    const everySecond = { cron: "* * * * * *", timezone: "Europe/Berlin" };
    expect(
      latestFireIn(everySecond, Date.parse("2026-06-01T00:00:00Z"), Date.parse("2026-06-01T12:00:00.300Z")),
    ).toBe(Date.parse("2026-06-01T12:00:00Z"));
    const yearly = { cron: "0 3 1 1 *", timezone: "Europe/Berlin" };
    expect(latestFireIn(yearly, Date.parse("2020-06-01T00:00:00Z"), Date.parse("2026-06-01T00:00:00Z"))).toBe(
      Date.parse("2026-01-01T02:00:00Z"),
    );
    expect(latestFireIn(yearly, Date.parse("2026-02-01T00:00:00Z"), Date.parse("2026-06-01T00:00:00Z"))).toBe(
      null,
    );
  });
});

/**
 * The next fire time against a brute-force scan, minute by minute, of the instants whose wall time
 * matches (croner's own `match` on the wall time), with §12's rules written out the slow way:
 * hour * or a step fires at every matching instant; otherwise an instant fires when its wall time
 * matches on the first pass (the same wall time was not seen an hour before), and the first instant
 * after a gap fires when a wall time inside the gap matches.
 */
describe("fire times against a minute-by-minute scan", () => {
  const ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "America/Santiago",
  ];
  const MINUTE = 60_000;
  const wallMatches = (pattern: Cron, wall: number) => pattern.match(new Date(wall));

  function bruteForce(cron: string, zone: string, after: number, limit: number): number | null {
    const fields = cron.split(" ");
    const pattern = new Cron(cron, {
      utcOffset: 0,
      domAndDow: fields[2]!.startsWith("*") || fields[4]!.startsWith("*"),
    });
    const isEvery = fields[1]!.startsWith("*") || fields[1]!.includes("/");
    const start = Math.floor(after / MINUTE) * MINUTE + MINUTE;
    let previousOffset = offsetAt(zone, start - MINUTE);
    for (let at = start; at < start + limit; at += MINUTE) {
      const offset = offsetAt(zone, at);
      const wall = at + offset;
      const gapFrom = at - MINUTE + previousOffset + MINUTE;
      previousOffset = offset;
      if (isEvery) {
        if (wallMatches(pattern, wall)) return at;
        continue;
      }
      // A gap just ended: the wall times [gapFrom, wall) were skipped; a match among them fires now.
      for (let skipped = gapFrom; skipped < wall; skipped += MINUTE)
        if (wallMatches(pattern, skipped)) return at;
      if (!wallMatches(pattern, wall)) continue;
      // Second pass of a repeated hour: the same wall time came at an earlier instant.
      const before = offsetAt(zone, at - 3 * 3_600_000);
      const earlier = wall - before;
      const isSecondPass = before > offset && earlier < at && offsetAt(zone, earlier) === before;
      if (!isSecondPass) return at;
    }
    return null;
  }

  it("agrees near every transition of 2026 in five zones", () => {
    const fieldFor = (values: string[]) => fc.constantFrom(...values);
    const cronArb = fc
      .tuple(
        fieldFor(["0", "30", "*/15", "0,45", "*", "10-50/20"]),
        fieldFor(["*", "2", "1,2", "0-3", "*/2", "3", "1-4/3", "0"]),
        fieldFor(["*", "*", "1-31", "*/2"]),
        fieldFor(["*", "*", "3,4,10,11", "9-12"]),
        fieldFor(["*", "*", "0", "1-5", "SUN,SAT"]),
      )
      .map((fields) => fields.join(" "));
    // Starting points spread over the year, and within hours of each transition.
    const transitions = ZONES.flatMap((zone) => {
      const found: number[] = [];
      for (let at = Date.UTC(2026, 0, 1); at < Date.UTC(2027, 0, 1); at += 3_600_000)
        if (offsetAt(zone, at) !== offsetAt(zone, at + 3_600_000)) found.push(at);
      return found.map((at) => ({ zone, at }));
    });
    fc.assert(
      fc.property(
        cronArb,
        fc.constantFrom(...transitions),
        fc.integer({ min: -4 * 3_600_000, max: 4 * 3_600_000 }),
        (cron, { zone, at }, shift) => {
          const after = at + shift;
          const expected = bruteForce(cron, zone, after, 2 * 86_400_000);
          const actual = nextFireAfter({ cron, timezone: zone }, after);
          if (expected !== null) expect(actual).toBe(expected);
          else expect(actual === null || actual > after + 2 * 86_400_000 - MINUTE).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
