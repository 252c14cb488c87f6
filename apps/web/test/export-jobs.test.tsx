import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ExportJobs } from "../src/features/jobs/export-jobs";
import { parseListState, toListQuery } from "../src/features/jobs/list-state";
import { exportFileName, exportPath, fetchExport } from "../src/lib/export-jobs";
import { fakeApi, refused, signInAs } from "./support/api";

const encoder = new TextEncoder();

/** jsdom's Blob has no text(): read it as a browser of any age would. */
const textOf = (blob: Blob | undefined) =>
  new Promise<string>((resolve, reject) => {
    if (!blob) return reject(new Error("no blob"));
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error("unreadable"));
    reader.readAsText(blob);
  });

/** A streamed answer whose chunks the test lets through one at a time. */
function streamedAnswer(contentType: string) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  return {
    response: new Response(body, { status: 200, headers: { "content-type": contentType } }),
    send: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
    fail: (error: unknown) => controller.error(error),
  };
}

describe("the export's request", () => {
  it("carries the format, the view's filters (field filters included) and its sort", () => {
    const view = parseListState(
      "?type=email.send&status=failed&tag=a,b&payload.user.id=42&sort=type&order=asc",
    );
    const path = exportPath(toListQuery(view, 0), "csv");
    const [route, search] = path.split("?");
    expect(route).toBe("/v1/jobs/export");
    expect(Object.fromEntries(new URLSearchParams(search))).toEqual({
      format: "csv",
      type: "email.send",
      status: "failed",
      tag: "a,b",
      "payload.user.id": "42",
      sortBy: "type",
      sortOrder: "asc",
    });
  });

  it("names the file after the local day and the format", () => {
    expect(exportFileName("ndjson", new Date(2026, 11, 4, 23, 59))).toBe("jobdeck-jobs-2026-12-04.ndjson");
    expect(exportFileName("csv", new Date(2027, 0, 9, 0, 1))).toBe("jobdeck-jobs-2027-01-09.csv");
  });

  it("counts rows as they arrive: NDJSON lines, CSV lines after the header", async () => {
    signInAs("reader");
    const ndjson = streamedAnswer("application/x-ndjson");
    const requests = fakeApi(() => ndjson.response);
    const seen: number[] = [];
    const done = fetchExport({
      query: { sortBy: "createdAt", sortOrder: "desc" },
      format: "ndjson",
      signal: new AbortController().signal,
      onProgress: ({ rows }) => seen.push(rows),
    });
    ndjson.send('{"id":"a"}\n{"id":');
    ndjson.send('"b"}\n{"id":"c"}');
    ndjson.end();
    const result = await done;
    expect(result.rows).toBe(3);
    expect(result.bytes).toBe(encoder.encode('{"id":"a"}\n{"id":"b"}\n{"id":"c"}').byteLength);
    expect(await textOf(result.blob)).toBe('{"id":"a"}\n{"id":"b"}\n{"id":"c"}');
    expect(seen).toEqual([1, 2, 3]);
    expect(requests[0]?.headers.get("authorization")).toMatch(/^Bearer /);

    const csv = streamedAnswer("text/csv");
    fakeApi(() => csv.response);
    const csvDone = fetchExport({
      query: {},
      format: "csv",
      signal: new AbortController().signal,
      onProgress: () => {},
    });
    // A quoted field may hold a line break (and a doubled quote), even across chunks: still one row.
    csv.send('id,type,dedupeKey\r\na,echo,"line one\r');
    csv.send('\nsays ""hi""\r\n"\r\nb,echo,\r\n');
    csv.end();
    expect((await csvDone).rows).toBe(2);
  });
});

describe("the Export control", () => {
  beforeEach(() => {
    signInAs("reader");
  });

  const stubDownloads = () => {
    const saved: { name: string; href: string }[] = [];
    const blobs: Blob[] = [];
    vi.spyOn(URL, "createObjectURL").mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return `blob:test/${blobs.length}`;
    });
    vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => {});
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ name: this.download, href: this.href });
    });
    return { saved, blobs };
  };

  it("shows rows and bytes while the file streams, then saves it under a dated name", async () => {
    const { saved, blobs } = stubDownloads();
    const answer = streamedAnswer("text/csv");
    const requests = fakeApi(() => answer.response);
    render(
      <ExportJobs
        query={{ status: "failed", "payload.user.id": "42", sortBy: "createdAt", sortOrder: "desc" }}
      />,
    );
    const group = screen.getByRole("group", { name: "Export" });
    await userEvent.selectOptions(within(group).getByRole("combobox", { name: "Export format" }), "csv");
    await userEvent.click(within(group).getByRole("button", { name: "Export" }));

    answer.send("id,type\r\na,echo\r\n");
    expect(await within(group).findByRole("status")).toHaveTextContent("Exporting… 1 job · 17 B");
    answer.send("b,echo\r\n");
    expect(await within(group).findByText("Exporting… 2 jobs · 25 B")).toBeInTheDocument();
    answer.end();

    expect(
      await within(group).findByText(/^Saved jobdeck-jobs-\d{4}-\d\d-\d\d\.csv \(2 jobs · 25 B\)$/),
    ).toHaveAttribute("role", "status");
    expect(saved).toEqual([{ name: expect.stringMatching(/^jobdeck-jobs-.*\.csv$/), href: "blob:test/1" }]);
    expect(await textOf(blobs[0])).toBe("id,type\r\na,echo\r\nb,echo\r\n");
    const sent = new URLSearchParams(requests[0]?.path.split("?")[1]);
    expect(sent.get("format")).toBe("csv");
    expect(sent.get("payload.user.id")).toBe("42");
    expect(sent.get("status")).toBe("failed");
  });

  it("stops when cancelled, and saves nothing", async () => {
    const { saved } = stubDownloads();
    const answer = streamedAnswer("application/x-ndjson");
    let signal: AbortSignal | undefined;
    vi.stubGlobal(
      "fetch",
      vi.fn((_input: string, init: RequestInit = {}) => {
        signal = init.signal ?? undefined;
        signal?.addEventListener("abort", () => answer.fail(new DOMException("aborted", "AbortError")));
        return Promise.resolve(answer.response);
      }),
    );
    render(<ExportJobs query={{}} />);
    const group = screen.getByRole("group", { name: "Export" });
    await userEvent.click(within(group).getByRole("button", { name: "Export" }));
    answer.send('{"id":"a"}\n');
    expect(await within(group).findByText("Exporting… 1 job · 11 B")).toBeInTheDocument();
    await userEvent.click(within(group).getByRole("button", { name: "Cancel export" }));
    expect(signal?.aborted).toBe(true);
    expect(within(group).getByRole("status")).toHaveTextContent("Export cancelled");
    expect(saved).toEqual([]);
  });

  it("shows the server's message when it refuses the export", async () => {
    stubDownloads();
    fakeApi(() => refused(400, "VALIDATION_ERROR", "Invalid query: payload.a.b.c.d.e.f.g.h.i: too deep"));
    render(<ExportJobs query={{}} />);
    await userEvent.click(screen.getByRole("button", { name: "Export" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Export failed: Invalid query: payload.a.b.c.d.e.f.g.h.i: too deep",
    );
    // It can be tried again.
    expect(screen.getByRole("button", { name: "Export" })).toBeEnabled();
  });
});
