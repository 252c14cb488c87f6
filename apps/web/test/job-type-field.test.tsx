import type { JobType } from "@jobdeck/contract";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { JobTypeField } from "../src/features/jobs/job-type-field";
import { jobType } from "./support/api";

const jobTypes: JobType[] = [
  jobType(),
  jobType({
    type: "markdown.render",
    resultType: "html",
    description: "Renders Markdown",
    maxAttempts: 1,
    timeoutMs: 5_000,
  }),
];

describe("JobTypeField", () => {
  it("offers every type and describes the chosen one", async () => {
    const onChange = vi.fn();
    render(<JobTypeField jobTypes={jobTypes} value="echo" onChange={onChange} issues={[]} />);
    const select = screen.getByLabelText("Type");
    expect(screen.getAllByRole("option").map((option) => option.textContent)).toEqual([
      "echo",
      "markdown.render",
    ]);
    expect(select).toHaveAccessibleDescription(
      "Returns its payload Result: json · up to 3 attempts · times out after 30 s",
    );
    expect(select).not.toBeInvalid();

    await userEvent.selectOptions(select, "markdown.render");
    expect(onChange).toHaveBeenCalledWith("markdown.render");
  });

  it("shows what the server said about the type", () => {
    render(
      <JobTypeField
        jobTypes={jobTypes}
        value="markdown.render"
        onChange={() => {}}
        issues={[{ path: "type", message: "is not a registered job type" }]}
      />,
    );
    const select = screen.getByLabelText("Type");
    expect(select).toBeInvalid();
    expect(select).toHaveAccessibleDescription(
      "Renders Markdown Result: html · up to 1 attempts · times out after 5.0 s type: is not a registered job type",
    );
  });
});
