import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Markdown } from "../src/components/markdown";

/** The renderer is its own chunk: each test first waits (findBy…) for something only it makes. */
const renderMarkdown = (source: string) => {
  const { container } = render(<Markdown source={source} />);
  return container.querySelector(".markdown")!;
};

describe("Markdown", () => {
  it("renders a type's description as the Markdown it is written in", async () => {
    const root = renderMarkdown(
      'Waits `ms` milliseconds; **stops early** when _cancelled_.\n\n- one\n- two &amp; three\n\n```\n{ "ms": 5 }\n```',
    );
    expect(await screen.findByText("ms", { selector: "code" })).toBeInTheDocument();
    expect(screen.getByText("stops early").tagName).toBe("STRONG");
    expect(screen.getByText("cancelled").tagName).toBe("EM");
    expect([...root.querySelectorAll("li")].map((li) => li.textContent)).toEqual(["one", "two & three"]);
    expect(root.querySelector("pre code")).toHaveTextContent('{ "ms": 5 }');
  });

  it("shows HTML in the source as text, and links only to http(s) and mailto, in a new tab", async () => {
    const root = renderMarkdown(
      '<img src=x onerror="alert(1)"> <b>bold?</b> [docs](https://example.com/docs) [bad](javascript:alert(1)) ![logo](https://example.com/logo.png)',
    );
    await screen.findByRole("link", { name: "docs" });
    expect(root.querySelector("img, b, script")).toBeNull();
    expect(root.textContent).toContain('<img src=x onerror="alert(1)">');
    expect(root.textContent).toContain("<b>bold?</b>");
    expect(screen.getByRole("link", { name: "docs" })).toHaveAttribute("href", "https://example.com/docs");
    expect(screen.getByRole("link", { name: "docs" })).toHaveAttribute("rel", "noopener noreferrer");
    expect(screen.queryByRole("link", { name: "bad" })).toBeNull();
    expect(screen.getByText("bad").tagName).toBe("SPAN");
    // An image is a link to it, not a request to another host.
    expect(screen.getByRole("link", { name: "logo" })).toHaveAttribute(
      "href",
      "https://example.com/logo.png",
    );
  });

  it("keeps headings out of the page's outline", async () => {
    renderMarkdown("# Sleep\n\nWaits.");
    expect((await screen.findByText("Sleep")).tagName).toBe("STRONG");
    expect(screen.queryByRole("heading")).toBeNull();
  });
});
