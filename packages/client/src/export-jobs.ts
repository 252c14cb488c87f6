import { contract, type ExportFormat, type ExportJobsQueryInput } from "@jobdeck/contract";
import { JobdeckError } from "./errors.js";
import { readBody, send, type Transport } from "./fetcher.js";

/**
 * The export's filters and sort: the list's, by their query names (`status`, `metadata.team`,
 * `payload.customer.id`, `sortBy`…). A mapped type rather than Omit<>, which on a type with an
 * index signature keeps only the signature.
 */
export type ExportFiltersInput = {
  [Key in keyof ExportJobsQueryInput as Key extends "format" ? never : Key]: ExportJobsQueryInput[Key];
};

export type ExportOptions = {
  /** ndjson: one Job per line; csv: RFC 4180 with a header row of the Job's field names. */
  format: ExportFormat;
  /** Stops the request, and the stream with it. */
  signal?: AbortSignal;
};

const WHAT = `${contract.jobs.exportJobs.method} ${contract.jobs.exportJobs.path}`;

/**
 * The body of an answer, as it arrives, but with a failure in the middle (the connection cut, the
 * server stopped) turned into a JobdeckError NETWORK_ERROR that says how much had come. Pulled: a
 * chunk is read from the network only when the consumer asks for one, so backpressure reaches the
 * server.
 */
function cutShortAsJobdeckError(
  body: ReadableStream<Uint8Array>,
  origin: string,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let received = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        controller.error(
          new JobdeckError(
            {
              status: 0,
              code: "NETWORK_ERROR",
              message: `${WHAT} from ${origin} was cut short after ${received} bytes: ${(error as Error).message}`,
            },
            { cause: error },
          ),
        );
        return;
      }
      if (chunk.done) {
        controller.close();
        return;
      }
      received += chunk.value.byteLength;
      controller.enqueue(chunk.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/**
 * GET /v1/jobs/export (§15): every job the filters match, in the list's order, as the answer's body,
 * a stream of bytes to pipe to a file or a parser without holding it all. An error answer (a bad
 * filter, the token) is thrown as a JobdeckError before any byte is given; the request itself is
 * repeated as any GET is, until its answer starts.
 */
export async function exportJobs(
  transport: Transport,
  baseUrl: string,
  filters: ExportFiltersInput,
  { format, signal }: ExportOptions,
): Promise<ReadableStream<Uint8Array>> {
  const query = new URLSearchParams({ format });
  // Every filter is a string on the wire, as the list's query is (ts-rest sends those the same way).
  for (const [name, value] of Object.entries(filters as Record<string, string | undefined>)) {
    if (value !== undefined && name !== "format") query.set(name, value);
  }
  const url = `${baseUrl}${contract.jobs.exportJobs.path}?${query.toString()}`;
  const response = await send(transport, {
    url,
    init: { method: "GET", headers: {}, ...(signal ? { signal } : {}) },
    what: WHAT,
    isRepeatable: true,
    isCreate: false,
  });
  if (response.status !== 200) {
    throw JobdeckError.fromResponse(response.status, await readBody(response), response.headers, WHAT);
  }
  if (response.body === null) return new ReadableStream({ start: (controller) => controller.close() });
  return cutShortAsJobdeckError(response.body, new URL(url).origin);
}
