import { afterEach, describe, expect, it, vi } from "vitest";
import { job as jobOf, signInAs } from "./support/api";
import { StreamRefused, streamJobEvents } from "../src/lib/job-event-stream";

const job = {
  ...jobOf({ payload: { ms: 5 } }),
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
    const token = signInAs("events");
    const text = `id: 41\nevent: job\ndata: ${JSON.stringify(job)}\n\n: ping\n\nid: 42\nevent: other\ndata: {}\n\nevent: job\ndata: not json\n\n`;
    const fetchMock = vi.fn(() =>
      Promise.resolve(new Response(streamOf([text.slice(0, 30), text.slice(30)]), { status: 200 })),
    );
    vi.stubGlobal("fetch", fetchMock);
    const onOpen = vi.fn();
    const onJob = vi.fn();
    const onPosition = vi.fn();
    await streamJobEvents(
      { lastEventId: "40", signal: new AbortController().signal },
      { onOpen, onJob, onPosition },
    );

    expect(onOpen).toHaveBeenCalledOnce();
    const { leaseOwner: _dropped, ...known } = job;
    expect(onJob.mock.calls).toEqual([[known]]);
    // Past every complete event, whatever its type: those are not sent again on a resume.
    expect(onPosition.mock.calls).toEqual([["42"]]);
    const [path, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(path).toBe("/v1/events");
    expect(new Headers(init.headers).get("last-event-id")).toBe("40");
    expect(new Headers(init.headers).get("authorization")).toBe(`Bearer ${token}`);
  });

  it("moves the position with an id sent alone, and not with an event cut off mid-way", async () => {
    signInAs("events");
    const text = `retry: 2000\nid: 7\n\nid: 8\nevent: job\ndata: ${JSON.stringify(job)}`;
    vi.stubGlobal("fetch", () => Promise.resolve(new Response(streamOf([text]), { status: 200 })));
    const onJob = vi.fn();
    const onPosition = vi.fn();
    const { retryMs } = await streamJobEvents(
      { lastEventId: undefined, signal: new AbortController().signal },
      { onOpen: vi.fn(), onJob, onPosition },
    );
    expect(onPosition.mock.calls).toEqual([["7"]]);
    expect(onJob).not.toHaveBeenCalled();
    expect(retryMs).toBe(2000);
  });

  it("rejects with the status and error body when the server refuses the stream", async () => {
    const body = { success: false, error: { code: "RATE_LIMITED", message: "Too many requests" } };
    vi.stubGlobal("fetch", () => Promise.resolve(Response.json(body, { status: 429 })));
    const failure: unknown = await streamJobEvents(
      { lastEventId: undefined, signal: new AbortController().signal },
      { onOpen: vi.fn(), onJob: vi.fn(), onPosition: vi.fn() },
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StreamRefused);
    expect(failure).toMatchObject({ status: 429, body });
  });
});
