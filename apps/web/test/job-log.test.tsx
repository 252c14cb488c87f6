import type { JobAttempt, JobLogLine } from "@jobdeck/contract";
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { ProgressBar } from "../src/components/progress-bar";
import { JobAttempts } from "../src/features/jobs/job-attempts";
import { JobLog, LOG_WINDOW } from "../src/features/jobs/job-log";
import { publishLogLine } from "../src/lib/job-log-feed";
import { fakeApi, job, ok, signInAs, type SentRequest } from "./support/api";
import { QueryProviders, testQueryClient } from "./support/queries";

const JOB = job().id;

const line = (seq: number, patch: Partial<JobLogLine> = {}): JobLogLine => ({
  seq,
  attempt: 1,
  level: "info",
  message: `line ${seq}`,
  fields: null,
  at: "2026-11-28T10:00:01.250Z",
  ...patch,
});

/** GET /v1/jobs/{id}/logs answered from `lines`, 100 a page, honouring level and cursor. */
function logsApi(lines: JobLogLine[], droppedLines = 0) {
  return (request: SentRequest) => {
    const url = new URL(request.path, "http://x");
    const levels = url.searchParams.get("level")?.split(",");
    const after = Number(url.searchParams.get("cursor") ?? 0);
    const limit = Number(url.searchParams.get("limit"));
    const matching = lines.filter((l) => l.seq > after && (!levels || levels.includes(l.level)));
    const page = matching.slice(0, limit);
    const hasMore = matching.length > limit;
    return Response.json({
      success: true,
      data: page,
      pagination: { limit, nextCursor: hasMore ? String(page.at(-1)!.seq) : null, hasMore, isPartial: false },
      droppedLines,
      message: "Log lines retrieved",
    });
  };
}

const renderLog = () =>
  render(
    <QueryProviders client={testQueryClient()}>
      <JobLog jobId={JOB} />
    </QueryProviders>,
  );

const shownMessages = () =>
  within(screen.getByRole("log", { name: "Job log" }))
    .queryAllByRole("listitem")
    .map((item) => item.querySelector(".log-message")!.textContent);

beforeEach(() => {
  signInAs("reader");
});

