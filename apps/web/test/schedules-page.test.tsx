import type { Schedule } from "@jobdeck/contract";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NoticeArea } from "../src/components/notice-area";
import { formatInZone, viewerTimeZone } from "../src/features/schedules/cron-preview";
import { NewSchedulePage } from "../src/features/schedules/new-schedule-page";
import { SchedulePage } from "../src/features/schedules/schedule-page";
import { SchedulesPage } from "../src/features/schedules/schedules-page";
import { fakeApi, job, jobType, ok, refused, signInAs, type SentRequest } from "./support/api";
import { QueryProviders, testQueryClient } from "./support/queries";

const SCHEDULE_ID = "0193a4c2-8f1e-7b3a-9c55-2f1e8d7c6b5a";
const LAST_JOB_ID = "01a23c14-75dd-7328-a0b2-20ec35b135c8";

const schedule = (patch: Partial<Schedule> = {}): Schedule => ({
  id: SCHEDULE_ID,
  name: "nightly-report",
  cron: "0 3 * * *",
  timezone: "Europe/Berlin",
  type: "echo",
  payload: { report: "daily" },
  queue: "default",
  priority: 0,
  overlap: "allow",
  catchUp: "latest",
  isPaused: false,
  nextRunAt: "2026-12-05T02:00:00.000Z",
  lastRunAt: "2026-12-04T02:00:00.000Z",
  lastJobId: LAST_JOB_ID,
  createdAt: "2026-12-01T09:30:00.000Z",
  updatedAt: "2026-12-01T09:30:00.000Z",
  ...patch,
});

const page = (data: unknown[], nextCursor: string | null = null) =>
  Response.json({
    success: true,
    data,
    pagination: { limit: 50, nextCursor, hasMore: nextCursor !== null, isPartial: false },
  });

const refusedWith = (
  status: number,
  code: string,
  message: string,
  details: { path: string; message: string }[],
) => Response.json({ success: false, error: { code, message, details }, requestId: "req-7" }, { status });

const jobTypes = () => ok(200, [jobType(), jobType({ type: "sleep", payloadSchema: { type: "object" } })]);

function renderWith(element: React.ReactNode) {
  render(
    <QueryProviders client={testQueryClient()}>
      {element}
      <NoticeArea />
    </QueryProviders>,
  );
}

const isPost = (path: string) => (request: SentRequest) => request.method === "POST" && request.path === path;

