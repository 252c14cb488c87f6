import { request } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { takesLane } from "../src/http/create-lane.js";
import { JSON_LIMIT_BYTES } from "../src/http/json-body.js";
import { testProviders } from "./support/databases.js";
import { startTestServer, type TestServer } from "./support/server.js";

/**
 * POST /v1/jobs's lean path (http/create-lane.ts) against the Express route it stands in for: two
 * servers, each on its own fresh database, one with the lean path and one without, get the same
 * requests; their answers must be the same bytes, header for header in the same order, once what
 * differs by nature (job ids, times, the Date header) is masked.
 */

type Sent = { path?: string; headers?: Record<string, string>; body?: string | Buffer };
type Answer = { status: number; headers: [string, string][]; body: Buffer };

function send(server: TestServer, { path = "/v1/jobs", headers = {}, body = "" }: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = request(server.url + path, { method: "POST", headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const raw = response.rawHeaders;
        const pairs: [string, string][] = [];
        for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
        resolve({ status: response.statusCode ?? 0, headers: pairs, body: Buffer.concat(chunks) });
      });
      response.on("error", reject);
    });
    sent.on("error", reject);
    sent.end(body);
  });
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g;
const mask = (text: string) => text.replace(UUID, "<uuid>").replace(TIME, "<time>");

const decoded = (answer: Answer): Buffer => {
  const encoding = answer.headers.find(([name]) => name.toLowerCase() === "content-encoding")?.[1];
  if (encoding === "br") return brotliDecompressSync(answer.body);
  if (encoding === "gzip") return gunzipSync(answer.body);
  return answer.body;
};

/**
 * An answer with what differs by nature masked: the Date, a generated request id, ids and times in
 * the body and Location, the ETag's hash (its length part is checked against the body), the rate
 * limit's seconds to reset (the two servers' windows start apart).
 */