describe("the job's live log", () => {
  it("reads every page, then appends live lines of its job once each, in order", async () => {
    const lines = Array.from({ length: 150 }, (_, i) => line(i + 1));
    const requests = fakeApi(logsApi(lines));
    renderLog();
    expect(await screen.findByText("150 lines", undefined, { timeout: 10_000 })).toBeInTheDocument();
    expect(requests.map((r) => r.path)).toEqual([
      `/v1/jobs/${JOB}/logs?limit=100`,
      `/v1/jobs/${JOB}/logs?limit=100&cursor=100`,
    ]);
    expect(shownMessages().at(-1)).toBe("line 150");

    act(() => {
      // A line already read, one of another job, and two new ones out of order.
      publishLogLine({ jobId: JOB, ...line(150) });
      publishLogLine({ jobId: "another", ...line(151, { message: "not mine" }) });
      publishLogLine({ jobId: JOB, ...line(152, { level: "error", message: "boom", fields: { code: 7 } }) });
      publishLogLine({ jobId: JOB, ...line(151) });
    });
    expect(shownMessages().slice(-3)).toEqual(["line 150", "line 151", "boom"]);
    expect(screen.getByText("152 lines")).toBeInTheDocument();
    expect(screen.getByText('{"code":7}')).toBeInTheDocument();
  });

  it("filters by level, on the server and for live lines", async () => {
    const user = userEvent.setup();
    const levels = ["debug", "info", "warn", "error"] as const;
    const requests = fakeApi(logsApi(levels.map((level, i) => line(i + 1, { level, message: level }))));
    renderLog();
    expect(await screen.findByText("4 lines")).toBeInTheDocument();
    await user.click(screen.getByRole("checkbox", { name: "debug" }));
    await user.click(screen.getByRole("checkbox", { name: "info" }));
    expect(await screen.findByText("2 lines")).toBeInTheDocument();
    expect(requests.at(-1)!.path).toBe(`/v1/jobs/${JOB}/logs?limit=100&level=warn%2Cerror`);
    expect(shownMessages()).toEqual(["warn", "error"]);
    act(() => {
      publishLogLine({ jobId: JOB, ...line(5, { level: "debug", message: "quiet" }) });
      publishLogLine({ jobId: JOB, ...line(6, { level: "warn", message: "loud" }) });
    });
    expect(shownMessages()).toEqual(["warn", "error", "loud"]);
    // The last level chosen cannot be taken away: no filter would show nothing.
    await user.click(screen.getByRole("checkbox", { name: "warn" }));
    expect(screen.getByRole("checkbox", { name: "error" })).toBeDisabled();
  });

  it("shows the newest lines, pages back through older ones, and says what the cap dropped", async () => {
    const user = userEvent.setup();
    fakeApi(
      logsApi(
        Array.from({ length: 450 }, (_, i) => line(i + 1)),
        12,
      ),
    );
    renderLog();
    expect(
      await screen.findByText(/^450 lines · 12 more were dropped/, undefined, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(shownMessages()).toHaveLength(LOG_WINDOW);
    expect(shownMessages()[0]).toBe("line 251");
    await user.click(screen.getByRole("button", { name: "Show earlier lines (250 more)" }));
    expect(shownMessages()[0]).toBe("line 51");
    await user.click(screen.getByRole("button", { name: "Show earlier lines (50 more)" }));
    expect(shownMessages()[0]).toBe("line 1");
    expect(screen.queryByRole("button", { name: /Show earlier lines/ })).not.toBeInTheDocument();
  }, 30_000);

  it("follows new lines while at the bottom, and stops when the reader scrolls up", async () => {
    fakeApi(logsApi([line(1)]));
    renderLog();
    expect(await screen.findByText("1 line")).toBeInTheDocument();
    const follow = screen.getByRole("checkbox", { name: "Follow new lines" });
    expect(follow).toBeChecked();
    const view = screen.getByRole("log", { name: "Job log" });
    // jsdom lays nothing out: give the view a size and a scroll position.
    Object.defineProperty(view, "scrollHeight", { configurable: true, value: 1000 });
    Object.defineProperty(view, "clientHeight", { configurable: true, value: 200 });
    act(() => publishLogLine({ jobId: JOB, ...line(2) }));
    expect(view.scrollTop).toBe(1000);
    view.scrollTop = 300;
    act(() => {
      view.dispatchEvent(new Event("scroll"));
    });
    expect(follow).not.toBeChecked();
    act(() => publishLogLine({ jobId: JOB, ...line(3) }));
    expect(view.scrollTop).toBe(300);
    await userEvent.setup().click(follow);
    expect(view.scrollTop).toBe(1000);
  });
});

describe("the attempts timeline", () => {
  it("shows each attempt's start, end, worker, outcome and error", async () => {
    const attempts: JobAttempt[] = [
      {
        attempt: 1,
        startedAt: "2026-11-28T10:00:01.000Z",
        finishedAt: "2026-11-28T10:00:03.500Z",
        outcome: "failed",
        error: { code: "UPSTREAM_DOWN", message: "the upstream is down (attempt 1 of 3)" },
        workerId: "host-a:41:aa11",
      },
      {
        attempt: 2,
        startedAt: "2026-11-28T10:00:05.000Z",
        finishedAt: null,
        outcome: "running",
        error: null,
        workerId: "host-b:42:bb22",
      },
    ];
    fakeApi(() => ok(200, attempts, "Attempts retrieved"));
    render(
      <QueryProviders client={testQueryClient()}>
        <JobAttempts job={job({ attempts: 2 })} />
      </QueryProviders>,
    );
    const list = await screen.findByRole("list", { name: "Attempts" });
    const items = within(list).getAllByRole("listitem");
    expect(items.map((item) => item.getAttribute("aria-label"))).toEqual([
      "Attempt 1: Failed",
      "Attempt 2: Running",
    ]);
    expect(items[0]).toHaveTextContent("ran 2.5 s");
    expect(items[0]).toHaveTextContent("host-a:41:aa11");
    expect(items[0]).toHaveTextContent("UPSTREAM_DOWN the upstream is down (attempt 1 of 3)");
    expect(items[1]).toHaveTextContent("running…");
    expect(within(items[1]!).getAllByRole("time")[0]).toHaveAttribute("datetime", attempts[1]!.startedAt);
  });
});

describe("the progress bar", () => {
  it("says how far a job has come, with or without a total", () => {
    const updatedAt = "2026-11-28T10:00:02.000Z";
    const { rerender } = render(
      <ProgressBar
        progress={{ current: 1204, total: 5000, message: "bytes read", updatedAt }}
        label="Job progress"
      />,
    );
    const bar = screen.getByRole("progressbar", { name: "Job progress" });
    expect(bar).toHaveAttribute("aria-valuenow", "1204");
    expect(bar).toHaveAttribute("aria-valuemax", "5000");
    expect(bar).toHaveAttribute("aria-valuetext", "1,204 of 5,000 (24 %) · bytes read");
    rerender(
      <ProgressBar progress={{ current: 7, total: null, message: null, updatedAt }} label="Job progress" />,
    );
    expect(screen.getByRole("progressbar", { name: "Job progress" })).not.toHaveAttribute("aria-valuenow");
    expect(screen.getByRole("progressbar")).toHaveAttribute("aria-valuetext", "7");
    rerender(<ProgressBar progress={null} label="Job progress" />);
    expect(screen.queryByRole("progressbar")).not.toBeInTheDocument();
  });
});
