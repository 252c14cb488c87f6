import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Column } from "../src/features/jobs/jobs-table-layout";
import type { JobSort } from "../src/features/jobs/list-state";
import { SortableHeader } from "../src/features/jobs/sortable-header";

function renderHeader(column: Column, sort: JobSort) {
  const onSortChange = vi.fn();
  render(
    <div role="table">
      <div role="rowgroup">
        <div role="row">
          <SortableHeader column={column} sort={sort} onSortChange={onSortChange} />
        </div>
      </div>
    </div>,
  );
  return onSortChange;
}

const newestFirst: JobSort = { by: "createdAt", order: "desc" };

describe("SortableHeader", () => {
  it("is plain text for a column the API cannot sort by", () => {
    renderHeader({ id: "result", label: "Result" }, newestFirst);
    expect(screen.getByRole("columnheader", { name: "Result" })).not.toHaveAttribute("aria-sort");
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
  });

  it("sorts a name A→Z on the first click", async () => {
    const byType = renderHeader({ id: "type", label: "Type", sortBy: "type" }, newestFirst);
    expect(screen.getByRole("columnheader", { name: /Type/ })).toHaveAttribute("aria-sort", "none");
    await userEvent.click(screen.getByRole("button", { name: /Type/ }));
    expect(byType).toHaveBeenCalledWith({ by: "type", order: "asc" });
  });

  it("sorts a date newest first on the first click", async () => {
    const byUpdated = renderHeader({ id: "updated", label: "Updated", sortBy: "updatedAt" }, newestFirst);
    await userEvent.click(screen.getByRole("button", { name: /Updated/ }));
    expect(byUpdated).toHaveBeenCalledWith({ by: "updatedAt", order: "desc" });
  });

  it("says how the list is sorted, and reverses it on a second click", async () => {
    const onSortChange = renderHeader({ id: "created", label: "Created", sortBy: "createdAt" }, newestFirst);
    expect(screen.getByRole("columnheader", { name: /Created/ })).toHaveAttribute("aria-sort", "descending");
    const button = screen.getByRole("button", { name: /Created/ });
    expect(button).toHaveAttribute("title", "Sort by created, ascending");
    await userEvent.click(button);
    expect(onSortChange).toHaveBeenCalledWith({ by: "createdAt", order: "asc" });
  });
});