function comparable(answer: Answer, isShared: boolean) {
  const body = decoded(answer);
  const headers = answer.headers
    .filter(([name]) => name.toLowerCase() !== "date")
    .map(([name, value]): [string, string] => {
      const lower = name.toLowerCase();
      if (lower === "etag") {
        expect(value).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
        const length = parseInt(/^W\/"([0-9a-f]+)-/.exec(value)![1]!, 16);
        expect(length).toBe(body.length);
        return [name, "<etag>"];
      }
      // PostgreSQL's counts reach other processes in batches (http/rate-limit.ts), so what a
      // process knows of the count at an instant depends on when its last batch came back.
      if (lower === "ratelimit")
        return [name, value.replace(/t=\d+/, "t=<s>").replace(/r=\d+/, isShared ? "r=<n>" : "$&")];
      if (lower === "retry-after") return [name, "<s>"];
      return [name, mask(value)];
    });
  // Compressed bytes may differ with timing of the stream; the text they decode to may not.
  return { status: answer.status, headers, body: mask(body.toString("utf8")) };
}

const auth = (server: TestServer, user = "alice") => ({ authorization: `Bearer ${server.token(user)}` });
const json = { "content-type": "application/json" };
const create = (body: unknown) => JSON.stringify(body);
/** A create with JSON's media type and `s`'s token for alice, and any more headers. */
const plain =
  (body: unknown, more: Record<string, string> = {}) =>
  (s: TestServer): Sent => ({ headers: { ...json, ...auth(s), ...more }, body: create(body) });

const providers = await testProviders();

describe.each(providers)("POST /v1/jobs's lean path on %s", (provider) => {
  let lean: TestServer;
  let express: TestServer;

  beforeAll(async () => {
    [lean, express] = await Promise.all([
      startTestServer(provider, { RATE_LIMIT_PER_MINUTE: "40" }),
      startTestServer(provider, { RATE_LIMIT_PER_MINUTE: "40" }, { lanes: false }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([lean?.close(), express?.close()]);
  });

  /** Sends `sent` (built for each server, as tokens are) to both, in turn, and compares the answers. */
  async function both(build: (server: TestServer) => Sent): Promise<[Answer, Answer]> {
    const fromLean = await send(lean, build(lean));
    const fromExpress = await send(express, build(express));
    const isShared = provider === "postgresql";
    expect(comparable(fromLean, isShared)).toEqual(comparable(fromExpress, isShared));
    return [fromLean, fromExpress];
  }

  it("answers every kind of create as the Express route does, taking only the requests it is for", async () => {
    const deep = (levels: number): unknown => (levels === 0 ? 1 : { d: deep(levels - 1) });
    const cases: { name: string; takes: boolean; build: (server: TestServer) => Sent; status: number }[] = [
      {
        name: "a create, with the client's request id",
        takes: true,
        status: 201,
        build: plain({ type: "echo", payload: { hello: "world" } }, { "x-request-id": "lane-1" }),
      },
      {
        name: "a create with every option",
        takes: true,
        status: 201,
        build: (s) => ({
          headers: { "content-type": "application/json; charset=UTF-8", ...auth(s) },
          body: create({
            type: "echo",
            payload: { n: 1 },
            queue: "lane",
            priority: 5,
            delayMs: 60_000,
            concurrencyKey: "k",
            tags: ["a", "b"],
            metadata: { team: "x" },
          }),
        }),
      },
      {
        name: "a dedupe key, first",
        takes: true,
        status: 201,
        build: plain({ type: "echo", payload: {}, dedupeKey: "d1" }),
      },
      {
        name: "a dedupe key, again (folded, 200)",
        takes: true,
        status: 200,
        build: plain({ type: "echo", payload: {}, dedupeKey: "d1" }),
      },
      {
        name: "leading whitespace and a byte order mark",
        takes: true,
        status: 201,
        build: (s) => ({
          headers: { ...json, ...auth(s) },
          body: Buffer.concat([
            Buffer.from([0xef, 0xbb, 0xbf]),
            Buffer.from(` \n\t${create({ type: "echo", payload: {} })}`),
          ]),
        }),
      },
      {
        name: "an answer over the compression threshold, gzip accepted",
        takes: true,
        status: 201,
        build: plain({ type: "echo", payload: { text: "x".repeat(2_000) } }, { "accept-encoding": "gzip" }),
      },
      {
        name: "an answer over the compression threshold, brotli preferred",
        takes: true,
        status: 201,
        build: plain(
          { type: "echo", payload: { text: "y".repeat(2_000) } },
          { "accept-encoding": "gzip;q=0.5, br" },
        ),
      },
      {
        name: "an answer over the compression threshold, nothing accepted",
        takes: true,
        status: 201,
        build: plain({ type: "echo", payload: { text: "z".repeat(2_000) } }),
      },
      {
        name: "a payload its type refuses",
        takes: true,
        status: 400,
        build: plain({ type: "sleep", payload: { ms: "long" } }),
      },
      {
        name: "an unknown type",
        takes: true,
        status: 400,
        build: plain({ type: "nope", payload: {} }),
      },
      {
        name: "an unknown field and a missing one",
        takes: true,
        status: 400,
        build: plain({ payload: {}, colour: "red" }),
      },
      {
        name: "an array",
        takes: true,
        status: 400,
        build: (s) => ({ headers: { ...json, ...auth(s) }, body: "[1, 2]" }),
      },
      {
        name: "JSON that is not an object or array",
        takes: true,
        status: 400,
        build: (s) => ({ headers: { ...json, ...auth(s) }, body: '"text"' }),
      },
      {
        name: "broken JSON",
        takes: true,
        status: 400,
        build: (s) => ({ headers: { ...json, ...auth(s) }, body: '{"type": "echo",' }),
      },
      {
        name: "only whitespace",
        takes: true,
        status: 400,
        build: (s) => ({ headers: { ...json, ...auth(s) }, body: "   " }),
      },
      {
        name: "JSON nested too deep",
        takes: true,
        status: 400,
        build: plain({ type: "echo", payload: deep(70) }),
      },
      {
        name: "text PostgreSQL cannot store",
        takes: true,
        status: 400,
        build: (s) => ({
          headers: { ...json, ...auth(s) },
          body: '{"type":"echo","payload":{"a":"\\ud800","b":"\\u0000"}}',
        }),
      },
      {
        name: "no token (to the app, counted by address)",
        takes: false,
        status: 401,
        build: () => ({ headers: json, body: create({ type: "echo", payload: {} }) }),
      },
      {
        name: "a bad token",
        takes: false,
        status: 401,
        build: () => ({
          headers: { ...json, authorization: "Bearer x.y.z" },
          body: create({ type: "echo", payload: {} }),
        }),
      },
      {
        name: "an expired token",
        takes: false,
        status: 401,
        build: (s) => ({
          headers: { ...json, authorization: `Bearer ${s.signRaw({ sub: "alice", exp: 1 })}` },
          body: create({ type: "echo", payload: {} }),
        }),
      },
      {
        name: "a trailing slash (to the app)",
        takes: false,
        status: 201,
        build: (s) => ({
          path: "/v1/jobs/",
          headers: { ...json, ...auth(s) },
          body: create({ type: "echo", payload: {} }),
        }),
      },
      {
        name: "an Origin (to the app, for CORS)",
        takes: false,
        status: 201,
        build: plain({ type: "echo", payload: {} }, { origin: "http://elsewhere.example" }),
      },
      {
        name: "an Idempotency-Key",
        takes: true,
        status: 201,
        build: plain({ type: "echo", payload: { n: 1 } }, { "idempotency-key": "k-1" }),
      },
      {
        name: "the same key and body again (the first answer replayed)",
        takes: true,
        status: 201,
        build: plain({ payload: { n: 1 }, type: "echo" }, { "idempotency-key": "k-1" }),
      },
      {
        name: "the same key with another body",
        takes: true,
        status: 409,
        build: plain({ type: "echo", payload: { n: 2 } }, { "idempotency-key": "k-1" }),
      },
      {
        name: "a key and a dedupe key",
        takes: true,
        status: 200,
        build: plain({ type: "echo", payload: {}, dedupeKey: "d1" }, { "idempotency-key": "k-2" }),
      },
      {
        name: "a key that is not visible ASCII, with a bad body (both named, the header first)",
        takes: true,
        status: 400,
        build: plain({ type: "echo", payload: {}, priority: "high" }, { "idempotency-key": "two words" }),
      },
      {
        name: "a key too long",
        takes: true,
        status: 400,
        build: plain({ type: "echo", payload: {} }, { "idempotency-key": "k".repeat(256) }),
      },
      {
        name: "another media type (to the app)",
        takes: false,
        status: 415,
        build: (s) => ({
          headers: { "content-type": "text/plain", ...auth(s) },
          body: create({ type: "echo", payload: {} }),
        }),
      },
      {
        name: "a body over 1 MiB (to the app)",
        takes: false,
        status: 413,
        build: plain({ type: "echo", payload: { text: "x".repeat(JSON_LIMIT_BYTES) } }),
      },
      {
        name: "an empty body (to the app)",
        takes: false,
        status: 400,
        build: (s) => ({ headers: { ...json, ...auth(s) }, body: "" }),
      },
    ];
    let expectedTaken = 0;
    for (const { name, takes, build, status } of cases) {
      const before = lean.app.lane!.taken();
      const [answer] = await both(build);
      expect({ name, status: answer.status }).toEqual({ name, status });
      expect({ name, taken: lean.app.lane!.taken() - before }).toEqual({ name, taken: takes ? 1 : 0 });
      if (takes) expectedTaken += 1;
    }
    expect(lean.app.lane!.taken()).toBe(expectedTaken);
    expect(express.app.lane).toBeUndefined();

    // The same requests were counted under the same route and status (a 429 or a refused body is
    // "unmatched", as ts-rest had not named the route yet).
    const counted = async (server: TestServer) =>
      (await (await fetch(`${server.url}/metrics`)).text())
        .split("\n")
        .filter((line) => line.startsWith('jobdeck_http_request_duration_seconds_count{method="POST"'));
    const countedByLean = await counted(lean);
    expect(countedByLean.some((line) => line.includes('route="/v1/jobs",status="201"'))).toBe(true);
    expect(countedByLean).toEqual(await counted(express));

    // The same jobs were written on both sides (ids and times apart).
    const rows = (server: TestServer) =>
      server.prisma.job.findMany({
        orderBy: { createdAt: "asc" },
        select: { type: true, queue: true, payload: true, priority: true },
      });
    expect(await rows(lean)).toEqual(await rows(express));
  });

  it("refuses over the rate limit as the Express route does, counting in the same window", async () => {
    const body = create({ type: "echo", payload: {} });
    const statuses: number[] = [];
    for (let i = 0; i < 42; i += 1) {
      const [answer] = await both((s) => ({ headers: { ...json, ...auth(s, "bob") }, body }));
      statuses.push(answer.status);
    }
    expect(statuses.filter((status) => status === 201)).toHaveLength(40);
    expect(statuses.slice(40)).toEqual([429, 429]);
  });
});

describe("takesLane", () => {
  const base = { "content-type": "application/json", "content-length": "10", authorization: "Bearer t" };
  const takes = (method: string, url: string, headers: Record<string, string>) =>
    takesLane({ method, url, headers } as never);

  it("takes a JSON create of known length without Origin, and nothing else", () => {
    expect(takes("POST", "/v1/jobs", base)).toBe(true);
    expect(takes("POST", "/v1/jobs", { ...base, "content-type": "Application/JSON; Charset=UTF-8" })).toBe(
      true,
    );
    expect(takes("GET", "/v1/jobs", base)).toBe(false);
    expect(takes("POST", "/v1/jobs?x=1", base)).toBe(false);
    expect(takes("POST", "/V1/jobs", base)).toBe(false);
    expect(takes("POST", "/v1/jobs/batch", base)).toBe(false);
    expect(takes("POST", "/v1/jobs", { ...base, "content-type": "application/json; charset=utf-16" })).toBe(
      false,
    );
    expect(takes("POST", "/v1/jobs", { ...base, "content-type": "application/vnd.api+json" })).toBe(false);
    expect(takes("POST", "/v1/jobs", { ...base, "content-length": "0" })).toBe(false);
    expect(takes("POST", "/v1/jobs", { ...base, "content-length": String(JSON_LIMIT_BYTES + 1) })).toBe(
      false,
    );
    expect(takes("POST", "/v1/jobs", { ...base, "content-encoding": "gzip" })).toBe(false);
    expect(takes("POST", "/v1/jobs", { ...base, "transfer-encoding": "chunked" })).toBe(false);
    expect(takes("POST", "/v1/jobs", { ...base, origin: "http://a.example" })).toBe(false);
    expect(takes("POST", "/v1/jobs", { ...base, "idempotency-key": "k" })).toBe(true);
  });
});