beforeEach(() => {
  signInAs("planner");
  // Only Date is faked: "now" stays at this instant, while timers and promises run as usual.
  vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-12-04T12:00:00.000Z") });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the Schedules page", () => {
  it("lists each schedule: name, when in words, zone, next run, last run linking its job, and pause", async () => {
    const requests = fakeApi((request) =>
      request.path.includes("cursor=")
        ? page([
            schedule({
              id: "0193a4c2-8f1e-7b3a-9c55-000000000002",
              name: "minutely",
              cron: "* * * * *",
              timezone: "UTC",
              lastRunAt: null,
              lastJobId: null,
            }),
          ])
        : page([schedule({ isPaused: true, nextRunAt: null })], "c1"),
    );
    renderWith(<SchedulesPage />);

    const row = await screen.findByRole("row", { name: /^nightly-report / });
    const cells = within(row).getAllByRole("cell");
    expect(cells[0]).toHaveTextContent("0 3 * * *At 03:00");
    expect(cells[1]).toHaveTextContent("Europe/Berlin");
    expect(cells[2]).toHaveTextContent("paused");
    expect(within(cells[3]!).getByRole("link")).toHaveAttribute("href", `/jobs/${LAST_JOB_ID}`);
    expect(within(cells[3]!).getByRole("link")).toHaveTextContent(/ago/);
    expect(within(row).getByRole("switch", { name: "Pause nightly-report" })).toBeChecked();

    await userEvent.click(screen.getByRole("button", { name: "Show more schedules" }));
    const minutely = await screen.findByRole("row", { name: /^minutely / });
    expect(within(minutely).getAllByRole("cell")[0]).toHaveTextContent("Every minute");
    expect(within(minutely).getAllByRole("cell")[3]).toHaveTextContent("never");
    expect(screen.getByText("2 schedules")).toBeInTheDocument();
    expect(requests.filter((r) => r.path.startsWith("/v1/schedules?")).map((r) => r.path)).toEqual([
      "/v1/schedules?limit=50",
      "/v1/schedules?limit=50&cursor=c1",
    ]);
  });

  it("says when there are none, and when they could not be loaded, with a way to try again", async () => {
    let isDown = true;
    fakeApi(() => (isDown ? refused(503, "UNAVAILABLE", "The database cannot be reached") : page([])));
    renderWith(<SchedulesPage />);
    const problem = await screen.findByRole("alert");
    expect(problem).toHaveTextContent("The schedules could not be loaded");
    expect(problem).toHaveTextContent("The database cannot be reached");
    isDown = false;
    await userEvent.click(within(problem).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("heading", { name: "No schedules yet" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Create a schedule" })).toHaveAttribute("href", "/schedules/new");
  });

  it("pauses and resumes a schedule with its switch", async () => {
    let isPaused = false;
    const requests = fakeApi((request) => {
      if (request.method === "POST") {
        isPaused = request.path.endsWith("/pause");
        return ok(200, schedule({ isPaused, nextRunAt: isPaused ? null : "2026-12-05T02:00:00.000Z" }));
      }
      return page([schedule({ isPaused })]);
    });
    renderWith(<SchedulesPage />);
    await userEvent.click(await screen.findByRole("switch", { name: "Pause nightly-report" }));
    expect(
      await screen.findByRole("switch", { name: "Pause nightly-report", checked: true }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole("switch", { name: "Pause nightly-report" }));
    expect(
      await screen.findByRole("switch", { name: "Pause nightly-report", checked: false }),
    ).toBeInTheDocument();
    expect(requests.filter((r) => r.method === "POST").map((r) => r.path)).toEqual([
      `/v1/schedules/${SCHEDULE_ID}/pause`,
      `/v1/schedules/${SCHEDULE_ID}/resume`,
    ]);
  });
});

describe("the schedule form", () => {
  it("explains the cron expression in words, with the next five fire times in the schedule's zone and the reader's", async () => {
    const requests = fakeApi((request) => {
      if (request.path === "/v1/job-types") return jobTypes();
      if (request.method === "POST")
        return ok(
          201,
          schedule({ ...(JSON.parse(request.body ?? "{}") as Partial<Schedule>) }),
          "Schedule created",
        );
      return page([]);
    });
    renderWith(<NewSchedulePage />);
    const form = await screen.findByRole("form", { name: "New schedule" });
    await userEvent.type(within(form).getByLabelText("Name"), "nightly-report");
    await userEvent.type(within(form).getByLabelText("Cron expression"), "0 3 * * *");
    await userEvent.clear(within(form).getByLabelText("Time zone"));
    await userEvent.type(within(form).getByLabelText("Time zone"), "Europe/Berlin");

    const explanation = within(form).getByRole("region", { name: "What the cron expression means" });
    expect(explanation).toHaveTextContent("At 03:00 (Europe/Berlin)");
    const runs = within(explanation).getByRole("table", { name: "Next 5 fire times" });
    const rows = within(runs).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(5);
    const instants = [5, 6, 7, 8, 9].map((day) => `2026-12-0${day}T02:00:00.000Z`);
    expect(rows.map((row) => row.querySelector("time")?.getAttribute("datetime"))).toEqual(instants);
    expect(rows[0]).toHaveTextContent("Sat, 5 Dec 2026, 03:00:00 CET");
    const viewer = viewerTimeZone();
    if (viewer !== "Europe/Berlin") {
      expect(within(runs).getByRole("columnheader", { name: `Your time (${viewer})` })).toBeInTheDocument();
      expect(rows[0]).toHaveTextContent(formatInZone(new Date(instants[0]!), viewer));
    }

    // Not in jobdeck's dialect: said at once, and no times.
    await userEvent.clear(within(form).getByLabelText("Cron expression"));
    await userEvent.type(within(form).getByLabelText("Cron expression"), "0 0 L * *");
    expect(explanation).toHaveTextContent("“L” is not supported");
    expect(within(explanation).queryByRole("table")).not.toBeInTheDocument();

    await userEvent.clear(within(form).getByLabelText("Cron expression"));
    await userEvent.type(within(form).getByLabelText("Cron expression"), "*/30 * * * * *");
    expect(explanation).toHaveTextContent("Every 30 seconds");
    await userEvent.click(within(form).getByRole("radio", { name: /^Skip:/ }));
    await userEvent.click(within(form).getByRole("button", { name: "Create schedule" }));
    expect(await screen.findByText("Schedule nightly-report created")).toBeInTheDocument();
    const post = requests.find(isPost("/v1/schedules"));
    expect(JSON.parse(post?.body ?? "")).toEqual({
      name: "nightly-report",
      cron: "*/30 * * * * *",
      timezone: "Europe/Berlin",
      type: "echo",
      payload: { message: "Hello from jobdeck", count: 3 },
      priority: 0,
      overlap: "skip",
      catchUp: "latest",
    });
    expect(window.location.pathname).toBe(`/schedules/${SCHEDULE_ID}`);
  });

  it("shows the server's 400 details at the cron and time zone fields, and a 409 at the name", async () => {
    let answer = refusedWith(400, "VALIDATION_FAILED", "cron: not a valid cron expression", [
      { path: "cron", message: "day-of-month 32 is out of range (1–31)" },
      { path: "timezone", message: "is not an IANA time zone" },
    ]);
    const requests = fakeApi((request) => {
      if (request.path === "/v1/job-types") return jobTypes();
      if (request.method === "POST") return answer;
      return page([]);
    });
    renderWith(<NewSchedulePage />);
    const form = await screen.findByRole("form", { name: "New schedule" });
    await userEvent.type(within(form).getByLabelText("Name"), "nightly-report");
    await userEvent.type(within(form).getByLabelText("Cron expression"), "0 3 * * *");
    await userEvent.click(within(form).getByRole("button", { name: "Create schedule" }));

    const cron = within(form).getByLabelText("Cron expression");
    await vi.waitFor(() => expect(cron).toBeInvalid());
    expect(cron).toHaveAccessibleDescription(
      expect.stringContaining("day-of-month 32 is out of range (1–31)"),
    );
    const zone = within(form).getByLabelText("Time zone");
    expect(zone).toBeInvalid();
    expect(zone).toHaveAccessibleDescription(expect.stringContaining("is not an IANA time zone"));
    expect(within(form).getAllByRole("alert")[0]).toHaveTextContent("See the marked fields");
    // Editing a field clears what the server said about it, and only that.
    await userEvent.type(cron, " ");
    expect(cron).not.toBeInvalid();
    expect(zone).toBeInvalid();

    answer = refusedWith(409, "CONFLICT", 'A schedule named "nightly-report" already exists', [
      { path: "name", message: "is taken by another of your schedules" },
    ]);
    await userEvent.click(within(form).getByRole("button", { name: "Create schedule" }));
    const name = within(form).getByLabelText("Name");
    await vi.waitFor(() => expect(name).toBeInvalid());
    expect(name).toHaveAccessibleDescription(
      expect.stringContaining("is taken by another of your schedules"),
    );
    expect(zone).not.toBeInvalid();
    expect(requests.filter(isPost("/v1/schedules"))).toHaveLength(2);
  });

  it("checks the form before sending it", async () => {
    const requests = fakeApi((request) => (request.path === "/v1/job-types" ? jobTypes() : page([])));
    renderWith(<NewSchedulePage />);
    const form = await screen.findByRole("form", { name: "New schedule" });
    await userEvent.clear(within(form).getByLabelText("Payload (JSON)"));
    await userEvent.clear(within(form).getByLabelText("Priority"));
    await userEvent.type(within(form).getByLabelText("Priority"), "500");
    await userEvent.click(within(form).getByRole("button", { name: "Create schedule" }));
    expect(within(form).getByLabelText("Name")).toHaveAccessibleDescription(
      expect.stringContaining("is required"),
    );
    expect(within(form).getByLabelText("Cron expression")).toBeInvalid();
    expect(within(form).getByLabelText("Priority")).toHaveAccessibleDescription(
      expect.stringContaining("between -100 and 100"),
    );
    expect(requests.some((r) => r.method === "POST")).toBe(false);
  });
});

describe("a schedule's page", () => {
  it("shows when it fires, triggers a job now, and lists its recent jobs from the list filtered by scheduleId", async () => {
    const made = job({
      id: "01a23c14-75dd-7328-a0b2-20ec35b13500",
      type: "echo",
      status: "pending",
      scheduleId: SCHEDULE_ID,
    });
    let jobs = [job({ id: LAST_JOB_ID, type: "echo", status: "completed", scheduleId: SCHEDULE_ID })];
    const requests = fakeApi((request) => {
      if (request.path === `/v1/schedules/${SCHEDULE_ID}`) return ok(200, schedule());
      if (request.method === "POST" && request.path.endsWith("/trigger")) {
        jobs = [made, ...jobs];
        return ok(201, made, "Job created");
      }
      if (request.path.startsWith("/v1/jobs?")) return page(jobs);
      return page([]);
    });
    renderWith(<SchedulePage scheduleId={SCHEDULE_ID} />);

    expect(await screen.findByRole("heading", { name: "nightly-report", level: 1 })).toBeInTheDocument();
    const when = screen.getByRole("region", { name: "When it fires" });
    expect(within(when).getByRole("link", { name: /Dec 4/ })).toHaveAttribute("href", `/jobs/${LAST_JOB_ID}`);
    expect(within(when).getByRole("table", { name: "Next 5 fire times" })).toBeInTheDocument();

    const recent = screen.getByRole("region", { name: "Recent jobs" });
    expect(await within(recent).findByRole("link", { name: `Job ${LAST_JOB_ID}` })).toBeInTheDocument();
    expect(within(recent).getByRole("link", { name: "All its jobs in the list" })).toHaveAttribute(
      "href",
      `/?schedule=${SCHEDULE_ID}`,
    );
    const listRead = requests.find((r) => r.path.startsWith("/v1/jobs?"));
    expect(new URLSearchParams(listRead?.path.split("?")[1]).get("scheduleId")).toBe(SCHEDULE_ID);

    await userEvent.click(screen.getByRole("button", { name: "Trigger now" }));
    expect(await screen.findByText("Job made by nightly-report")).toBeInTheDocument();
    expect(requests.filter(isPost(`/v1/schedules/${SCHEDULE_ID}/trigger`))).toHaveLength(1);
  });

  it("edits the schedule with PUT, POST's body in full", async () => {
    let stored = schedule();
    const requests = fakeApi((request) => {
      if (request.path === "/v1/job-types") return jobTypes();
      if (request.method === "PUT") {
        stored = {
          ...stored,
          ...(JSON.parse(request.body ?? "{}") as Partial<Schedule>),
          updatedAt: "2026-12-04T12:00:00.000Z",
        };
        return ok(200, stored, "Schedule updated");
      }
      if (request.path === `/v1/schedules/${SCHEDULE_ID}`) return ok(200, stored);
      return page([]);
    });
    renderWith(<SchedulePage scheduleId={SCHEDULE_ID} />);
    await userEvent.click(await screen.findByRole("button", { name: "Edit" }));
    const form = await screen.findByRole("form", { name: "Edit schedule nightly-report" });
    expect(within(form).getByLabelText("Cron expression")).toHaveValue("0 3 * * *");
    await userEvent.clear(within(form).getByLabelText("Cron expression"));
    await userEvent.type(within(form).getByLabelText("Cron expression"), "0 4 * * *");
    await userEvent.click(within(form).getByRole("button", { name: "Save schedule" }));
    expect(await screen.findByText("Schedule nightly-report saved")).toBeInTheDocument();
    const put = requests.find((r) => r.method === "PUT");
    expect(put?.path).toBe(`/v1/schedules/${SCHEDULE_ID}`);
    expect(JSON.parse(put?.body ?? "")).toMatchObject({
      name: "nightly-report",
      cron: "0 4 * * *",
      timezone: "Europe/Berlin",
      payload: { report: "daily" },
    });
    expect(screen.getByRole("region", { name: "When it fires" })).toHaveTextContent("0 4 * * *");
  });

  it("says when a schedule is not found", async () => {
    fakeApi(() => refused(404, "NOT_FOUND", "No such schedule"));
    renderWith(<SchedulePage scheduleId="gone" />);
    expect(await screen.findByRole("heading", { name: "Schedule not found" })).toBeInTheDocument();
  });
});
