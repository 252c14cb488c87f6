import {
  ListWebhookDeliveriesResponseSchema,
  ListWebhooksResponseSchema,
  WebhookResponseSchema,
  WebhookWithSecretResponseSchema,
  type Webhook,
} from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { postJson } from "./support/server.js";
import { serveSuite } from "./support/suite.js";

/** §13's routes: the webhook resource, its secret, its paging and every refusal, on both databases. */

const providers = await testProviders();

const URL_ = "https://hooks.example.com/jobdeck";
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe.each(providers)("the webhooks API on %s", (provider) => {
  const suite = serveSuite(provider);
  const put = (path: string, body: unknown, token: string) =>
    suite.server.request(path, { ...postJson(body, token), method: "PUT" });
  const create = async (body: unknown, token = suite.alice) => {
    const response = await suite.server.request("/v1/webhooks", postJson(body, token));
    expect(response.status, response.text).toBe(201);
    return WebhookWithSecretResponseSchema.parse(response.body);
  };
  /** The database, as far as webhooks go: nothing of it may change on a refused request. */
  const webhookRows = async () =>
    JSON.stringify([
      await suite.server.prisma.webhook.findMany({ orderBy: { id: "asc" } }),
      await suite.server.prisma.webhookMessage.findMany({ orderBy: { id: "asc" } }),
    ]);

  it("creates a webhook and shows its secret once: whsec_ + base64 of 32 bytes; GET and the list never show it", async () => {
    const created = await suite.server.request(
      "/v1/webhooks",
      postJson(
        { url: URL_, events: ["job.completed", "job.failed"], filter: { type: ["echo"], queue: ["emails"] } },
        suite.alice,
      ),
    );
    expect(created.status, created.text).toBe(201);
    const body = WebhookWithSecretResponseSchema.parse(created.body);
    expect(body.data).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      url: URL_,
      events: ["job.completed", "job.failed"],
      filter: { type: ["echo"], queue: ["emails"] },
      isEnabled: true,
      createdAt: expect.stringMatching(ISO) as unknown,
      updatedAt: body.data.createdAt,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/) as unknown,
    });
    expect(Buffer.from(body.data.secret.slice(6), "base64")).toHaveLength(32);
    expect(created.headers.get("location")).toBe(`/v1/webhooks/${body.data.id}`);
    // Not stored as it was shown.
    const row = await suite.server.prisma.webhook.findUniqueOrThrow({ where: { id: body.data.id } });
    expect(row.secret).not.toContain(body.data.secret.slice(6));

    const got = await suite.server.request(`/v1/webhooks/${body.data.id}`, { token: suite.alice });
    expect(got.status).toBe(200);
    const { secret, ...shown } = body.data;
    expect(WebhookResponseSchema.parse(got.body)).toEqual({
      success: true,
      data: shown,
      message: "Webhook retrieved",
    });
    expect(got.text).not.toContain(secret.slice(6));

    const second = await create({ url: URL_, events: ["job.created"] });
    expect(second.data.secret).not.toBe(secret);
    expect(second.data.filter).toEqual({});
  });

  it("replaces with PUT (omitted optional fields take their defaults), keeps the secret, rotates it on request", async () => {
    const { data: hook } = await create({
      url: URL_,
      events: ["job.created"],
      filter: { queue: ["a"] },
      isEnabled: false,
    });
    const replaced = await put(
      `/v1/webhooks/${hook.id}`,
      { url: `${URL_}/2`, events: ["job.failed"] },
      suite.alice,
    );
    expect(replaced.status, replaced.text).toBe(200);
    const data = WebhookResponseSchema.parse(replaced.body).data;
    expect(data).toMatchObject({
      id: hook.id,
      url: `${URL_}/2`,
      events: ["job.failed"],
      filter: {},
      isEnabled: true,
    });
    expect(data.createdAt).toBe(hook.createdAt);
    expect(Date.parse(data.updatedAt)).toBeGreaterThanOrEqual(Date.parse(hook.updatedAt));
    const before = (await suite.server.prisma.webhook.findUniqueOrThrow({ where: { id: hook.id } })).secret;

    const rotated = await suite.post(`/v1/webhooks/${hook.id}/rotate-secret`, suite.alice);
    expect(rotated.status).toBe(200);
    const withSecret = WebhookWithSecretResponseSchema.parse(rotated.body).data;
    expect(withSecret.secret).toMatch(/^whsec_/);
    expect(withSecret.secret).not.toBe(hook.secret);
    expect((await suite.server.prisma.webhook.findUniqueOrThrow({ where: { id: hook.id } })).secret).not.toBe(
      before,
    );
  });

  it("lists the caller's webhooks newest first, by keyset pages bound to the caller", async () => {
    const token = suite.server.token("lister");
    const made: Webhook[] = [];
    for (let i = 0; i < 5; i++)
      made.push((await create({ url: `${URL_}/${i}`, events: ["job.created"] }, token)).data);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await suite.server.request(
        `/v1/webhooks?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
        { token },
      );
      expect(response.status, response.text).toBe(200);
      const page = ListWebhooksResponseSchema.parse(response.body);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((w) => w.id));
      cursor = page.pagination.nextCursor;
      expect(page.pagination.hasMore).toBe(cursor !== null);
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    const newestFirst = [...made].sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
    );
    expect(seen).toEqual(newestFirst.map((w) => w.id));

    const first = ListWebhooksResponseSchema.parse(
      (await suite.server.request("/v1/webhooks?limit=1", { token })).body,
    );
    const foreign = await suite.server.request(`/v1/webhooks?limit=1&cursor=${first.pagination.nextCursor}`, {
      token: suite.bob,
    });
    expectError(foreign, 400, "INVALID_CURSOR");
    const bobs = ListWebhooksResponseSchema.parse(
      (await suite.server.request("/v1/webhooks?limit=100", { token: suite.bob })).body,
    );
    expect(bobs.data.filter((w) => made.some((m) => m.id === w.id))).toEqual([]);
  });

  it("answers another user's webhook, and a missing one, with the same 404 on every route", async () => {
    const { data: hook } = await create({ url: URL_, events: ["job.created"] });
    const before = await webhookRows();
    for (const id of [hook.id, "0190c1e0-0000-7000-8000-000000000001", "not-an-id"]) {
      const as = suite.bob;
      expectError(await suite.server.request(`/v1/webhooks/${id}`, { token: as }), 404, "NOT_FOUND");
      expectError(
        await put(`/v1/webhooks/${id}`, { url: URL_, events: ["job.created"] }, as),
        404,
        "NOT_FOUND",
      );
      expectError(
        await suite.server.request(`/v1/webhooks/${id}`, { method: "DELETE", token: as }),
        404,
        "NOT_FOUND",
      );
      expectError(await suite.post(`/v1/webhooks/${id}/rotate-secret`, as), 404, "NOT_FOUND");
      expectError(await suite.post(`/v1/webhooks/${id}/test`, as), 404, "NOT_FOUND");
      expectError(
        await suite.server.request(`/v1/webhooks/${id}/deliveries?limit=5`, { token: as }),
        404,
        "NOT_FOUND",
      );
      expectError(
        await suite.post(`/v1/webhooks/${id}/deliveries/0190c1e0-0000-7000-8000-000000000002/redeliver`, as),
        404,
        "NOT_FOUND",
      );
    }
    expectError(
      await suite.post(
        `/v1/webhooks/${hook.id}/deliveries/0190c1e0-0000-7000-8000-000000000002/redeliver`,
        suite.alice,
      ),
      404,
      "NOT_FOUND",
    );
    expect(await webhookRows()).toBe(before);
  });

  it("deletes a webhook with its messages and log: 204, then 404", async () => {
    const { data: hook } = await create({ url: URL_, events: ["job.created"] });
    expect((await suite.post(`/v1/webhooks/${hook.id}/test`, suite.alice)).status).toBe(202);
    expect(await suite.server.prisma.webhookMessage.count({ where: { webhookId: hook.id } })).toBe(1);
    const deleted = await suite.server.request(`/v1/webhooks/${hook.id}`, {
      method: "DELETE",
      token: suite.alice,
    });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect(await suite.server.prisma.webhookMessage.count({ where: { webhookId: hook.id } })).toBe(0);
    expectError(
      await suite.server.request(`/v1/webhooks/${hook.id}`, { token: suite.alice }),
      404,
      "NOT_FOUND",
    );
  });

  it("lists no deliveries for a new webhook, and checks the page's parameters", async () => {
    const { data: hook } = await create({ url: URL_, events: ["job.created"] });
    const empty = await suite.server.request(`/v1/webhooks/${hook.id}/deliveries?limit=10`, {
      token: suite.alice,
    });
    expect(ListWebhookDeliveriesResponseSchema.parse(empty.body)).toEqual({
      success: true,
      data: [],
      pagination: { limit: 10, nextCursor: null, hasMore: false, isPartial: false },
    });
    for (const query of ["", "?limit=0", "?limit=101", "?limit=5&status=x"])
      expectError(
        await suite.server.request(`/v1/webhooks/${hook.id}/deliveries${query}`, { token: suite.alice }),
        400,
        "VALIDATION_FAILED",
      );
    expectError(
      await suite.server.request(`/v1/webhooks/${hook.id}/deliveries?limit=5&cursor=abc`, {
        token: suite.alice,
      }),
      400,
      "INVALID_CURSOR",
    );
    expectError(await suite.server.request("/v1/webhooks", { token: suite.alice }), 400, "VALIDATION_FAILED");
  });

  it("refuses bad bodies with a 400 naming the field, and writes nothing", async () => {
    const { data: hook } = await create({ url: URL_, events: ["job.created"] });
    const cases: [unknown, string][] = [
      [{ events: ["job.created"] }, "url"],
      [{ url: "ftp://example.com/x", events: ["job.created"] }, "url"],
      [{ url: "not a url", events: ["job.created"] }, "url"],
      [{ url: "/relative", events: ["job.created"] }, "url"],
      [{ url: `https://example.com/${"x".repeat(2048)}`, events: ["job.created"] }, "url"],
      [{ url: URL_ }, "events"],
      [{ url: URL_, events: [] }, "events"],
      [{ url: URL_, events: ["job.retried"] }, "events.0"],
      [{ url: URL_, events: ["webhook.test"] }, "events.0"],
      [{ url: URL_, events: ["job.created", "job.created"] }, "events"],
      [{ url: URL_, events: "job.created" }, "events"],
      [{ url: URL_, events: ["job.created"], filter: { type: [] } }, "filter.type"],
      [{ url: URL_, events: ["job.created"], filter: { queue: ["Bad Queue"] } }, "filter.queue.0"],
      [{ url: URL_, events: ["job.created"], filter: { queue: ["a", "a"] } }, "filter.queue"],
      [{ url: URL_, events: ["job.created"], filter: { status: ["failed"] } }, "filter.status"],
      [{ url: URL_, events: ["job.created"], isEnabled: "yes" }, "isEnabled"],
      [{ url: URL_, events: ["job.created"], secret: "whsec_mine" }, "secret"],
    ];
    const before = await webhookRows();
    for (const [body, path] of cases) {
      for (const response of [
        await suite.server.request("/v1/webhooks", postJson(body, suite.alice)),
        await put(`/v1/webhooks/${hook.id}`, body, suite.alice),
      ]) {
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(response.body).toMatchObject({ success: false, error: { code: "VALIDATION_FAILED" } });
        const details = (response.body as { error: { details: { path: string }[] } }).error.details;
        expect(
          details.map((d) => d.path),
          JSON.stringify(body),
        ).toContain(path);
      }
    }
    const notJson = await suite.server.request("/v1/webhooks", {
      method: "POST",
      token: suite.alice,
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expectError(notJson, 400, "VALIDATION_FAILED");
    expect(await webhookRows()).toBe(before);
  });
});
