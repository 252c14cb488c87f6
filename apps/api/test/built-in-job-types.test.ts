import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { JobResponseSchema, type Job } from "@jobdeck/contract";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testProviders } from "./support/databases.js";
import { createJob, waitForJob } from "./support/jobs.js";
import { startTestServer, type TestServer } from "./support/server.js";

const providers = await testProviders();

/** Fast retries, so failing jobs reach `failed` within the test. */
const WORKER_ENV = {
  WORKER_CONCURRENCY: "4",
  WORKER_POLL_MS: "100",
  WORKER_BACKOFF_BASE_MS: "10",
  WORKER_BACKOFF_MAX_MS: "40",
};

type Target = { url: string; hits: Map<string, number>; close(): Promise<void> };

/** The outside world for http.request and image.thumbnail: a local server with a few behaviours. */
async function startTarget(jpeg: Buffer): Promise<Target> {
  const hits = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const redirect = /^\/redirect\/(\d+)$/.exec(path);
      if (redirect) {
        const left = Number(redirect[1]);
        if (left === 0) res.writeHead(200, { "content-type": "text/plain" }).end("arrived");
        else res.writeHead(302, { location: `/redirect/${left - 1}` }).end();
        return;
      }
      switch (path) {
        case "/json":
          res
            .writeHead(200, { "content-type": "application/json", "x-test": "yes" })
            .end('{"hello":"world"}');
          return;
        case "/echo":
          res
            .writeHead(201, { "content-type": "text/plain" })
            .end(`${req.method} ${String(req.headers["x-token"] ?? "")} ${Buffer.concat(chunks).toString()}`);
          return;
        case "/fail":
          res.writeHead(503).end("down");
          return;
        case "/big":
          res.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(1024 * 1024 + 1));
          return;
        case "/slow":
          return; // never answers
        case "/photo.jpg":
          res.writeHead(200, { "content-type": "image/jpeg" }).end(jpeg);
          return;
        default:
          res.writeHead(404).end("no such thing");
      }
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe.each(providers)("built-in job types, end to end on %s", (provider) => {
  let server: TestServer;
  let guarded: TestServer;
  let target: Target;
  let alice: string;
  let png: Buffer;

  beforeAll(async () => {
    png = await sharp({ create: { width: 64, height: 32, channels: 3, background: "#c00" } })
      .png()
      .toBuffer();
    const jpeg = await sharp({ create: { width: 40, height: 40, channels: 3, background: "#0a0" } })
      .jpeg()
      .toBuffer();
    target = await startTarget(jpeg);
    [server, guarded] = await Promise.all([
      startTestServer(provider, WORKER_ENV),
      startTestServer(provider, { ...WORKER_ENV, HTTP_REQUEST_ALLOW_PRIVATE: "false" }),
    ]);
    alice = server.token("alice");
  });
  afterAll(async () => {
    await Promise.all([server?.close(), guarded?.close()]);
    await target?.close();
  });

  const run = async (type: string, payload: unknown, on = server): Promise<Job> => {
    const token = on.token("alice");
    const job = await createJob(on, token, type, payload);
    return waitForJob(on, token, job.id);
  };

  it("echo returns its payload, and the job's timestamps and attempts follow its run", async () => {
    const job = await run("echo", { hello: "world", n: [1, 2] });
    expect(job).toMatchObject({
      status: "completed",
      result: { hello: "world", n: [1, 2] },
      error: null,
      attempts: 1,
    });
    expect(Date.parse(job.startedAt!)).toBeGreaterThanOrEqual(Date.parse(job.createdAt));
    expect(Date.parse(job.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(job.startedAt!));
    expect(job.updatedAt).toBe(job.finishedAt);
  });

  it("sleep sleeps, and stops early when cancelled", async () => {
    expect(await run("sleep", { ms: 30 })).toMatchObject({ status: "completed", result: { sleptMs: 30 } });

    const long = await createJob(server, alice, "sleep", { ms: 600_000 });
    await waitForJob(server, alice, long.id, (job) => job.status === "running");
    const started = Date.now();
    const response = await server.request(`/v1/jobs/${long.id}/cancel`, { method: "POST", token: alice });
    expect(response.status, response.text).toBe(200);
    const body = JobResponseSchema.parse(response.body);
    expect(body.message).toBe("Job cancelled");
    expect(body.data).toMatchObject({ status: "cancelled", attempts: 1, result: null, error: null });
    expect(body.data.finishedAt).not.toBeNull();
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it("markdown.render renders Markdown and sanitizes the HTML", async () => {
    const job = await run("markdown.render", {
      markdown:
        "# Title\n\n*hi* [link](https://example.com) [bad](javascript:alert(1))\n\n" +
        '<script>alert(1)</script><img src="x" onerror="alert(1)">\n\n| a |\n|---|\n| b |\n\n~~old~~',
    });
    expect(job.status).toBe("completed");
    const { html } = job.result as { html: string };
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<em>hi</em>");
    expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer nofollow">link</a>');
    expect(html).toContain("<table>");
    expect(html).toContain("<del>old</del>");
    expect(html).not.toMatch(/<script|onerror|javascript:/i);
  });

  it("http.request returns status, headers and body, and follows a few redirects", async () => {
    const json = await run("http.request", { url: `${target.url}/json` });
    expect(json).toMatchObject({ status: "completed", attempts: 1 });
    expect(json.result).toMatchObject({
      status: 200,
      headers: { "content-type": "application/json", "x-test": "yes" },
      body: '{"hello":"world"}',
    });
    const post = await run("http.request", {
      url: `${target.url}/echo`,
      method: "POST",
      headers: { "X-Token": "t1" },
      body: "payload",
    });
    expect(post.result).toMatchObject({ status: 201, body: "POST t1 payload" });
    const notFound = await run("http.request", { url: `${target.url}/nothing` });
    expect(notFound).toMatchObject({ status: "completed", result: { status: 404, body: "no such thing" } });
    const redirected = await run("http.request", { url: `${target.url}/redirect/5` });
    expect(redirected.result).toMatchObject({ status: 200, body: "arrived" });
  });

  it("http.request fails for good on too many redirects and on a body over 1 MiB", async () => {
    const tooMany = await run("http.request", { url: `${target.url}/redirect/6` });
    expect(tooMany).toMatchObject({ status: "failed", attempts: 1, error: { code: "TOO_MANY_REDIRECTS" } });
    const big = await run("http.request", { url: `${target.url}/big` });
    expect(big).toMatchObject({ status: "failed", attempts: 1, error: { code: "RESPONSE_TOO_LARGE" } });
  });

  it("http.request retries a 5xx, an unreachable URL and a timeout until maxAttempts", async () => {
    const before = target.hits.get("/fail") ?? 0;
    const down = await run("http.request", { url: `${target.url}/fail` });
    expect(down).toMatchObject({ status: "failed", attempts: 3, error: { code: "HTTP_SERVER_ERROR" } });
    expect(down.error!.message).toMatch(/answered 503.*\(attempt 3 of 3\)/);
    expect((target.hits.get("/fail") ?? 0) - before).toBe(3);

    // Port 1 on loopback: nothing listens there, so the connection is refused.
    const unreachable = await run("http.request", { url: "http://127.0.0.1:1/" });
    expect(unreachable).toMatchObject({ status: "failed", attempts: 3, error: { code: "NETWORK_ERROR" } });
    expect(unreachable.error!.message).toMatch(/ECONNREFUSED/);

    const slow = await run("http.request", { url: `${target.url}/slow`, timeoutMs: 100 });
    expect(slow).toMatchObject({ status: "failed", attempts: 3, error: { code: "TIMEOUT" } });
  });

  it("http.request and image.thumbnail refuse loopback and private addresses, by name too, without retrying", async () => {
    for (const url of [
      `${target.url}/json`,
      target.url.replace("127.0.0.1", "localhost") + "/json",
      "http://[::1]:1/",
    ]) {
      const job = await run("http.request", { url }, guarded);
      expect(job).toMatchObject({ status: "failed", attempts: 1, error: { code: "ADDRESS_NOT_ALLOWED" } });
    }
    const thumb = await run(
      "image.thumbnail",
      { source: `${target.url}/photo.jpg`, width: 10, format: "png" },
      guarded,
    );
    expect(thumb).toMatchObject({ status: "failed", attempts: 1, error: { code: "ADDRESS_NOT_ALLOWED" } });
    expect(target.hits.get("/photo.jpg") ?? 0).toBe(0);
  });

  it("image.thumbnail resizes a data: URL and serves the picture as the job's artifact", async () => {
    const job = await run("image.thumbnail", {
      source: `data:image/png;base64,${png.toString("base64")}`,
      width: 16,
      format: "png",
    });
    expect(job).toMatchObject({ status: "completed", resultType: "image" });
    const result = job.result as {
      width: number;
      height: number;
      format: string;
      bytes: number;
      url: string;
    };
    expect(result).toEqual({
      width: 16,
      height: 8,
      format: "png",
      bytes: result.bytes,
      url: `/v1/jobs/${job.id}/artifact`,
    });

    const artifact = await fetch(server.url + result.url, { headers: { authorization: `Bearer ${alice}` } });
    expect(artifact.status).toBe(200);
    expect(artifact.headers.get("content-type")).toBe("image/png");
    const bytes = Buffer.from(await artifact.arrayBuffer());
    expect(bytes.length).toBe(result.bytes);
    expect(await sharp(bytes).metadata()).toMatchObject({ format: "png", width: 16, height: 8 });
  });

  it("image.thumbnail fetches an http(s) source and crops to width and height", async () => {
    const job = await run("image.thumbnail", {
      source: `${target.url}/photo.jpg`,
      width: 20,
      height: 10,
      format: "webp",
    });
    expect(job.result).toMatchObject({ width: 20, height: 10, format: "webp" });
    const artifact = await fetch(`${server.url}/v1/jobs/${job.id}/artifact`, {
      headers: { authorization: `Bearer ${alice}` },
    });
    expect(artifact.headers.get("content-type")).toBe("image/webp");
    expect(await sharp(Buffer.from(await artifact.arrayBuffer())).metadata()).toMatchObject({
      format: "webp",
      width: 20,
      height: 10,
    });
  });

  it("image.thumbnail fails for good on a bad image", async () => {
    const job = await run("image.thumbnail", {
      source: `data:image/png;base64,${Buffer.from("not an image at all").toString("base64")}`,
      width: 10,
      format: "jpeg",
    });
    expect(job).toMatchObject({ status: "failed", attempts: 1, error: { code: "INVALID_IMAGE" } });
    const artifact = await server.request(`/v1/jobs/${job.id}/artifact`, { token: alice });
    expect(artifact.status).toBe(404);
  });
});
