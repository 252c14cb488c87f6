import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { PhoneFold } from "../src/components/phone-fold";
import { countFilters } from "../src/features/jobs/filter-count";
import { EMPTY_FILTERS } from "../src/features/jobs/list-state";

describe("PhoneFold", () => {
  it("is a disclosure button for its contents, saying how many settings are in force inside", async () => {
    render(
      <PhoneFold label="Filters" count={2}>
        <div role="group" aria-label="Filters">
          <input type="checkbox" aria-label="failed" />
        </div>
      </PhoneFold>,
    );
    const button = screen.getByRole("button", { name: "Filters (2)" });
    expect(button).toHaveAttribute("aria-expanded", "false");
    const panel = document.getElementById(button.getAttribute("aria-controls") ?? "");
    expect(panel).toContainElement(screen.getByRole("checkbox", { name: "failed" }));
    await userEvent.click(button);
    expect(button).toHaveAttribute("aria-expanded", "true");
    await userEvent.click(button);
    expect(button).toHaveAttribute("aria-expanded", "false");
  });

  it("says no count when nothing is set", () => {
    render(<PhoneFold label="Filters">contents</PhoneFold>);
    expect(screen.getByRole("button", { name: "Filters" })).toBeInTheDocument();
  });
});

describe("countFilters", () => {
  it("counts each list that has values once, and the created window once", () => {
    expect(countFilters(EMPTY_FILTERS)).toBe(0);
    expect(
      countFilters({
        ...EMPTY_FILTERS,
        statuses: ["failed", "pending"],
        types: ["echo"],
        createdFrom: Date.UTC(2026, 11, 1),
        createdTo: Date.UTC(2026, 11, 2),
      }),
    ).toBe(3);
    expect(countFilters({ ...EMPTY_FILTERS, createdPreset: "1h" })).toBe(1);
  });
});
