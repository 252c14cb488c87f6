import { act, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../src/app";
import { readTokenClaims, signOut } from "../src/lib/session";
import { fakeApi, job, jwt, ok, signInAs, type SentRequest } from "./support/api";
import { QueryProviders, testQueryClient } from "./support/queries";

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

/** The API as each user sees it: one job whose type names its owner. */
function fakeServer() {
  const userOf = (request: SentRequest) => {
    const claims = readTokenClaims(request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "");
    return "sub" in claims ? claims.sub : "nobody";
  };
  return fakeApi((request) => {
    const path = new URL(request.path, "http://dashboard").pathname;
    const user = userOf(request);
    // The event stream stays open and quiet.
    if (path === "/v1/events")
      return new Response(new ReadableStream(), { headers: { "content-type": "text/event-stream" } });
    if (path === "/v1/job-types") return ok(200, [], "Job types retrieved");
    if (path === "/v1/jobs/stats")
      return ok(200, {
        total: 1,
        byStatus: { pending: 0, running: 1, completed: 0, failed: 0, cancelled: 0 },
      });
    return Response.json({
      success: true,
      data: [job({ type: `${user}-report` })],
      pagination: { limit: 50, nextCursor: null, hasMore: false, isPartial: false },
    });
  });
}

function renderApp() {
  render(
    <QueryProviders client={testQueryClient()}>
      <App />
    </QueryProviders>,
  );
}

/** What pasting the link into the address bar of an open tab does: only the fragment changes. */
function openLinkInThisTab(token: string) {
  act(() => {
    window.location.hash = `#token=${token}`;
  });
}

beforeEach(() => {
  // jsdom lays nothing out; the jobs table's virtualizer reads the viewport's height from clientHeight.
  vi.spyOn(Element.prototype, "clientHeight", "get").mockReturnValue(340);
  signOut();
  history.replaceState(null, "", "/");
});

describe("a sign-in link opened in a tab that is already open", () => {
  it("signs in from the sign-in page and takes the token out of the address bar", async () => {
    fakeServer();
    renderApp();
    expect(screen.getByRole("heading", { name: "Sign in to jobdeck" })).toBeInTheDocument();

    openLinkInThisTab(jwt({ sub: "demo", exp: inAnHour() }));
    expect(await screen.findByText("demo", { selector: "strong" })).toBeInTheDocument();
    expect(await screen.findByText("demo-report")).toBeInTheDocument();
    expect(window.location.hash).toBe("");
    expect(window.location.href).not.toContain("token");
  });

  it("switches to the link's user and shows nothing of the previous one", async () => {
    fakeServer();
    signInAs("alice");
    renderApp();
    expect(await screen.findByText("alice-report")).toBeInTheDocument();

    openLinkInThisTab(jwt({ sub: "demo", exp: inAnHour() }));
    expect(await screen.findByText("demo-report")).toBeInTheDocument();
    expect(screen.queryByText("alice-report")).not.toBeInTheDocument();
    expect(screen.getByText("demo", { selector: "strong" })).toBeInTheDocument();
    expect(window.location.hash).toBe("");
  });

  it("says so when the link has expired, and still takes the token out of the address bar", async () => {
    fakeServer();
    signInAs("alice");
    renderApp();
    await screen.findByText("alice-report");

    openLinkInThisTab(jwt({ sub: "demo", exp: 1 }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The sign-in link has expired.");
    expect(screen.getByRole("heading", { name: "Sign in to jobdeck" })).toBeInTheDocument();
    await waitFor(() => expect(window.location.hash).toBe(""));
  });

  it("leaves other fragments alone", async () => {
    fakeServer();
    signInAs("alice");
    renderApp();
    await screen.findByText("alice-report");
    act(() => {
      window.location.hash = "#main";
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(window.location.hash).toBe("#main");
    expect(screen.getByText("alice-report")).toBeInTheDocument();
  });
});
