import { createConnection, createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { putQueueSettings } from "../src/db/job-store/queue-changes.js";
import { jobEventData } from "../src/jobs/mapper.js";
import { createTestDatabase, testProviders, type TestDatabase } from "./support/databases.js";
import { postJson, startTestServer, type TestServer } from "./support/server.js";
import { until } from "./support/wait.js";

/**
 * What the API sends PostgreSQL, seen on the wire: a TCP relay in front of the server reads the
 * frontend's messages. A simple-protocol Query ('Q') or an extended-protocol Sync ('S') each cost
 * one round trip; the texts of the Queries show what went together.
 */
type Wire = { queries: string[]; syncs: number };

function startRelay(target: {
  host: string;
  port: number;
}): Promise<{ server: Server; port: number; wire: Wire }> {
  const wire: Wire = { queries: [], syncs: 0 };
  const server = createServer((client: Socket) => {
    const upstream = createConnection(target);
    let buffer = Buffer.alloc(0);
    let isStarted = false;
    client.on("data", (chunk: Buffer) => {
      upstream.write(chunk);
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        // The startup message has no type byte: a length, then the protocol and parameters.
        if (!isStarted) {
          if (buffer.length < 4) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          buffer = buffer.subarray(length);
          isStarted = true;
          continue;
        }
        if (buffer.length < 5) return;
        const length = buffer.readInt32BE(1);
        if (buffer.length < 1 + length) return;
        const type = String.fromCharCode(buffer[0]!);
        if (type === "Q") wire.queries.push(buffer.subarray(5, length).toString("utf8"));
        if (type === "S") wire.syncs++;
        buffer = buffer.subarray(1 + length);
      }
    });
    upstream.on("data", (chunk: Buffer) => client.write(chunk));
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      resolve({ server, port: (server.address() as { port: number }).port, wire });
    }),
  );
}

const providers = await testProviders();

/** The NOTIFY of `events` a claim or a settle sends after its commit, in a transaction of its own. */
const isNotify = (text: string) => text.includes("pg_notify('jobdeck_events'");

