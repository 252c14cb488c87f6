import { render, screen } from "@testing-library/react";
import { lazy } from "react";
import { describe, expect, it, vi } from "vitest";
import { PageBoundary } from "../src/components/page-boundary";

describe("a page loaded on first visit", () => {
  it("says it is loading, then shows the page", async () => {
    let arrive: (module: { default: () => JSX.Element }) => void = () => {};
    const Page = lazy(() => new Promise<{ default: () => JSX.Element }>((resolve) => (arrive = resolve)));
    render(
      <PageBoundary>
        <Page />
      </PageBoundary>,
    );
    expect(screen.getByRole("status")).toHaveTextContent("Loading…");
    arrive({ default: () => <h1>Schedules</h1> });
    expect(await screen.findByRole("heading", { name: "Schedules" })).toBeInTheDocument();
  });

  it("says so, with a reload, when its code cannot arrive", async () => {
    // React reports the caught error on the console; the page itself is what is tested.
    vi.spyOn(console, "error").mockImplementation(() => {});
    const Page = lazy(() => Promise.reject(new TypeError("Failed to fetch dynamically imported module")));
    render(
      <PageBoundary>
        <Page />
      </PageBoundary>,
    );
    const problem = await screen.findByRole("alert");
    expect(problem).toHaveTextContent("This page could not be loaded");
    expect(problem).toHaveTextContent("Failed to fetch dynamically imported module");
    expect(screen.getByRole("button", { name: "Reload" })).toBeInTheDocument();
  });
});
