import { act, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RelativeTime } from "../src/components/relative-time";
import { describeRelative } from "../src/lib/relative-time";

const NOW = Date.parse("2026-12-04T12:00:00.000Z");
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe("describeRelative", () => {
  it.each([
    [0, "now"],
    [4_999, "now"],
    [-4_999, "now"],
    [5 * SECOND, "5 seconds ago"],
    [59_999, "59 seconds ago"],
    [MINUTE, "1 minute ago"],
    [3 * MINUTE + 59 * SECOND, "3 minutes ago"],
    [-(4 * MINUTE + 59 * SECOND), "in 4 minutes"],
    [-90 * SECOND, "in 1 minute"],
    [2 * HOUR + 5 * MINUTE, "2 hours ago"],
    [DAY + 23 * HOUR, "1 day ago"],
    [-3 * DAY, "in 3 days"],
    [45 * DAY, "1 month ago"],
    [400 * DAY, "1 year ago"],
  ])("%i ms before now reads %s", (ago, text) => {
    expect(describeRelative(NOW - ago, NOW).text).toBe(text);
  });

  it("says when its text changes: the same text until then, another one from then on", () => {
    // Past and future, across each unit's boundaries, at irregular offsets.
    const offsets: number[] = [];
    for (let ms = -3 * DAY; ms <= 3 * DAY; ms += 61_001) offsets.push(ms);
    for (const unit of [SECOND, MINUTE, HOUR, DAY])
      for (const k of [1, 5, 59, 60, 61])
        for (const edge of [-1, 0, 1]) offsets.push(k * unit + edge, -(k * unit + edge));
    for (const offset of offsets) {
      const target = NOW - offset;
      const { text, nextChangeInMs } = describeRelative(target, NOW);
      expect(nextChangeInMs, `${offset}`).toBeGreaterThanOrEqual(1);
      expect(describeRelative(target, NOW + nextChangeInMs - 1).text, `${offset}`).toBe(text);
      expect(describeRelative(target, NOW + nextChangeInMs).text, `${offset}`).not.toBe(text);
    }
  });
});

/**
 * Lets time pass in steps: each step fires the timer that is due and lets React render, which sets
 * the next timer (one act() would run only the first of a chain).
 */
function passTime(ms: number, step: number) {
  for (let passed = 0; passed < ms; passed += step) {
    act(() => {
      vi.advanceTimersByTime(Math.min(step, ms - passed));
    });
  }
}

describe("RelativeTime", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("is a <time> with the instant in dateTime and the exact local time and ISO instant on hover", () => {
    const iso = new Date(NOW - 3 * MINUTE).toISOString();
    render(<RelativeTime iso={iso} />);
    const time = screen.getByText("3 minutes ago");
    expect(time.tagName).toBe("TIME");
    expect(time).toHaveAttribute("datetime", iso);
    const title = time.getAttribute("title") ?? "";
    expect(title).toContain(iso);
    expect(title).toMatch(/^2026-12-04 \d\d:57:00\.000 UTC/);
  });

  it("stays true as time passes, without its parent rendering again", () => {
    render(<RelativeTime iso={new Date(NOW).toISOString()} />);
    expect(screen.getByText("now")).toBeInTheDocument();
    passTime(5 * SECOND, SECOND);
    expect(screen.getByText("5 seconds ago")).toBeInTheDocument();
    passTime(55 * SECOND, SECOND);
    expect(screen.getByText("1 minute ago")).toBeInTheDocument();
    passTime(2 * HOUR - MINUTE, MINUTE);
    expect(screen.getByText("2 hours ago")).toBeInTheDocument();
  });

  it("counts down to a future time, then past it", () => {
    render(<RelativeTime iso={new Date(NOW + 2 * MINUTE).toISOString()} />);
    expect(screen.getByText("in 2 minutes")).toBeInTheDocument();
    passTime(1, 1);
    expect(screen.getByText("in 1 minute")).toBeInTheDocument();
    passTime(MINUTE, SECOND);
    expect(screen.getByText("in 59 seconds")).toBeInTheDocument();
    passTime(MINUTE + 10 * SECOND, SECOND);
    expect(screen.getByText("10 seconds ago")).toBeInTheDocument();
  });

  it("writes the exact time out when asked, and shows what stands for a missing time", () => {
    const iso = new Date(NOW - DAY).toISOString();
    const { container } = render(
      <>
        <RelativeTime iso={iso} exact="full" />
        <RelativeTime iso={null} empty="never" />
      </>,
    );
    expect(container.querySelector("time")).toHaveTextContent(/^1 day ago · 2026-12-03 \d\d:00:00\.000 UTC/);
    expect(screen.getByText("never").tagName).toBe("SPAN");
  });
});
