import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { CreateJobProblem } from "../src/features/jobs/create-job-problem";
import type { Problem } from "../src/lib/api-errors";

const problem = (patch: Partial<Problem>): Problem => ({
  message: "",
  status: undefined,
  code: undefined,
  details: [],
  requestId: undefined,
  ...patch,
});

describe("CreateJobProblem", () => {
  it("says that sending again is safe when no answer came", () => {
    render(
      <CreateJobProblem
        problem={problem({ message: "The server could not be reached (Failed to fetch)." })}
        issues={[]}
      />,
    );
    expect(screen.getByRole("alert")).toHaveTextContent(
      "No answer from the server. The server could not be reached (Failed to fetch). Creating the job again is safe: it will not be created twice.",
    );
  });

  it("gives the server's reason and the issues that belong to no field", () => {
    render(
      <CreateJobProblem
        problem={problem({ status: 413, code: "PAYLOAD_TOO_LARGE", message: "The body is larger than 1 MB" })}
        issues={[{ path: "body", message: "is 1.2 MB" }]}
      />,
    );
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("The server refused the job. The body is larger than 1 MB");
    expect(screen.getByRole("listitem")).toHaveTextContent("body: is 1.2 MB");
  });
});
