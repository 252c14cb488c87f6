import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { FilterBar } from "../src/features/jobs/filter-bar";
import { EMPTY_FILTERS, type ViewFilters } from "../src/features/jobs/list-state";

const jobTypes = [
  { type: "echo", resultType: "json", description: "Returns its payload" },
  { type: "markdown.render", resultType: "html", description: "Renders Markdown" },
  { type: "sleep", resultType: "json", description: "Waits" },
];

function Harness({
  initial = EMPTY_FILTERS,
  onChange,
  counts,
}: {
  initial?: ViewFilters;
  onChange: (filters: ViewFilters) => void;
  counts?: Parameters<typeof FilterBar>[0]["statusCounts"];
}) {
  const [filters, setFilters] = useState(initial);
  return (
    <FilterBar
      filters={filters}
      jobTypes={jobTypes}
      statusCounts={counts}
      queueNames={["default", "emails"]}
      schedules={[{ id: "0193a4c2-8f1e-7b3a-9c55-2f1e8d7c6b5a", name: "nightly-report" }]}
      onChange={(next) => {
        setFilters(next);
        onChange(next);
      }}
    />
  );
}

describe("FilterBar", () => {
  it("filters by several statuses with one click each", async () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    await userEvent.click(screen.getByRole("checkbox", { name: "failed" }));
    await userEvent.click(screen.getByRole("checkbox", { name: "pending" }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ statuses: ["failed", "pending"] }));
    expect(screen.getByRole("checkbox", { name: "failed" })).toBeChecked();
    await userEvent.click(screen.getByRole("checkbox", { name: "failed" }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ statuses: ["pending"] }));
  });

  it("offers the registered job types and names the choice on its button", async () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    const button = screen.getByRole("button", { name: "Type: all" });
    expect(button).toHaveAttribute("aria-expanded", "false");
    await userEvent.click(button);
    expect(button).toHaveAttribute("aria-expanded", "true");
    const group = screen.getByRole("group", { name: "Type" });
    expect(
      within(group)
        .getAllByRole("checkbox")
        .map((box) => box.getAttribute("aria-label") ?? box.parentElement?.textContent),
    ).toEqual(["echo", "markdown.render", "sleep"]);
    await userEvent.click(within(group).getByRole("checkbox", { name: "sleep" }));
    await userEvent.click(within(group).getByRole("checkbox", { name: "echo" }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ types: ["sleep", "echo"] }));
    expect(screen.getByRole("button", { name: "Type: sleep, echo" })).toBeInTheDocument();
    await userEvent.keyboard("{Escape}");
    expect(screen.getByRole("button", { name: "Type: sleep, echo" })).toHaveAttribute(
      "aria-expanded",
      "false",
    );
    expect(screen.getByRole("button", { name: "Type: sleep, echo" })).toHaveFocus();
  });

  it("lists every result type the server can produce", async () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    await userEvent.click(screen.getByRole("button", { name: "Result: all" }));
    await userEvent.click(screen.getByRole("checkbox", { name: "image" }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ resultTypes: ["image"] }));
    expect(screen.getByRole("checkbox", { name: "html" })).toBeInTheDocument();
  });

  it("shows counts by status when the server provides them", () => {
    render(
      <Harness
        onChange={vi.fn()}
        counts={{ pending: 12, running: 1, completed: 1500, failed: 0, cancelled: 3 }}
      />,
    );
    expect(screen.getByRole("checkbox", { name: "completed" })).toHaveAccessibleDescription("1500 jobs");
    expect(screen.getByRole("checkbox", { name: "running" })).toHaveAccessibleDescription("1 job");
  });

  it("sets the created window from a preset or from the pickers", async () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    await userEvent.click(screen.getByRole("button", { name: "Created: any time" }));
    await userEvent.click(screen.getByRole("button", { name: "Last 24 hours" }));
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ createdPreset: "24h", createdFrom: undefined }),
    );
    expect(screen.getByRole("button", { name: "Last 24 hours" })).toHaveAttribute("aria-pressed", "true");

    const from = screen.getByLabelText("Created from");
    await userEvent.type(from, "2026-11-20T08:30");
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({
        createdPreset: undefined,
        createdFrom: new Date("2026-11-20T08:30").getTime(),
      }),
    );
    await userEvent.type(screen.getByLabelText("Created to"), "2026-11-21T10:00");
    // "To 10:00" takes in the whole of that minute.
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ createdTo: new Date("2026-11-21T10:00").getTime() + 59_999 }),
    );
  });

  it("clears every filter at once, and only offers to when there is something to clear", async () => {
    const onChange = vi.fn();
    render(
      <Harness
        onChange={onChange}
        initial={{ ...EMPTY_FILTERS, statuses: ["failed"], types: ["echo"], createdPreset: "1h" }}
      />,
    );
    await userEvent.click(screen.getByRole("button", { name: "Clear all filters" }));
    expect(onChange).toHaveBeenLastCalledWith(EMPTY_FILTERS);
    expect(screen.queryByRole("button", { name: "Clear all filters" })).not.toBeInTheDocument();
    expect(screen.getByRole("checkbox", { name: "failed" })).not.toBeChecked();
  });

  it("keeps a chosen type the server no longer lists, so it can be removed", async () => {
    render(<Harness onChange={vi.fn()} initial={{ ...EMPTY_FILTERS, types: ["retired.type"] }} />);
    await userEvent.click(screen.getByRole("button", { name: "Type: retired.type" }));
    expect(screen.getByRole("checkbox", { name: "retired.type" })).toBeChecked();
  });

  it("filters by queue and by why pending jobs wait, in words", async () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    await userEvent.click(screen.getByRole("button", { name: /^Queue:/ }));
    await userEvent.click(screen.getByRole("checkbox", { name: "emails" }));
    expect(onChange).toHaveBeenLastCalledWith({ ...EMPTY_FILTERS, queues: ["emails"] });

    await userEvent.click(screen.getByRole("button", { name: /^Waiting:/ }));
    await userEvent.click(screen.getByRole("checkbox", { name: "queue paused" }));
    expect(onChange).toHaveBeenLastCalledWith({
      ...EMPTY_FILTERS,
      queues: ["emails"],
      waitReasons: ["paused"],
    });
    expect(screen.getByRole("button", { name: /^Waiting:/ })).toHaveTextContent("Waiting: queue paused");
  });

  it("filters by schedule, named, and by batch ids typed or pasted", async () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    await userEvent.click(screen.getByRole("button", { name: /^Schedule:/ }));
    await userEvent.click(screen.getByRole("checkbox", { name: "nightly-report" }));
    expect(onChange).toHaveBeenLastCalledWith({
      ...EMPTY_FILTERS,
      scheduleIds: ["0193a4c2-8f1e-7b3a-9c55-2f1e8d7c6b5a"],
    });
    expect(screen.getByRole("button", { name: /^Schedule:/ })).toHaveTextContent("Schedule: nightly-report");

    await userEvent.click(screen.getByRole("button", { name: /^Batch:/ }));
    await userEvent.type(screen.getByLabelText("Batch id"), "0193a4c2-8f1e-7b3a-9c55-00000000000b{Enter}");
    expect(onChange).toHaveBeenLastCalledWith({
      ...EMPTY_FILTERS,
      scheduleIds: ["0193a4c2-8f1e-7b3a-9c55-2f1e8d7c6b5a"],
      batchIds: ["0193a4c2-8f1e-7b3a-9c55-00000000000b"],
    });
    expect(screen.getByRole("button", { name: /^Batch:/ })).toHaveTextContent("Batch: 0000000b");
    await userEvent.click(
      screen.getByRole("button", { name: "Remove batch 0193a4c2-8f1e-7b3a-9c55-00000000000b" }),
    );
    expect(onChange).toHaveBeenLastCalledWith({
      ...EMPTY_FILTERS,
      scheduleIds: ["0193a4c2-8f1e-7b3a-9c55-2f1e8d7c6b5a"],
    });
  });
});
