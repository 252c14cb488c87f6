import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { FieldIssues } from "../src/features/jobs/field-issues";

describe("FieldIssues", () => {
  it("lists a field's issues under the id its field points at", () => {
    render(
      <>
        <input aria-label="Payload" aria-describedby="issues" />
        <FieldIssues
          id="issues"
          issues={[
            { path: "payload", message: "must be an object" },
            { path: "payload.ms", message: "must be at least 0" },
          ]}
        />
      </>,
    );
    expect(screen.getAllByRole("listitem").map((item) => item.textContent)).toEqual([
      "must be an object",
      "ms: must be at least 0",
    ]);
    expect(screen.getByLabelText("Payload")).toHaveAccessibleDescription(
      "must be an object ms: must be at least 0",
    );
  });

  it("renders nothing without issues", () => {
    const { container } = render(<FieldIssues id="issues" issues={[]} />);
    expect(container).toBeEmptyDOMElement();
  });
});
