/**
 * Starts the REAL built server (`node apps/api/dist/src/main.js`, which also serves the built
 * dashboard) on a free port over a fresh SQLite file, signs in from the link it prints, and seeds
 * the demo user's jobs through the API.
 *
 * WORKER_CONCURRENCY=0 keeps statuses where the tests put them. Until workers run jobs in this
 * suite, the statuses other than "pending" are written straight into the SQLite file (settleJobs):
 * the API has no route that sets a status, and the list and filters need a mix to be tested.
 */
import Database from "better-sqlite3";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { saveState, type SeededJob } from "./state";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const MAIN = join(ROOT, "apps/api/dist/src/main.js");
const TOKEN_CLI = join(ROOT, "apps/api/dist/src/cli/token.js");
const SEEDED_JOBS = 260;

export default async function globalSetup(): Promise<() => Promise<void>> {
  for (const built of [MAIN, join(ROOT, "apps/web/dist/index.html")]) {
    if (!existsSync(built))
      throw new Error(`${built} is missing: run \`npm run build\` first (npm test does)`);
  }
  const dataDir = await mkdtemp(join(tmpdir(), "jobdeck-e2e-"));
  const env = {
    ...process.env,
    NODE_ENV: "development",
    HOST: "127.0.0.1",
    PORT: "0",
    DATABASE_URL: `file:${join(dataDir, "e2e.db")}`,
    DATA_DIR: dataDir,
    WORKER_CONCURRENCY: "0",
    RATE_LIMIT_PER_MINUTE: "100000",
    LOG_LEVEL: "warn",
  };
  const server = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
  const stop = async () => {
    if (server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const signInUrl = await printedSignInLink(server);
    const baseUrl = new URL(signInUrl).origin;
    const demoToken = new URLSearchParams(new URL(signInUrl).hash.slice(1)).get("token") ?? "";
    const mint = (sub: string) =>
      execFileSync(process.execPath, [TOKEN_CLI, "--sub", sub, "--ttl", "2h"], { env }).toString().trim();
    const seeded = await seedJobs(baseUrl, demoToken);
    settleJobs(join(dataDir, "e2e.db"), seeded);
    saveState({
      baseUrl,
      signInUrl,
      tokens: { creator: mint("creator"), validator: mint("validator") },
      seeded,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}

function printedSignInLink(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => reject(new Error(`the server printed no sign-in link in 30 s:\n${output}`)),
      30_000,
    );
    server.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const link = /Sign in as "demo" \(valid 24 h\): (\S+)/.exec(output)?.[1];
      if (link) {
        clearTimeout(timer);
        resolve(link);
      }
    });
    server.once("exit", (code) =>
      reject(new Error(`the server exited (${code}) before it was ready:\n${output}`)),
    );
  });
}

const TYPES = ["echo", "sleep", "markdown.render", "http.request", "image.thumbnail"] as const;

function payloadFor(type: (typeof TYPES)[number], n: number): Record<string, unknown> {
  switch (type) {
    case "echo":
      return { message: `seed ${n}`, n };
    case "sleep":
      return { ms: n * 10 };
    case "markdown.render":
      return { markdown: `# Report ${n}\n\nEverything is **fine**.` };
    case "http.request":
      return { url: `https://example.com/items/${n}`, method: "GET" };
    case "image.thumbnail":
      return { source: "https://example.com/photo.png", width: 64, format: "png" };
  }
}

/** Creates the demo user's jobs through the API, a few requests at a time; returns them newest first. */
async function seedJobs(baseUrl: string, token: string): Promise<SeededJob[]> {
  const created: SeededJob[] = [];
  const create = async (n: number) => {
    const type = TYPES[n % TYPES.length] ?? "echo";
    const payload = payloadFor(type, n);
    const response = await fetch(`${baseUrl}/v1/jobs`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ type, payload }),
    });
    if (response.status !== 201)
      throw new Error(`seeding job ${n}: HTTP ${response.status} ${await response.text()}`);
    const { data } = (await response.json()) as { data: { id: string } };
    created.push({ id: data.id, type, status: "pending", payload, n });
  };
  for (let n = 0; n < SEEDED_JOBS; n += 10) {
    await Promise.all(Array.from({ length: Math.min(10, SEEDED_JOBS - n) }, (_, i) => create(n + i)));
  }
  // Newest first, as the list shows them (ids are UUIDv7: time-ordered).
  return created.sort((a, b) => (a.id < b.id ? 1 : -1));
}

/**
 * Gives two jobs in five another status than pending, with the fields a worker would have written:
 * blocks of five consecutive jobs (one of each type) take turns, so every type has every status.
 */
function settleJobs(file: string, jobs: SeededJob[]): void {
  const db = new Database(file);
  // Times follow createdAt as a worker's would: started half a second later, ran for runMs.
  const update = db.prepare(`
    UPDATE jobs SET status = @status, result = @result, error = @error, attempts = @attempts,
      startedAt = createdAt + 500,
      finishedAt = CASE WHEN @isFinished THEN createdAt + 500 + @runMs ELSE NULL END,
      updatedAt = createdAt + 500 + CASE WHEN @isFinished THEN @runMs ELSE 0 END
    WHERE id = @id`);
  const settle = db.transaction(() => {
    for (const job of jobs) {
      const status = (["completed", "failed", "running", "cancelled"] as const)[Math.floor(job.n / 5) % 10];
      if (!status) continue;
      update.run({
        id: job.id,
        status,
        result: status === "completed" ? JSON.stringify(resultFor(job)) : null,
        error:
          status === "failed"
            ? JSON.stringify({ code: "HTTP_503", message: "upstream answered 503 Service Unavailable" })
            : null,
        attempts: status === "failed" ? 3 : 1,
        isFinished: status === "running" ? 0 : 1,
        runMs: 200 + ((job.n * 137) % 5000),
      });
      job.status = status;
    }
  });
  settle();
  db.close();
}

function resultFor(job: SeededJob): unknown {
  switch (job.type) {
    case "markdown.render":
      return {
        html: `<h1>${String(job.payload.markdown).split("\n")[0]?.slice(2)}</h1><p>Everything is <strong>fine</strong>.</p>`,
      };
    case "sleep":
      return { sleptMs: job.payload.ms };
    case "http.request":
      return { status: 200, headers: { "content-type": "application/json" }, body: '{"ok":true}' };
    case "image.thumbnail":
      return { width: 64, height: 64, format: "png", bytes: 2048, url: `/v1/jobs/${job.id}/artifact` };
    default:
      return job.payload;
  }
}
