/**
 * Seeds the "list" server's demo user with jobs in every status, through the API and its real
 * workers only: nothing is written to the database behind the API's back.
 *
 * The list tests need statuses that stay put while they run. The server runs LIST_WORKERS jobs at
 * a time, and the seeding goes in three steps:
 *   1. jobs that end: echo, sleep, markdown.render, image.thumbnail and http.request (to a local
 *      server) complete; in every other block of five, http.request (to a closed port) and
 *      image.thumbnail (of bytes that are no image) fail, after their attempts;
 *   2. LIST_WORKERS sleeps of the longest allowed length (10 minutes), which take every worker:
 *      they stay "running" for the rest of the suite;
 *   3. the rest, which stay "pending" behind them (jobs are claimed oldest first), some cancelled
 *      through POST /v1/jobs/{id}/cancel.
 * A suite run longer than 10 minutes would see the sleeps complete and the pending jobs start.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { apiAs, closedLocalUrl } from "./api";
import { QUARTERS_PNG } from "./png";
import type { Server } from "./server";
import type { SeededJob } from "./state";

export const LIST_WORKERS = 4;
const SEEDED_JOBS = 260;
const ENDING_JOBS = 100;
const SLEEP_MAX_MS = 600_000;
const TYPES = ["echo", "sleep", "markdown.render", "http.request", "image.thumbnail"] as const;
type SeedType = (typeof TYPES)[number];

const block = (n: number) => Math.floor(n / 5);

function payloadFor(type: SeedType, n: number, urls: { ok: string; closed: string }, isFailing: boolean) {
  switch (type) {
    case "echo":
      return { message: `seed ${n}`, n };
    case "sleep":
      return { ms: (n % 4) * 25 };
    case "markdown.render":
      return { markdown: `# Report ${n}\n\nEverything is **fine**.` };
    case "http.request":
      return { url: `${isFailing ? urls.closed : urls.ok}/items/${n}`, method: "GET", timeoutMs: 5000 };
    case "image.thumbnail":
      return {
        source: isFailing
          ? `data:image/png;base64,${Buffer.from(`not an image ${n}`).toString("base64")}`
          : QUARTERS_PNG,
        width: 32,
        format: "png",
      };
  }
}

/** A local HTTP server for the http.request jobs that succeed, and a port where nothing listens. */
async function upstream() {
  const server = createServer((request, response) => {
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ ok: true, path: request.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    urls: {
      ok: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      closed: await closedLocalUrl(),
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function inBatches(from: number, to: number, each: (n: number) => Promise<unknown>) {
  for (let n = from; n < to; n += 10) {
    await Promise.all(Array.from({ length: Math.min(10, to - n) }, (_, i) => each(n + i)));
  }
}

/** Returns the seeded jobs newest first, each with the status the API reports at the end. */
export async function seedJobs(server: Server): Promise<SeededJob[]> {
  const api = apiAs(server.baseUrl, server.demoToken);
  const created: SeededJob[] = [];
  const create = async (n: number, type: string, payload: Record<string, unknown>) => {
    const job = await api.create(type, payload);
    created.push({ id: job.id, n, type, status: job.status, payload });
  };
  const local = await upstream();
  try {
    // 1. Jobs that end, and the wait until every one has.
    await inBatches(0, ENDING_JOBS, (n) => {
      const type = TYPES[n % TYPES.length]!;
      return create(n, type, payloadFor(type, n, local.urls, block(n) % 2 === 1));
    });
    await api.until(
      () => api.stats(),
      ({ byStatus }) => byStatus.pending + byStatus.running === 0,
      60_000,
    );
  } finally {
    await local.close();
  }

  // 2. Jobs that hold every worker for the rest of the suite.
  for (let n = ENDING_JOBS; n < ENDING_JOBS + LIST_WORKERS; n++)
    await create(n, "sleep", { ms: SLEEP_MAX_MS });
  await api.until(
    () => api.stats(),
    ({ byStatus }) => byStatus.running === LIST_WORKERS,
  );

  // 3. Jobs that wait behind them; one block in four cancelled.
  await inBatches(ENDING_JOBS + LIST_WORKERS, SEEDED_JOBS, (n) => {
    const type = TYPES[n % TYPES.length]!;
    return create(n, type, payloadFor(type, n, local.urls, false));
  });
  const toCancel = created.filter((job) => job.n >= ENDING_JOBS + LIST_WORKERS && block(job.n) % 4 === 0);
  await Promise.all(toCancel.map((job) => api.cancel(job.id)));

  const reported = new Map((await api.all()).map((job) => [job.id, job.status]));
  for (const job of created) job.status = reported.get(job.id) ?? "missing";
  const counts = new Map<string, number>();
  for (const job of created) counts.set(job.status, (counts.get(job.status) ?? 0) + 1);
  for (const status of ["pending", "running", "completed", "failed", "cancelled"]) {
    if (!counts.get(status)) throw new Error(`seeding left no ${status} job: ${JSON.stringify([...counts])}`);
  }
  // Newest first, as the list shows them (ids are UUIDv7: time-ordered).
  return created.sort((a, b) => (a.id < b.id ? 1 : -1));
}
