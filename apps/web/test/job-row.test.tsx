import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { JobRow } from "../src/features/jobs/job-row";
import { job } from "./support/api";

function renderRow(props: Partial<Parameters<typeof JobRow>[0]> = {}) {
  render(
    <div role="table">
      <div role="rowgroup">
        <JobRow job={job()} index={4} isActive={false} isHighlighted={false} {...props} />
      </div>
    </div>,
  );
  return screen.getByRole("row");
}

describe("JobRow", () => {
  it("shows a job's fields in the table's column order", () => {
    const row = renderRow({ duration: 61_000 });
    const cells = within(row)
      .getAllByRole("cell")
      .map((cell) => cell.textContent);
    expect(cells.slice(1)).toEqual([
      "sleep",
      "running",
      "default",
      "0",
      "json",
      expect.any(String),
      expect.any(String),
      expect.any(String),
      "1 min 1 s",
      "1/3",
    ]);
    expect(within(row).getByRole("link", { name: `Job ${job().id}` })).toHaveAttribute(
      "href",
      `/jobs/${job().id}`,
    );
    expect(within(row).getByRole("link")).toHaveTextContent("694bb05b");
    // Its icon is the button's CSS background: a row mounts no SVG (bench/ANALYSIS.md, R8).
    expect(within(row).getByRole("button", { name: /copy job id/i })).toBeEmptyDOMElement();
    expect(
      within(row)
        .getAllByRole("time")
        .map((time) => time.getAttribute("datetime")),
    ).toEqual([job().createdAt, job().runAt, job().updatedAt]);
  });

  it("shows a dash for a job that has not started", () => {
    const row = renderRow({ job: job({ status: "pending", startedAt: null }), duration: undefined });
    expect(within(row).getAllByRole("cell")[9]).toHaveTextContent("—");
  });

  it("says why a pending job waits when the status is pointed at", () => {
    const row = renderRow({ job: job({ status: "pending", startedAt: null, waitReason: "paused" }) });
    expect(within(row).getAllByRole("cell")[2]).toHaveAttribute("title", "Waiting: queue paused");
  });

  it("is reached with Tab only while it is the active row", () => {
    expect(renderRow({ isActive: false })).toHaveAttribute("tabindex", "-1");
  });

  it("as the active row, takes Tab, and says where it is in the list", () => {
    const row = renderRow({ isActive: true });
    expect(row).toHaveAttribute("tabindex", "0");
    // Row 1 is the header; the list's 5th job is row 6.
    expect(row).toHaveAttribute("aria-rowindex", "6");
  });
});
