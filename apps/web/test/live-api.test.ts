import { afterEach, describe, expect, it, vi } from "vitest";
import { isNotFound, streamJobEvents } from "../src/lib/live-api";

const job = {
  id: "01a2233e-3c77-70aa-8925-d6a9694bb05b",
  type: "sleep",
  status: "running",
  resultType: "json",
  payload: { ms: 5 },
  result: null,
  error: null,
  attempts: 1,
  maxAttempts: 3,
  createdAt: "2026-11-28T10:00:00.000Z",
  updatedAt: "2026-11-28T10:00:01.000Z",
  startedAt: "2026-11-28T10:00:01.000Z",
  finishedAt: null,
  // A field a newer server might add: kept out, the job still arrives.
  leaseOwner: "worker-1",
};

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

afterEach(() => localStorage.clear());

describe("streamJobEvents", () => {
  it("reads job events from an authorized stream and resumes from the last id", async () => {
    localStorage.setItem("jobdeck.token", "t");
    const text = `id: 41\nevent: job\ndata: ${JSON.stringify(job)}\n\n: ping\n\nevent: other\ndata: {}\n\nevent: job\ndata: not json\n\n`;
    const fetchMock = vi.fn(() =>
      Promise.resolve(new Response(streamOf([text.slice(0, 30), text.slice(30)]), { status: 200 })),
    );
    vi.stubGlobal("fetch", fetchMock);
    const onOpen = vi.fn();
    const onJob = vi.fn();
    await streamJobEvents({ lastEventId: "40", signal: new AbortController().signal }, { onOpen, onJob });

    expect(onOpen).toHaveBeenCalledOnce();
    expect(onJob).toHaveBeenCalledOnce();
    const { leaseOwner: _dropped, ...known } = job;
    expect(onJob).toHaveBeenCalledWith(known, "41");
    const init = (fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(new Headers(init.headers).get("last-event-id")).toBe("40");
  });

  it("rejects with the status when the server has no event stream", async () => {
    vi.stubGlobal("fetch", () => Promise.resolve(Response.json({ success: false }, { status: 404 })));
    const failure: unknown = await streamJobEvents(
      { lastEventId: undefined, signal: new AbortController().signal },
      { onOpen: vi.fn(), onJob: vi.fn() },
    ).catch((error: unknown) => error);
    expect(isNotFound(failure)).toBe(true);
  });
});
