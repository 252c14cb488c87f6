import { describe, expect, it } from "vitest";
import {
  issuesFromProblem,
  parseScheduleForm,
  toScheduleForm,
} from "../src/features/schedules/schedule-form-state";
import type { Problem } from "../src/lib/api-errors";

const problem = (patch: Partial<Problem>): Problem => ({
  message: "refused",
  status: 400,
  code: "VALIDATION_FAILED",
  details: [],
  requestId: "req-1",
  ...patch,
});

describe("the schedule form's refusals", () => {
  it("puts each detail at the field its path names, the payload's inner paths included", () => {
    expect(
      issuesFromProblem(
        problem({
          details: [
            { path: "cron", message: 'hour field "25": 25 is not between 0 and 23' },
            { path: "timezone", message: "is not an IANA time zone (such as Europe/Berlin or UTC)" },
            { path: "payload.url", message: "must be a URL" },
            { path: "catchUp", message: "must be one of latest, none" },
            { path: "body", message: "must be a JSON object" },
          ],
        }),
        "nightly",
      ),
    ).toEqual({
      cron: ['hour field "25": 25 is not between 0 and 23'],
      timezone: ["is not an IANA time zone (such as Europe/Berlin or UTC)"],
      payload: ["url: must be a URL"],
      catchUp: ["must be one of latest, none"],
      form: ["must be a JSON object"],
    });
  });

  it("puts a name conflict at the name, with or without details", () => {
    expect(
      issuesFromProblem(
        problem({ status: 409, code: "CONFLICT", details: [{ path: "name", message: "is taken" }] }),
        "nightly",
      ),
    ).toEqual({ name: ["is taken"] });
    expect(issuesFromProblem(problem({ status: 409, code: "CONFLICT" }), "nightly")).toEqual({
      name: ["another of your schedules is named nightly: choose another name"],
    });
  });

  it("puts anything else above the form", () => {
    expect(
      issuesFromProblem(problem({ status: undefined, message: "The server could not be reached." }), "x"),
    ).toEqual({ form: ["The server could not be reached."] });
  });
});

describe("the schedule form's body", () => {
  it("sends what POST takes, leaving out an empty zone and queue so they take their defaults", () => {
    const form = {
      ...toScheduleForm(undefined, ""),
      name: "  nightly ",
      cron: " 0  3 * * * ",
      timezone: "",
      type: "echo",
      payload: '{"a": 1}',
    };
    expect(parseScheduleForm(form)).toEqual({
      body: {
        name: "nightly",
        cron: "0 3 * * *",
        type: "echo",
        payload: { a: 1 },
        priority: 0,
        overlap: "allow",
        catchUp: "latest",
      },
    });
  });
});