describe.runIf(providers.includes("postgresql"))("round trips to PostgreSQL", () => {
  let database: TestDatabase;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let server: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase("postgresql");
    const direct = new URL(database.url);
    relay = await startRelay({ host: direct.hostname, port: Number(direct.port || 5432) });
    const relayed = new URL(database.url);
    relayed.port = String(relay.port);
    server = await startTestServer("postgresql", {}, { database: { ...database, url: relayed.toString() } });
  });
  afterAll(async () => {
    await server?.close();
    relay?.server.close();
    await database?.drop();
  });

  it("writes a create without a dedupe key in one message: BEGIN, its queue, its row, its event, NOTIFY, COMMIT", async () => {
    const token = server.token("alice");
    // The first create of a queue and the first request of a user warm caches; count the second.
    expect(
      (await server.request("/v1/jobs", postJson({ type: "echo", payload: { n: 0 } }, token))).status,
    ).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 300));
    relay.wire.queries.length = 0;
    const response = await server.request(
      "/v1/jobs",
      postJson({ type: "echo", payload: { n: 1 }, tags: ["a"], metadata: { k: "v" } }, token),
    );
    expect(response.status, response.text).toBe(201);
    const writes = relay.wire.queries.filter((text) => /\b(INSERT|UPDATE|DELETE)\b/.test(text));
    const creates = writes.filter((text) => text.includes(`INSERT INTO "jobs"`));
    expect(creates).toHaveLength(1);
    const [create] = creates as [string];
    for (const part of [
      "BEGIN",
      `INSERT INTO "queues"`,
      `INSERT INTO "job_tags"`,
      `INSERT INTO "job_events"`,
      "pg_notify",
      "COMMIT",
    ])
      expect(create).toContain(part);
    // Nothing else of the create's transaction went on its own.
    expect(writes.filter((text) => text !== create && text.includes("job"))).toEqual([]);
  });

  it("writes a create without a dedupe key, tags or metadata as one function call in one message, which also reads its waitReason's state", async () => {
    const token = server.token("alice");
    await new Promise((resolve) => setTimeout(resolve, 300));
    relay.wire.queries.length = 0;
    const response = await server.request("/v1/jobs", postJson({ type: "echo", payload: { n: 2 } }, token));
    expect(response.status, response.text).toBe(201);
    const writes = relay.wire.queries.filter((text) => text.includes("jobdeck_create_job"));
    expect(writes).toHaveLength(1);
    // Its NOTIFYs follow its COMMIT, in a transaction of their own that waits for no WAL flush.
    expect(writes[0]).toMatch(
      /^BEGIN; SELECT \* FROM "jobdeck_create_job"\(.*\); COMMIT; BEGIN; SET LOCAL synchronous_commit = off; SELECT pg_notify\('jobdeck_jobs', 'echo'\), pg_notify\('jobdeck_events', ''\); COMMIT$/s,
    );
    expect(relay.wire.queries).toEqual(writes);
  });

  it("claims open queues' jobs in one message: BEGIN, the gate, the start with its attempt rows and events, COMMIT", async () => {
    const token = server.token("alice");
    for (let n = 0; n < 6; n++)
      expect(
        (await server.request("/v1/jobs", postJson({ type: "echo", payload: { n } }, token))).status,
      ).toBe(201);
    const claim = () =>
      server.runtime.store.claimJobs({ owner: "test#1", types: ["echo"], limit: 1, leaseMs: 30_000 });
    // The first claim learns that no queue is limited; the next ones are one message.
    expect(await claim()).toHaveLength(1);
    relay.wire.queries.length = 0;
    const [started] = await claim();
    expect(started).toBeDefined();
    const claims = relay.wire.queries.filter((text) => text.includes(`SET "status" = 'running'`));
    expect(claims).toHaveLength(1);
    // Its statements are planned once per connection: PREPARE the first time, then EXECUTE.
    expect(claims[0]).toMatch(/^BEGIN; PREPARE jobdeck_p\d+ AS .*pg_advisory_xact_lock_shared.*; EXECUTE /s);
    expect(claims[0]).toContain(`INSERT INTO "job_attempts"`);
    expect(claims[0]).toContain(`INSERT INTO "job_events"`);
    expect(claims[0]).toMatch(/; COMMIT$/);
    // Listeners of `events` hear of it after the commit, from a NOTIFY in a transaction of its own
    // that waits for no WAL flush: inside the claim, the notify lock would be held through its fsync.
    await until(() => Promise.resolve(relay.wire.queries.some(isNotify)));
    const notify = relay.wire.queries.filter(isNotify);
    expect(notify).toEqual([
      "BEGIN; SET LOCAL synchronous_commit = off; SELECT pg_notify('jobdeck_events', ''); COMMIT",
    ]);
    expect(relay.wire.queries.filter((text) => text.includes("COMMIT") && !notify.includes(text))).toEqual(
      claims,
    );
    // The event PostgreSQL wrote is the one the process would have written for the started row.
    const events = await server.runtime.db.read.all<{ data: string }>(
      `SELECT "data" FROM "job_events" WHERE "jobId" = @id ORDER BY "id"`,
      { id: started!.id },
    );
    expect(events.map((event) => (JSON.parse(event.data) as { status: string }).status)).toEqual([
      "pending",
      "running",
    ]);
    expect(events[1]!.data).toBe(jobEventData(started!));
    // A connection that has claimed before sends no SQL text: within a few claims (the NOTIFY after
    // each may take the connection the pool would have handed back), one goes to such a connection.
    const later: string[] = [];
    for (let n = 0; n < 3; n++) {
      relay.wire.queries.length = 0;
      expect(await claim()).toHaveLength(1);
      await until(() => Promise.resolve(relay.wire.queries.some(isNotify)));
      later.push(...relay.wire.queries.filter((text) => text.includes("EXECUTE")));
    }
    expect(later).toContainEqual(
      expect.stringMatching(/^BEGIN; EXECUTE jobdeck_p\d+\(.*\); EXECUTE jobdeck_p\d+\(.*\); COMMIT$/s),
    );
  });

  it("tells nobody of events after a claim that found no job: an idle worker's claims wake no event feed", async () => {
    const heard: string[] = [];
    const off = server.runtime.db.signals.on("events", (payload) => heard.push(payload));
    try {
      const claim = (types: string[]) =>
        server.runtime.store.claimJobs({ owner: "test#idle", types, limit: 1, leaseMs: 30_000 });
      // The last test's NOTIFYs were seen on their way to PostgreSQL; they may still be on their way back.
      await new Promise((resolve) => setTimeout(resolve, 300));
      heard.length = 0;
      relay.wire.queries.length = 0;
      expect(await claim(["nothing.here"])).toEqual([]);
      expect(heard).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(relay.wire.queries.filter(isNotify)).toEqual([]);
      const token = server.token("alice");
      expect(
        (await server.request("/v1/jobs", postJson({ type: "echo", payload: { n: 7 } }, token))).status,
      ).toBe(201);
      await until(() => Promise.resolve(relay.wire.queries.some(isNotify)));
      // The create's NOTIFY comes back through LISTEN after its 201: let it, before listening afresh.
      await new Promise((resolve) => setTimeout(resolve, 300));
      relay.wire.queries.length = 0;
      heard.length = 0;
      expect(await claim(["echo"])).toHaveLength(1);
      expect(heard).toEqual([""]);
      // On the wire: the NOTIFY of the claim that started a job.
      await until(() => Promise.resolve(relay.wire.queries.some(isNotify)));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(relay.wire.queries.filter(isNotify)).toHaveLength(1);
    } finally {
      off();
    }
  });

  it("claims from a limited queue with its last start, attempt rows and events in the COMMIT's message", async () => {
    const token = server.token("carol");
    const db = server.runtime.db;
    await putQueueSettings(db, {
      userId: "carol",
      name: "keyed",
      settings: { concurrency: 4, perKeyConcurrency: 1, rateLimit: null, perKeyRateLimit: null },
      now: new Date(),
    });
    // Earlier cases' jobs out of the way: this claim takes from the limited queue alone.
    const store = server.runtime.store;
    const claimAll = () => store.claimJobs({ owner: "test#3", types: ["echo"], limit: 4, leaseMs: 30_000 });
    while ((await claimAll()).length > 0);
    for (const key of ["a", "a", "b"])
      expect(
        (
          await server.request(
            "/v1/jobs",
            postJson({ type: "echo", payload: { key }, queue: "keyed", concurrencyKey: key }, token),
          )
        ).status,
      ).toBe(201);
    relay.wire.queries.length = 0;
    const started = await claimAll();
    // One job of each key: the other "a" waits for its key.
    expect(started.map((row) => row.concurrencyKey).sort()).toEqual(["a", "b"]);
    // Two messages (the per-key walk between them is a prepared statement): the gate with the pick
    // of the limited queues (the last claim found no open job), the pick kept to its generic plan,
    // then the start with the COMMIT.
    const sent = relay.wire.queries.filter((text) => !isNotify(text));
    expect(sent).toHaveLength(2);
    const statement = String.raw`(PREPARE jobdeck_p\d+ AS .*; )?EXECUTE jobdeck_p\d+\(.*\)`;
    expect(sent[0]).toMatch(
      new RegExp(
        `^BEGIN; ${statement}; SET LOCAL plan_cache_mode = force_generic_plan; ${statement}; SET LOCAL plan_cache_mode TO DEFAULT$`,
        "s",
      ),
    );
    const starts = relay.wire.queries.filter((text) => text.includes("COMMIT") && !isNotify(text));
    expect(starts).toHaveLength(1);
    expect(starts[0]).toMatch(/(PREPARE jobdeck_p\d+ AS .*; )?EXECUTE jobdeck_p\d+\(.*\); COMMIT$/s);
    for (const row of started) {
      const events = await db.read.all<{ data: string }>(
        `SELECT "data" FROM "job_events" WHERE "jobId" = @id ORDER BY "id"`,
        { id: row.id },
      );
      expect(events.at(-1)!.data).toBe(jobEventData(row));
    }
  });

  it("while a limited queue exists, a claim waits for the settles this process is writing, so that it counts the slots they free", async () => {
    const store = server.runtime.store;
    const claimAll = () => store.claimJobs({ owner: "test#4", types: ["echo"], limit: 4, leaseMs: 30_000 });
    // The case before left carol's "keyed" queue with one job running per key and one "a" waiting.
    const running = await server.runtime.db.read.all<{ id: string; attempts: number; leaseOwner: string }>(
      `SELECT "id", "attempts", "leaseOwner" FROM "jobs" WHERE "queue" = 'keyed' AND "status" = 'running'`,
    );
    expect(running).toHaveLength(2);
    relay.wire.queries.length = 0;
    const settling = running.map((fence) =>
      store.settleAttempt(fence, { status: "completed", result: null }, new Date()),
    );
    // Claimed in the same turn as the settles: it goes once they are written, and finds key "a" free.
    const claimed = await claimAll();
    await Promise.all(settling);
    expect(claimed.map((row) => row.concurrencyKey)).toEqual(["a"]);
    // The settle names the jobs' owner (test#3); the claim's first message, the types it runs.
    const settleAt = relay.wire.queries.findIndex((text) => text.includes("'test#3'"));
    const claimAt = relay.wire.queries.findIndex((text) => text.includes("ARRAY['echo']::text[]"));
    expect(settleAt).toBeGreaterThanOrEqual(0);
    expect(claimAt).toBeGreaterThan(settleAt);
  });

  it("settles completions that end together in one message: BEGIN, their fenced UPDATE with its attempt rows and events, COMMIT", async () => {
    const token = server.token("alice");
    for (let n = 0; n < 2; n++)
      expect(
        (await server.request("/v1/jobs", postJson({ type: "echo", payload: { n } }, token))).status,
      ).toBe(201);
    const store = server.runtime.store;
    const claimed = await store.claimJobs({ owner: "test#2", types: ["echo"], limit: 2, leaseMs: 30_000 });
    expect(claimed).toHaveLength(2);
    relay.wire.queries.length = 0;
    const settled = await Promise.all(
      claimed.map((row) =>
        store.settleAttempt(
          { id: row.id, attempts: row.attempts, leaseOwner: row.leaseOwner! },
          { status: "completed", result: { n: row.id } },
          new Date(),
        ),
      ),
    );
    expect(settled.map((row) => row?.status)).toEqual(["completed", "completed"]);
    const settles = relay.wire.queries.filter((text) => text.includes(`'completed'`));
    expect(settles).toHaveLength(1);
    expect(settles[0]).toMatch(/^BEGIN; (PREPARE jobdeck_p\d+ AS .*; )?EXECUTE jobdeck_p\d+\(.*\); COMMIT$/s);
    // A fence that no longer holds settles nothing, in the same one message.
    relay.wire.queries.length = 0;
    const [first] = claimed;
    expect(
      await store.settleAttempt(
        { id: first!.id, attempts: first!.attempts, leaseOwner: first!.leaseOwner! },
        { status: "completed", result: null },
        new Date(),
      ),
    ).toBeNull();
    for (const row of settled) {
      const events = await server.runtime.db.read.all<{ data: string }>(
        `SELECT "data" FROM "job_events" WHERE "jobId" = @id ORDER BY "id"`,
        { id: row!.id },
      );
      expect(events.map((event) => (JSON.parse(event.data) as { status: string }).status)).toEqual([
        "pending",
        "running",
        "completed",
      ]);
      expect(events[2]!.data).toBe(jobEventData(row!));
    }
  });

  it("fails the whole transaction when a deferred statement fails, and the connection serves the next one", async () => {
    const { writer } = server.runtime.db;
    const now = new Date();
    await expect(
      writer.transaction(async (tx) => {
        tx.defer(
          `INSERT INTO "queues" ("userId", "name", "createdAt", "updatedAt") VALUES ('bob', 'deferred', @now, @now)`,
          {
            now,
          },
        );
        tx.defer(`INSERT INTO "no_such_table" ("x") VALUES (1)`);
        await tx.signal("jobs", "echo");
      }),
    ).rejects.toThrow(/no_such_table/);
    const queues = await server.runtime.db.read.all(`SELECT "name" FROM "queues" WHERE "userId" = 'bob'`);
    expect(queues).toEqual([]);
    // Every connection of the writer's pool still works (none was left inside the failed transaction).
    const counts = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        writer.transaction(async (tx) => {
          tx.defer(
            `INSERT INTO "queues" ("userId", "name", "createdAt", "updatedAt") VALUES ('bob', @name, @now, @now)`,
            {
              name: `q${n}`,
              now,
            },
          );
          return tx.all(`SELECT COUNT(*) AS "n" FROM "queues" WHERE "userId" = 'bob' AND "name" = @name`, {
            name: `q${n}`,
          });
        }),
      ),
    );
    expect(counts.map(([row]) => Number(row!.n))).toEqual(Array(8).fill(1));
  });
});
