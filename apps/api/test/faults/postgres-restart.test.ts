import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, testProviders, type TestDatabase } from "../support/databases.js";
import { readRuns, runLoad, startCluster, stats, waitForQuiet, type Cluster } from "./cluster.js";

/**
 * Stops the machine's PostgreSQL server in the middle of a load, and starts it again. It needs
 * pg_ctlcluster and the right to use it (root on these machines, where CI runs too); elsewhere it is
 * skipped, except with CI=true.
 */
const providers = await testProviders();
const cluster15 = existsSync("/etc/postgresql") ? readdirSync("/etc/postgresql")[0] : undefined;
const canRestart = providers.includes("postgresql") && cluster15 !== undefined && process.getuid?.() === 0;
if (!canRestart && process.env.CI === "true")
  throw new Error("CI=true needs a PostgreSQL this test may restart");

function pgctl(action: "stop" | "start") {
  execFileSync(
    "pg_ctlcluster",
    ["--skip-systemctl-redirect", cluster15!, "main", action, ...(action === "stop" ? ["-m", "fast"] : [])],
    {
      stdio: "pipe",
      timeout: 60_000,
    },
  );
}

describe.runIf(canRestart)("a PostgreSQL restart under load", () => {
  let database: TestDatabase | undefined;
  let cluster: Cluster | undefined;
  const dir = mkdtempSync(join(tmpdir(), "jobdeck-pg-restart-"));
  afterAll(async () => {
    // Whatever happened, leave PostgreSQL running for everything after this test.
    try {
      pgctl("start");
    } catch {
      /* already running */
    }
    await cluster?.stop();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers 503 on /readyz while the database is gone, recovers by itself, and loses no acknowledged job", async () => {
    database = await createTestDatabase("postgresql");
    cluster = await startCluster({
      databaseUrl: database.url,
      recordFile: join(dir, "runs.log"),
      workers: 1,
    });
    const { url, token } = cluster;

    const readiness: number[] = [];
    let stopped = false;
    const watch = (async () => {
      for (let i = 0; i < 200 && !stopped; i++) {
        readiness.push(
          await fetch(`${url}/readyz`).then(
            (r) => r.status,
            () => 0,
          ),
        );
        await delay(100);
      }
    })();

    const load = runLoad({ url, token, seconds: 12, connections: 4, payload: { ms: 10 } });
    await delay(3000);
    pgctl("stop");
    await delay(3000);
    const statusWhileDown = await fetch(`${url}/readyz`).then(
      (r) => r.status,
      (error: unknown) => {
        // The process died: what it printed says why.
        throw new Error(`the API stopped answering (${String(error)}); its output:\n${cluster!.outputs()}`);
      },
    );
    pgctl("start");
    const result = await load;

    // Back by itself: ready again, and every job it acknowledged is there and runs to its end.
    const deadline = Date.now() + 60_000;
    while (
      (await fetch(`${url}/readyz`).then(
        (r) => r.status,
        () => 0,
      )) !== 200
    ) {
      if (Date.now() > deadline) throw new Error("the API never became ready again");
      await delay(200);
    }
    stopped = true;
    await watch;
    const final = await waitForQuiet(url, token);
    const runs = readRuns(join(dir, "runs.log"));
    console.log(
      `postgres-restart ${JSON.stringify({ requests: result.requests, byStatus: result.byStatus, errors: result.errors, acknowledged: result.created.length, jobs: final.total, completed: final.byStatus.completed, readyzSeen: [...new Set(readiness)] })}`,
    );

    expect(statusWhileDown).toBe(503);
    expect(readiness).toContain(503);
    expect(readiness.at(-1)).toBe(200);
    // Requests during the outage were refused with 503, never a 500.
    expect(Object.keys(result.byStatus).filter((code) => code.startsWith("5") && code !== "503")).toEqual([]);
    expect(result.byStatus["503"] ?? 0).toBeGreaterThan(0);
    // Nothing acknowledged with a 201 was lost; every job in the database ended, and completed.
    const endedIds = new Set(runs.filter((r) => r.end !== undefined).map((r) => r.jobId));
    expect(result.created.filter((id) => !endedIds.has(id))).toEqual([]);
    expect(final.total).toBeGreaterThanOrEqual(result.created.length);
    expect(final.byStatus.completed).toBe(final.total);
    expect((await stats(url, token)).total).toBe(final.total);
  });
});
