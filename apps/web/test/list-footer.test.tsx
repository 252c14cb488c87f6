import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ListFooter, type ListFooterProps } from "../src/features/jobs/list-footer";

const renderFooter = (props: Partial<ListFooterProps>) =>
  render(
    <ListFooter
      loadedCount={50}
      hasNextPage={false}
      isFetchingNextPage={false}
      nextPageProblem={undefined}
      fetchNextPage={() => {}}
      {...props}
    />,
  );

describe("ListFooter", () => {
  it("says the list ends, with how many jobs it has", () => {
    renderFooter({ loadedCount: 1234 });
    expect(screen.getByRole("status")).toHaveTextContent("End of list · 1,234 jobs");
  });

  it("says one job, not one jobs", () => {
    renderFooter({ loadedCount: 1 });
    expect(screen.getByRole("status")).toHaveTextContent("End of list · 1 job");
  });

  it("says more are below, and that they are loading", () => {
    const { rerender } = renderFooter({ hasNextPage: true });
    expect(screen.getByText("More jobs below — keep scrolling")).toBeInTheDocument();
    rerender(
      <ListFooter
        loadedCount={50}
        hasNextPage
        isFetchingNextPage
        nextPageProblem={undefined}
        fetchNextPage={() => {}}
      />,
    );
    expect(screen.getByRole("status")).toHaveTextContent("Loading more jobs…");
  });

  it("says why the next page failed and asks for it again", async () => {
    const fetchNextPage = vi.fn();
    renderFooter({
      hasNextPage: true,
      fetchNextPage,
      nextPageProblem: {
        message: "The server could not be reached (Failed to fetch).",
        status: undefined,
        code: undefined,
        details: [],
        requestId: undefined,
      },
    });
    expect(screen.getByRole("alert")).toHaveTextContent(
      "Could not load more jobs: The server could not be reached (Failed to fetch).",
    );
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(fetchNextPage).toHaveBeenCalledOnce();
  });
});
