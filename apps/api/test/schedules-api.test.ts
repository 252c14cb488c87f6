import {
  JobResponseSchema,
  ListSchedulesResponseSchema,
  ScheduleResponseSchema,
  type Schedule,
} from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { nextFireAfter } from "@jobdeck/contract/schedule-times";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { postJson, type TestResponse } from "./support/server.js";
import { serveSuite, type Suite } from "./support/suite.js";

/**
 * The schedule routes of §12 on a server that runs no schedules (WORKER_CONCURRENCY=0), so that
 * what each route writes is all that changes: validation, CRUD, names, paging, pause, resume and
 * trigger. Firing is in schedules-firing.test.ts and schedules-processes.test.ts.
 */

const providers = await testProviders();
const MISSING = "0190c1e0-0000-7000-8000-000000000001";

const BODY = { name: "nightly-report", cron: "0 3 * * *", type: "echo", payload: { report: "daily" } };

/** A schedule answer: the status, the whole body parsed with the contract. */
function expectSchedule(response: TestResponse, status: number, message: string): Schedule {
  expect(response.status, response.text).toBe(status);
  const body = ScheduleResponseSchema.parse(response.body);
  expect(body.message).toBe(message);
  return body.data;
}

describe.each(providers)("the schedules API on %s", (provider) => {
  const suite: Suite = serveSuite(provider);
  const request = (path: string, init: RequestInit & { token?: string } = {}) =>
    suite.server.request(path, init);
  const create = (token: string, body: unknown) => request("/v1/schedules", postJson(body, token));
  const put = (id: string, token: string, body: unknown) =>
    request(`/v1/schedules/${id}`, { ...postJson(body, token), method: "PUT" });
  /** Nothing written: jobs, events and settings (the shared fingerprint) and the schedules. */
  const noWrites = async <T>(fn: () => Promise<T>): Promise<T> => {
    const schedules = () => suite.server.prisma.schedule.findMany({ orderBy: { id: "asc" } });
    const before = await schedules();
    const result = await suite.noWrites(fn);
    expect(await schedules()).toEqual(before);
    return result;
  };
  const nextAfter = (cron: string, timezone: string, at: number) =>
    new Date(nextFireAfter({ cron, timezone }, at)!).toISOString();

  it("POST creates a running schedule with its defaults and the first fire time after now; GET shows it", async () => {
    const before = Date.now();
    const response = await create(suite.alice, BODY);
    const created = expectSchedule(response, 201, "Schedule created");
    const after = Date.now();
    expect(response.headers.get("location")).toBe(`/v1/schedules/${created.id}`);
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ...BODY,
      timezone: "UTC",
      queue: "default",
      priority: 0,
      overlap: "allow",
      catchUp: "latest",
      isPaused: false,
      nextRunAt: expect.any(String),
      lastRunAt: null,
      lastJobId: null,
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: created.createdAt,
    });
    expect([nextAfter("0 3 * * *", "UTC", before), nextAfter("0 3 * * *", "UTC", after)]).toContain(
      created.nextRunAt,
    );
    const read = expectSchedule(
      await request(`/v1/schedules/${created.id}`, { token: suite.alice }),
      200,
      "Schedule retrieved",
    );
    expect(read).toEqual(created);
  });

  it("keeps every field it is given, in a zone", async () => {
    const body = {
      name: "berlin",
      cron: "30 2 * * *",
      timezone: "Europe/Berlin",
      type: "sleep",
      payload: { ms: 5 },
      queue: "reports",
      priority: -7,
      overlap: "skip",
      catchUp: "none",
    };
    const created = expectSchedule(await create(suite.alice, body), 201, "Schedule created");
    expect(created).toMatchObject(body);
    expect(Date.parse(created.nextRunAt!)).toBeGreaterThan(Date.parse(created.createdAt));
    expect(created.nextRunAt).toBe(nextAfter("30 2 * * *", "Europe/Berlin", Date.parse(created.createdAt)));
  });

  it("nextRunAt is always strictly after now, even before a process has fired the one that passed", async () => {
    // This server runs no schedules: the stored nextRunAt passes and stays.
    const created = expectSchedule(
      await create(suite.alice, { ...BODY, name: "every-second-unfired", cron: "* * * * * *" }),
      201,
      "Schedule created",
    );
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const asked = Date.now();
    const read = expectSchedule(
      await request(`/v1/schedules/${created.id}`, { token: suite.alice }),
      200,
      "Schedule retrieved",
    );
    expect(Date.parse(read.nextRunAt!)).toBeGreaterThan(asked);
    expect(Date.parse(read.nextRunAt!)).toBeLessThanOrEqual(Date.now() + 1_000);
    expect(Date.parse(read.nextRunAt!) % 1_000).toBe(0);
  });

  it("refuses a bad body with a 400 at the field at fault, and writes nothing", async () => {
    const cases: [unknown, { path: string; message: string | RegExp }[]][] = [
      [
        { ...BODY, cron: "0 0 L * *" },
        [{ path: "cron", message: /L, W, # and \? are not part of Vixie cron/ }],
      ],
      [{ ...BODY, cron: "@daily" }, [{ path: "cron", message: /@ macros/ }]],
      [{ ...BODY, cron: "0 0 0 1 1 * 2027" }, [{ path: "cron", message: /it has 7/ }]],
      [{ ...BODY, cron: "0 0 30 2 *" }, [{ path: "cron", message: "matches no date" }]],
      [{ ...BODY, timezone: "Mars/Olympus" }, [{ path: "timezone", message: /IANA time zone/ }]],
      [{ ...BODY, timezone: "+02:00" }, [{ path: "timezone", message: /IANA time zone/ }]],
      [{ ...BODY, type: "nope" }, [{ path: "type", message: /is not a known job type/ }]],
      [{ ...BODY, type: "sleep", payload: { ms: -1 } }, [{ path: "payload.ms", message: /at least 0/ }]],
      [{ ...BODY, queue: "Bad Queue" }, [{ path: "queue", message: /must match/ }]],
      [{ ...BODY, priority: 101 }, [{ path: "priority", message: "must be between -100 and 100" }]],
      [{ ...BODY, overlap: "queue" }, [{ path: "overlap", message: "must be one of allow, skip" }]],
      [{ ...BODY, catchUp: "all" }, [{ path: "catchUp", message: "must be one of latest, none" }]],
      [{ ...BODY, name: "" }, [{ path: "name", message: "must not be empty" }]],
      [{ ...BODY, name: "x".repeat(101) }, [{ path: "name", message: /at most 100/ }]],
      [{ ...BODY, isPaused: true }, [{ path: "isPaused", message: /./ }]],
      [{ name: "n", type: "echo", payload: {} }, [{ path: "cron", message: "is required" }]],
      [{ name: "n", cron: "* * * * *", type: "echo" }, [{ path: "payload", message: "is required" }]],
      [
        { ...BODY, cron: "99 * * * *", timezone: "Nowhere/Land" },
        [
          { path: "cron", message: /minute field/ },
          { path: "timezone", message: /IANA/ },
        ],
      ],
    ];
    await noWrites(async () => {
      for (const [body, details] of cases) {
        const response = await create(suite.alice, body);
        const error = expectError(response, 400, "VALIDATION_FAILED");
        for (const detail of details)
          expect(error.error.details, JSON.stringify(body)).toContainEqual({
            path: detail.path,
            message:
              detail.message instanceof RegExp ? expect.stringMatching(detail.message) : detail.message,
          });
      }
    });
  });

  it("a duplicate name is a 409 on POST and PUT, per owner; nothing is written", async () => {
    const first = expectSchedule(
      await create(suite.alice, { ...BODY, name: "dup" }),
      201,
      "Schedule created",
    );
    const other = expectSchedule(
      await create(suite.alice, { ...BODY, name: "dup-2" }),
      201,
      "Schedule created",
    );
    await noWrites(async () => {
      expectError(await create(suite.alice, { ...BODY, name: "dup" }), 409, "CONFLICT", {
        details: [{ path: "name", message: "is taken by another of your schedules" }],
      });
      expectError(await put(other.id, suite.alice, { ...BODY, name: "dup" }), 409, "CONFLICT");
    });
    // Another user's namesake is unrelated; a PUT that keeps its own name is fine.
    expectSchedule(await create(suite.bob, { ...BODY, name: "dup" }), 201, "Schedule created");
    expectSchedule(await put(first.id, suite.alice, { ...BODY, name: "dup" }), 200, "Schedule saved");
  });

  it("PUT replaces the settings (omitted fields take their defaults), recomputes nextRunAt, keeps lastRunAt and lastJobId", async () => {
    const created = expectSchedule(
      await create(suite.alice, { ...BODY, name: "to-change", priority: 5, overlap: "skip", queue: "q1" }),
      201,
      "Schedule created",
    );
    const triggered = JobResponseSchema.parse(
      (await suite.post(`/v1/schedules/${created.id}/trigger`, suite.alice)).body,
    ).data;
    const before = Date.now();
    const changed = expectSchedule(
      await put(created.id, suite.alice, {
        ...BODY,
        name: "changed",
        cron: "*/5 * * * *",
        timezone: "Asia/Tokyo",
      }),
      200,
      "Schedule saved",
    );
    expect(changed).toMatchObject({
      id: created.id,
      name: "changed",
      cron: "*/5 * * * *",
      timezone: "Asia/Tokyo",
      priority: 0,
      overlap: "allow",
      queue: "default",
      catchUp: "latest",
      isPaused: false,
      lastJobId: triggered.id,
      lastRunAt: triggered.runAt,
      createdAt: created.createdAt,
    });
    expect(Date.parse(changed.nextRunAt!)).toBeGreaterThan(before);
    expect(Date.parse(changed.nextRunAt!)).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
    expect(Date.parse(changed.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
  });

  it("PUT of a paused schedule keeps it paused, nextRunAt null", async () => {
    const created = expectSchedule(
      await create(suite.alice, { ...BODY, name: "paused-put" }),
      201,
      "Schedule created",
    );
    expectSchedule(
      await suite.post(`/v1/schedules/${created.id}/pause`, suite.alice),
      200,
      "Schedule paused",
    );
    const changed = expectSchedule(
      await put(created.id, suite.alice, { ...BODY, name: "paused-put", cron: "* * * * *" }),
      200,
      "Schedule saved",
    );
    expect(changed).toMatchObject({ isPaused: true, nextRunAt: null, cron: "* * * * *" });
  });

  it("pause sets nextRunAt to null; resume computes it from now, without catching up; both repeat safely", async () => {
    const created = expectSchedule(
      await create(suite.alice, { ...BODY, name: "pausable", cron: "* * * * * *" }),
      201,
      "Schedule created",
    );
    const paused = expectSchedule(
      await suite.post(`/v1/schedules/${created.id}/pause`, suite.alice),
      200,
      "Schedule paused",
    );
    expect(paused).toMatchObject({ isPaused: true, nextRunAt: null });
    expect(
      expectSchedule(
        await suite.post(`/v1/schedules/${created.id}/pause`, suite.alice),
        200,
        "Schedule paused",
      ),
    ).toEqual(paused);
    const before = Date.now();
    const resumed = expectSchedule(
      await suite.post(`/v1/schedules/${created.id}/resume`, suite.alice),
      200,
      "Schedule resumed",
    );
    expect(resumed.isPaused).toBe(false);
    expect(Date.parse(resumed.nextRunAt!)).toBeGreaterThan(before);
    expect(Date.parse(resumed.nextRunAt!)).toBeLessThanOrEqual(Date.now() + 1_000);
    const stored = await suite.server.prisma.schedule.findUniqueOrThrow({ where: { id: created.id } });
    const beforeAgain = Date.now();
    const again = expectSchedule(
      await suite.post(`/v1/schedules/${created.id}/resume`, suite.alice),
      200,
      "Schedule resumed",
    );
    const afterAgain = Date.now();
    // A repeated resume leaves the stored nextRunAt as it is (this suite runs no scheduler: nothing
    // fires). An answer shows the next fire after the moment it is made: the stored one while it is
    // ahead, else the first whole second after that moment; the schedule fires every second, so the
    // two answers differ whenever a second passed between them.
    expect(await suite.server.prisma.schedule.findUniqueOrThrow({ where: { id: created.id } })).toEqual(stored);
    expect(again.lastRunAt).toBeNull();
    const first = Date.parse(resumed.nextRunAt!);
    const next = Date.parse(again.nextRunAt!);
    if (next !== first) {
      expect(first).toBeLessThanOrEqual(afterAgain);
      expect(next).toBeGreaterThan(Math.max(first, beforeAgain));
      expect(next).toBeLessThanOrEqual(afterAgain + 1_000);
      expect((next - first) % 1_000).toBe(0);
    }
  });

  it("trigger makes the job now, also while paused: scheduleId set, nextRunAt unchanged, the schedule's last job", async () => {
    const created = expectSchedule(
      await create(suite.alice, { ...BODY, name: "triggered", queue: "reports", priority: 9 }),
      201,
      "Schedule created",
    );
    expectSchedule(
      await suite.post(`/v1/schedules/${created.id}/pause`, suite.alice),
      200,
      "Schedule paused",
    );
    const before = Date.now();
    const response = await suite.post(`/v1/schedules/${created.id}/trigger`, suite.alice);
    expect(response.status, response.text).toBe(201);
    const body = JobResponseSchema.parse(response.body);
    expect(body.message).toBe("Schedule triggered");
    expect(response.headers.get("location")).toBe(`/v1/jobs/${body.data.id}`);
    expect(body.data).toMatchObject({
      type: "echo",
      payload: BODY.payload,
      status: "pending",
      queue: "reports",
      priority: 9,
      scheduleId: created.id,
      batchId: null,
    });
    expect(Date.parse(body.data.runAt)).toBeGreaterThanOrEqual(before);
    expect(body.data.runAt).toBe(body.data.createdAt);
    const read = expectSchedule(
      await request(`/v1/schedules/${created.id}`, { token: suite.alice }),
      200,
      "Schedule retrieved",
    );
    expect(read).toMatchObject({
      isPaused: true,
      nextRunAt: null,
      lastJobId: body.data.id,
      lastRunAt: body.data.runAt,
    });
    // The job is the caller's, and the list filters by its schedule.
    const listed = await request(`/v1/jobs?limit=10&scheduleId=${created.id}`, { token: suite.alice });
    expect((listed.body as { data: { id: string }[] }).data.map((job) => job.id)).toEqual([body.data.id]);
  });

  it("DELETE answers 204 and the schedule is gone; the jobs it made keep their scheduleId", async () => {
    const created = expectSchedule(
      await create(suite.alice, { ...BODY, name: "doomed" }),
      201,
      "Schedule created",
    );
    const job = JobResponseSchema.parse(
      (await suite.post(`/v1/schedules/${created.id}/trigger`, suite.alice)).body,
    ).data;
    const response = await request(`/v1/schedules/${created.id}`, { method: "DELETE", token: suite.alice });
    expect(response.status, response.text).toBe(204);
    expect(response.text).toBe("");
    expectError(await request(`/v1/schedules/${created.id}`, { token: suite.alice }), 404, "NOT_FOUND");
    const kept = JobResponseSchema.parse(
      (await request(`/v1/jobs/${job.id}`, { token: suite.alice })).body,
    ).data;
    expect(kept.scheduleId).toBe(created.id);
  });

  it("another user's schedule, a missing one and a malformed id are the same 404 on every route; nothing is written", async () => {
    const alices = expectSchedule(
      await create(suite.alice, { ...BODY, name: "private" }),
      201,
      "Schedule created",
    );
    await noWrites(async () => {
      for (const id of [alices.id, MISSING, "not-an-id"]) {
        const token = suite.bob;
        const answers = [
          await request(`/v1/schedules/${id}`, { token }),
          await put(id, token, BODY),
          await request(`/v1/schedules/${id}`, { method: "DELETE", token }),
          await suite.post(`/v1/schedules/${id}/pause`, token),
          await suite.post(`/v1/schedules/${id}/resume`, token),
          await suite.post(`/v1/schedules/${id}/trigger`, token),
        ];
        for (const answer of answers)
          expectError(answer, 404, "NOT_FOUND", { message: "Schedule not found" });
      }
    });
  });

  it("lists the caller's schedules newest first, keyset-paged; a cursor is bound to its user", async () => {
    const carol = suite.server.token("carol");
    const ids: string[] = [];
    for (let i = 0; i < 7; i++)
      ids.push(expectSchedule(await create(carol, { ...BODY, name: `s${i}` }), 201, "Schedule created").id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await request(
        `/v1/schedules?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        { token: carol },
      );
      expect(response.status, response.text).toBe(200);
      const page = ListSchedulesResponseSchema.parse(response.body);
      expect(page.data.length).toBeLessThanOrEqual(3);
      expect(page.pagination.isPartial).toBe(false);
      seen.push(...page.data.map((s) => s.id));
      cursor = page.pagination.nextCursor;
      expect(page.pagination.hasMore).toBe(cursor !== null);
      if (cursor && pages === 0) {
        expectError(
          await request(`/v1/schedules?limit=3&cursor=${cursor}`, { token: suite.alice }),
          400,
          "INVALID_CURSOR",
        );
      }
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
    expectError(await request("/v1/schedules?limit=0", { token: carol }), 400, "VALIDATION_FAILED");
    expectError(await request("/v1/schedules", { token: carol }), 400, "VALIDATION_FAILED");
    expectError(await request("/v1/schedules?limit=5&name=x", { token: carol }), 400, "VALIDATION_FAILED");
  });
});
