import { act, renderHook, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { useLiveStatus } from "../src/features/jobs/live-status";
import { useJobEvents } from "../src/features/jobs/use-job-events";
import { job, signInAs } from "./support/api";
import { testQueryClient, withQueries } from "./support/queries";

type Stream = { lastEventId: string | null; isAborted: boolean };

/** Answers GET /v1/events with a stream that sends one job event and stays open until aborted. */
function fakeEventServer() {
  const streams: Stream[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn((_path: string, init: RequestInit = {}) => {
      const stream: Stream = {
        lastEventId: new Headers(init.headers).get("last-event-id"),
        isAborted: false,
      };
      streams.push(stream);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          const id = 7 + streams.length - 1;
          controller.enqueue(
            new TextEncoder().encode(
              `retry: 2000\n\nid: ${id}\nevent: job\ndata: ${JSON.stringify(job())}\n\n`,
            ),
          );
          init.signal?.addEventListener("abort", () => {
            stream.isAborted = true;
            controller.error(new DOMException("The operation was aborted.", "AbortError"));
          });
        },
      });
      return Promise.resolve(new Response(body, { headers: { "content-type": "text/event-stream" } }));
    }),
  );
  return streams;
}

function renderLive() {
  return renderHook(
    () => {
      useJobEvents();
      return useLiveStatus();
    },
    { wrapper: withQueries(testQueryClient()) },
  );
}

beforeEach(() => {
  signInAs("watcher");
});

describe("the live event stream", () => {
  it("says Reconnecting… when the network goes, and resumes from the last event when it is back", async () => {
    const streams = fakeEventServer();
    const { result, unmount } = renderLive();
    await waitFor(() => expect(result.current).toBe("live"));
    expect(streams).toHaveLength(1);
    expect(streams[0]?.lastEventId).toBeNull();

    const onLine = vi.spyOn(navigator, "onLine", "get").mockReturnValue(false);
    act(() => void window.dispatchEvent(new Event("offline")));
    expect(result.current).toBe("reconnecting");
    await waitFor(() => expect(streams[0]?.isAborted).toBe(true));
    // Nothing is tried while the browser says it is offline.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(streams).toHaveLength(1);

    onLine.mockReturnValue(true);
    act(() => void window.dispatchEvent(new Event("online")));
    await waitFor(() => expect(result.current).toBe("live"));
    expect(streams).toHaveLength(2);
    expect(streams[1]?.lastEventId).toBe("7");

    unmount();
    expect(streams[1]?.isAborted).toBe(true);
  });

  it("keeps trying when the server cannot be reached", async () => {
    const fetchMock = vi.fn(() => Promise.reject(new TypeError("Failed to fetch")));
    vi.stubGlobal("fetch", fetchMock);
    const { result, unmount } = renderLive();
    await waitFor(() => expect(fetchMock).toHaveBeenCalledOnce());
    await waitFor(() => expect(result.current).toBe("reconnecting"));
    unmount();
  });
});
