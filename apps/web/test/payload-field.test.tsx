import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { PayloadField } from "../src/features/jobs/payload-field";
import type { SchemaIssue } from "../src/lib/json-schema";

type HarnessProps = {
  initial: string;
  issues?: SchemaIssue[];
  onEdit?: (text: string) => void;
  onReset?: () => void;
  onSubmit?: () => void;
};

function Harness({
  initial,
  issues = [],
  onEdit = () => {},
  onReset = () => {},
  onSubmit = () => {},
}: HarnessProps) {
  const [text, setText] = useState(initial);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <PayloadField
        value={text}
        onEdit={(next) => {
          setText(next);
          onEdit(next);
        }}
        onFormat={setText}
        onReset={onReset}
        issues={issues}
        schema={{ type: "object", properties: { ms: { type: "integer" } } }}
      />
    </form>
  );
}

describe("PayloadField", () => {
  it("reports what the reader types", async () => {
    const onEdit = vi.fn();
    render(<Harness initial="" onEdit={onEdit} />);
    await userEvent.type(screen.getByLabelText("Payload (JSON)"), "true");
    expect(onEdit).toHaveBeenLastCalledWith("true");
  });

  it("formats valid JSON, and cannot format anything else", async () => {
    render(<Harness initial='{"ms":5,"tags":["a"]}' />);
    const payload = screen.getByLabelText("Payload (JSON)");
    await userEvent.click(screen.getByRole("button", { name: "Format" }));
    expect(payload).toHaveValue('{\n  "ms": 5,\n  "tags": [\n    "a"\n  ]\n}');

    await userEvent.type(payload, "oops");
    expect(screen.getByRole("button", { name: "Format" })).toBeDisabled();
  });

  it("asks for the example again", async () => {
    const onReset = vi.fn();
    render(<Harness initial="{}" onReset={onReset} />);
    await userEvent.click(screen.getByRole("button", { name: "Reset to example" }));
    expect(onReset).toHaveBeenCalledOnce();
  });

  it("submits its form with Ctrl+Enter, and Enter alone is a new line", async () => {
    const onSubmit = vi.fn();
    render(<Harness initial="{}" onSubmit={onSubmit} />);
    const payload = screen.getByLabelText("Payload (JSON)");
    await userEvent.type(payload, "{Enter}");
    expect(onSubmit).not.toHaveBeenCalled();
    expect(payload).toHaveValue("{}\n");
    await userEvent.keyboard("{Control>}{Enter}{/Control}");
    expect(onSubmit).toHaveBeenCalledOnce();
  });

  it("is invalid while it has issues, and describes them", () => {
    render(
      <Harness initial='{ "ms": "soon" }' issues={[{ path: "payload.ms", message: "must be an integer" }]} />,
    );
    const payload = screen.getByLabelText("Payload (JSON)");
    expect(payload).toBeInvalid();
    expect(payload).toHaveAccessibleDescription(
      "Checked against the type's schema before it is sent. Ctrl+Enter creates the job. ms: must be an integer",
    );
  });

  it("shows the schema it is checked against, folded", async () => {
    render(<Harness initial="{}" />);
    const summary = screen.getByText("Payload schema");
    expect(summary.closest("details")).not.toHaveAttribute("open");
    await userEvent.click(summary);
    expect(summary.closest("details")).toHaveAttribute("open");
    expect(screen.getByText("properties:")).toBeInTheDocument();
  });
});
