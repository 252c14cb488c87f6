import type { Job } from "@jobdeck/contract";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { JobResult } from "../src/features/jobs/job-result";

const base: Job = {
  id: "01a2233e-3c77-70aa-8925-d6a9694bb05b",
  type: "echo",
  status: "completed",
  resultType: "json",
  payload: {},
  result: null,
  error: null,
  attempts: 1,
  maxAttempts: 3,
  createdAt: "2026-11-28T10:00:00.000Z",
  updatedAt: "2026-11-28T10:00:02.000Z",
  startedAt: "2026-11-28T10:00:01.000Z",
  finishedAt: "2026-11-28T10:00:02.000Z",
  queue: "default",
  priority: 0,
  runAt: "2026-11-28T10:00:00.000Z",
  concurrencyKey: null,
  dedupeKey: null,
  waitReason: null,
  scheduleId: null,
  batchId: null,
  retryOf: null,
  progress: null,
  tags: [],
  metadata: {},
};

function renderResult(job: Partial<Job>) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <JobResult job={{ ...base, ...job }} />
    </QueryClientProvider>,
  );
}

describe("JobResult", () => {
  it("draws a JSON result as a tree that folds", async () => {
    const { container } = renderResult({
      result: { status: 200, headers: { "content-type": "text/html" }, ok: true },
    });
    expect(screen.getByText("status:")).toBeInTheDocument();
    expect(screen.getByText("200")).toBeInTheDocument();
    expect(screen.getByText('"text/html"')).toBeInTheDocument();
    const root = container.querySelector("details");
    expect(root).toHaveAttribute("open");
    await userEvent.click(within(root as HTMLElement).getAllByText("{")[0] as HTMLElement);
    expect(root).not.toHaveAttribute("open");
    expect(screen.getByRole("button", { name: "Copy result JSON" })).toBeInTheDocument();
  });

  it("shows an HTML result in a frame that may run nothing", async () => {
    renderResult({
      type: "markdown.render",
      resultType: "html",
      result: { html: '<h1>Hello</h1><script>alert("x")</script>' },
    });
    const frame = screen.getByTitle(`HTML result of job ${base.id}`);
    expect(frame.tagName).toBe("IFRAME");
    expect(frame).toHaveAttribute("sandbox", "");
    const srcdoc = frame.getAttribute("srcdoc") ?? "";
    expect(
      srcdoc.startsWith('<meta http-equiv="Content-Security-Policy" content="default-src \'none\';'),
    ).toBe(true);
    expect(srcdoc.endsWith('<h1>Hello</h1><script>alert("x")</script>')).toBe(true);
    await userEvent.click(screen.getByRole("button", { name: "Show source" }));
    expect(screen.getByText('<h1>Hello</h1><script>alert("x")</script>')).toBeInTheDocument();
    expect(screen.queryByTitle(`HTML result of job ${base.id}`)).not.toBeInTheDocument();
  });

  it("fetches an image artifact with the token and shows it through an object URL", async () => {
    localStorage.setItem("jobdeck.token", "unused");
    const fetchMock = vi.fn(() =>
      Promise.resolve(
        new Response(new Blob([new Uint8Array([137, 80, 78, 71])], { type: "image/png" }), { status: 200 }),
      ),
    );
    vi.stubGlobal("fetch", fetchMock);
    // jsdom has no object URLs.
    URL.createObjectURL = vi.fn(() => "blob:thumbnail");
    URL.revokeObjectURL = vi.fn();

    renderResult({
      type: "image.thumbnail",
      resultType: "image",
      result: { width: 64, height: 48, format: "png", bytes: 1234, url: `/v1/jobs/${base.id}/artifact` },
    });
    const image = await screen.findByRole("img");
    expect(image).toHaveAttribute("src", "blob:thumbnail");
    expect(image).toHaveAccessibleName(`Image result of job ${base.id} (64×48 · png · 1,234 bytes)`);
    expect(fetchMock).toHaveBeenCalledWith(`/v1/jobs/${base.id}/artifact`, expect.anything());
    expect(screen.getByRole("link", { name: "Download" })).toHaveAttribute("href", "blob:thumbnail");
  });

  it("says so when the server has no artifact", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.resolve(Response.json({ success: false }, { status: 404 }))),
    );
    renderResult({ resultType: "image", result: { width: 1, height: 1, format: "png" } });
    expect(await screen.findByRole("alert")).toHaveTextContent("The image is not available");
  });

  it("shows the error of a failed job", () => {
    renderResult({
      status: "failed",
      result: null,
      error: { code: "HTTP_503", message: "upstream answered 503 Service Unavailable" },
    });
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("HTTP_503");
    expect(alert).toHaveTextContent("upstream answered 503 Service Unavailable");
    expect(screen.getByText("The job failed; it has no result.")).toBeInTheDocument();
  });

  it("explains why there is no result yet", () => {
    renderResult({ status: "running", result: null, finishedAt: null });
    expect(screen.getByText("No result yet: the job is running.")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });
});
