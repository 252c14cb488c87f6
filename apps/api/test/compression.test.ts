import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { request, type IncomingHttpHeaders } from "node:http";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { ListJobsResponseSchema } from "@jobdeck/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMPRESSION_THRESHOLD_BYTES } from "../src/http/compression.js";
import { webDistDir } from "../src/paths.js";
import { createJob, openEventStream } from "./support/jobs.js";
import { startTestServer, type TestServer } from "./support/server.js";

type RawResponse = { status: number; headers: IncomingHttpHeaders; body: Buffer };

/** A GET whose body is read as sent (fetch would decompress it and hide its size). */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
      response.on("error", reject);
    })
      .on("error", reject)
      .end();
  });
}

const decode = (response: RawResponse): Buffer => {
  const encoding = response.headers["content-encoding"];
  if (encoding === "br") return brotliDecompressSync(response.body);
  if (encoding === "gzip") return gunzipSync(response.body);
  if (encoding === undefined) return response.body;
  throw new Error(`unexpected Content-Encoding ${encoding}`);
};

/** The dashboard's built files a first visit loads: the index, its script and its stylesheet. */
function dashboardFiles(): { path: string; file: string; type: RegExp }[] {
  const index = join(webDistDir, "index.html");
  if (!existsSync(index)) throw new Error(`${index} is missing: run \`npm run build\` first`);
  const assets = readdirSync(join(webDistDir, "assets"));
  // The largest of its kind: the build has lazy chunks of a few hundred bytes too, which compress
  // less well, and which one a directory lists first is not fixed.
  const asset = (extension: string) => {
    const name = assets
      .filter((n) => n.endsWith(extension))
      .sort(
        (a, b) => statSync(join(webDistDir, "assets", b)).size - statSync(join(webDistDir, "assets", a)).size,
      )[0];
    if (!name) throw new Error(`the dashboard's build has no ${extension} file`);
    return { path: `/assets/${name}`, file: join(webDistDir, "assets", name) };
  };
  return [
    { path: "/", file: index, type: /^text\/html/ },
    { ...asset(".js"), type: /^application\/javascript/ },
    { ...asset(".css"), type: /^text\/css/ },
  ];
}

// Compression does not depend on the database: SQLite alone.
describe("compressed answers", () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer("sqlite");
    token = server.token("alice");
  });
  afterAll(async () => {
    await server.close();
  });

  it("sends the dashboard's built brotli copies to a client that accepts br, byte for byte the built files", async () => {
    for (const { path, file, type } of dashboardFiles()) {
      const built = readFileSync(file);
      const response = await rawGet(server.url + path, {
        accept: "text/html,*/*",
        "accept-encoding": "gzip, deflate, br",
      });
      expect(response.status, path).toBe(200);
      expect(response.headers["content-encoding"], path).toBe("br");
      expect(response.headers["content-type"], path).toMatch(type);
      expect(response.headers.vary, path).toMatch(/Accept-Encoding/i);
      expect(Number(response.headers["content-length"]), path).toBe(response.body.length);
      // The build's copy (brotli at quality 11), not one made on the fly.
      expect(response.body.length, path).toBe(statSync(`${file}.br`).size);
      expect(decode(response).equals(built), path).toBe(true);
    }
  });

  it("sends the gzip copies when the client accepts only gzip, and the files as they are when it accepts neither", async () => {
    for (const { path, file, type } of dashboardFiles()) {
      const built = readFileSync(file);
      const gzipped = await rawGet(server.url + path, { accept: "text/html,*/*", "accept-encoding": "gzip" });
      expect(gzipped.headers["content-encoding"], path).toBe("gzip");
      expect(gzipped.headers["content-type"], path).toMatch(type);
      expect(gzipped.body.length, path).toBe(statSync(`${file}.gz`).size);
      expect(decode(gzipped).equals(built), path).toBe(true);

      const plain = await rawGet(server.url + path, { accept: "text/html,*/*" });
      expect(plain.headers["content-encoding"], path).toBeUndefined();
      expect(plain.headers["content-type"], path).toMatch(type);
      expect(plain.headers.vary, path).toMatch(/Accept-Encoding/i);
      expect(plain.body.equals(built), path).toBe(true);
    }
  });

  it("makes the script about a quarter of its size with brotli and under a third with gzip", async () => {
    const script = dashboardFiles()[1]!;
    const size = statSync(script.file).size;
    const br = await rawGet(server.url + script.path, { "accept-encoding": "br" });
    const gzip = await rawGet(server.url + script.path, { "accept-encoding": "gzip" });
    // 345 kB built: 90 kB with brotli, 104 kB with gzip when this was written.
    expect(br.body.length).toBeLessThan(size * 0.3);
    expect(gzip.body.length).toBeLessThan(size * 0.33);
    expect(br.body.length).toBeLessThan(gzip.body.length);
  });

  it("compresses a JSON list above the threshold on the fly, and leaves a small answer alone", async () => {
    for (let i = 0; i < 10; i++)
      await createJob(server, token, "echo", { text: "a payload to list ".repeat(5), i });
    for (const encoding of ["br", "gzip"]) {
      const response = await rawGet(`${server.url}/v1/jobs?limit=10`, {
        authorization: `Bearer ${token}`,
        "accept-encoding": encoding === "br" ? "gzip, deflate, br" : "gzip",
      });
      expect(response.status).toBe(200);
      expect(response.headers["content-encoding"]).toBe(encoding);
      expect(response.headers["content-type"]).toMatch(/^application\/json/);
      const text = decode(response);
      expect(text.length).toBeGreaterThan(COMPRESSION_THRESHOLD_BYTES);
      expect(response.body.length).toBeLessThan(text.length / 3);
      const list = ListJobsResponseSchema.parse(JSON.parse(text.toString("utf8")));
      expect(list.data).toHaveLength(10);
    }

    const small = await rawGet(`${server.url}/v1/jobs?limit=1`, {
      authorization: `Bearer ${token}`,
      "accept-encoding": "gzip, deflate, br",
    });
    expect(small.status).toBe(200);
    expect(small.body.length).toBeLessThan(COMPRESSION_THRESHOLD_BYTES);
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(ListJobsResponseSchema.parse(JSON.parse(small.body.toString("utf8"))).data).toHaveLength(1);
  });

  it("compresses /openapi.json, /docs and /metrics", async () => {
    for (const path of ["/openapi.json", "/docs/assets/swagger-ui.css", "/metrics"]) {
      const response = await rawGet(server.url + path, { "accept-encoding": "gzip, deflate, br" });
      expect(response.status, path).toBe(200);
      expect(response.headers["content-encoding"], path).toBe("br");
      expect(decode(response).length, path).toBeGreaterThan(response.body.length);
    }
    const openApi = await rawGet(`${server.url}/openapi.json`, { "accept-encoding": "gzip" });
    expect(JSON.parse(decode(openApi).toString("utf8"))).toMatchObject({
      openapi: expect.stringMatching(/^3\./),
    });
  });

  it("never compresses the event stream: a job's event arrives as it happens to a client that accepts gzip and br", async () => {
    const stream = await openEventStream(server, token, { "accept-encoding": "gzip, br" });
    try {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get("content-encoding")).toBeNull();
      await stream.readyId();
      const started = Date.now();
      const job = await createJob(server, token, "echo", { streamed: true });
      // Generous for a loaded machine; a buffered stream would hold the event until it closed.
      const { job: seen } = await stream.next((j) => j.id === job.id, 5_000);
      expect(seen).toMatchObject({ id: job.id, status: "pending" });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      stream.close();
    }
  });
});
