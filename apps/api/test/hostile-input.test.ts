import { generateKeyPairSync } from "node:crypto";
import {
  ErrorBodySchema,
  JOB_STATUSES,
  JobResponseSchema,
  ListJobsResponseSchema,
  SORT_FIELDS,
} from "@jobdeck/contract";
import fc from "fast-check";
import jwt from "jsonwebtoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { postJson, startTestServer, type TestServer } from "./support/server.js";

const providers = await testProviders();

/** What a write would change: the tables a request may touch. */
async function writeCounts(server: TestServer) {
  const prisma = server.prisma;
  return { jobs: await prisma.job.count(), keys: await prisma.idempotencyKey.count() };
}

describe.each(providers)("hostile input on %s", (provider) => {
  let server: TestServer;
  let alice: string;
  let aliceJobId: string;
  beforeAll(async () => {
    server = await startTestServer(provider, { RATE_LIMIT_PER_MINUTE: "1000000" });
    alice = server.token("alice");
    const created = await server.request(
      "/v1/jobs",
      postJson({ type: "echo", payload: { mine: true } }, alice),
    );
    aliceJobId = JobResponseSchema.parse(created.body).data.id;
  });
  afterAll(() => server.close());

  it("treats injection attempts in every filter value as plain values", async () => {
    const attacks = [
      "' OR '1'='1",
      "echo' --",
      '"; DROP TABLE "jobs"; --',
      "echo) OR (1=1",
      "%",
      "_",
      "\\",
      "$1",
      "?",
      "echo/**/OR/**/1=1",
      "𝕖𝕔𝕙𝕠",
      "%00",
      "echo%00",
    ];
    const bob = server.token("bob");
    for (const value of attacks) {
      const encoded = encodeURIComponent(value);
      for (const field of ["type", "resultType"]) {
        const response = await server.request(`/v1/jobs?limit=5&${field}=${encoded}`, { token: bob });
        expect(response.status, `${field}=${value}`).toBe(200);
        expect(ListJobsResponseSchema.parse(response.body).data).toEqual([]);
      }
      for (const field of ["status", "sortBy", "sortOrder", "limit", "createdFrom", "createdTo"]) {
        const response = await server.request(`/v1/jobs?limit=5&${field}=${encoded}`, { token: bob });
        expectError(response, 400, "VALIDATION_FAILED");
      }
      expectError(
        await server.request(`/v1/jobs?limit=5&cursor=${encoded}`, { token: bob }),
        400,
        "INVALID_CURSOR",
      );
      expectError(await server.request(`/v1/jobs/${encoded}`, { token: bob }), 404, "NOT_FOUND");
    }
    // The table is intact and alice's job is still hers alone.
    const own = await server.request(`/v1/jobs/${aliceJobId}`, { token: alice });
    expect(own.status).toBe(200);
  });

  it("refuses other users' job ids and cursors on every route", async () => {
    const bob = server.token("bob");
    expectError(await server.request(`/v1/jobs/${aliceJobId}`, { token: bob }), 404, "NOT_FOUND");
    await server.request("/v1/jobs", postJson({ type: "echo", payload: {} }, alice));
    const page = ListJobsResponseSchema.parse(
      (await server.request("/v1/jobs?limit=1", { token: alice })).body,
    );
    expect(page.pagination.nextCursor).not.toBeNull();
    expectError(
      await server.request(`/v1/jobs?limit=1&cursor=${page.pagination.nextCursor}`, { token: bob }),
      400,
      "INVALID_CURSOR",
    );
    const bobsList = ListJobsResponseSchema.parse(
      (await server.request("/v1/jobs?limit=100", { token: bob })).body,
    );
    expect(bobsList.data.map((j) => j.id)).not.toContain(aliceJobId);
  });

  it("ignores keys a token carries in its header (jwk, jku, kid) and refuses what they sign", async () => {
    const attacker = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwk = attacker.publicKey.export({ format: "jwk" });
    const privatePem = attacker.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    for (const header of [
      { jwk },
      { jku: "http://127.0.0.1:1/keys.json", kid: "1" },
      { kid: "../../../../dev/null" },
    ]) {
      const token = jwt.sign({ sub: "alice" }, privatePem, {
        algorithm: "RS256",
        expiresIn: 60,
        header: { alg: "RS256", ...header },
      });
      expectError(await server.request("/v1/jobs?limit=1", { token }), 401, "UNAUTHORIZED");
    }
  });

  it("fuzzed list queries never answer 5xx and always in the contract's shapes", async () => {
    const token = server.token("fuzz");
    const value = fc.oneof(
      fc.string(),
      fc.string({ unit: "grapheme" }),
      fc.integer().map(String),
      fc.constantFrom(
        ...JOB_STATUSES,
        ...SORT_FIELDS,
        "asc",
        "desc",
        "",
        ",",
        "1e3",
        "-0",
        "NaN",
        "99999999999999999999",
      ),
    );
    const key = fc.constantFrom(
      "limit",
      "cursor",
      "type",
      "status",
      "resultType",
      "createdFrom",
      "createdTo",
      "sortBy",
      "sortOrder",
      "other",
      "limit[]",
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(key, value), { maxLength: 6 }),
        fc.boolean(),
        async (pairs, withLimit) => {
          const params = new URLSearchParams(pairs);
          if (withLimit && !params.has("limit")) params.set("limit", "5");
          const response = await server.request(`/v1/jobs?${params.toString()}`, { token });
          expect([200, 400], response.text).toContain(response.status);
          if (response.status === 200) ListJobsResponseSchema.parse(response.body);
          else ErrorBodySchema.parse(response.body);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("fuzzed create bodies never answer 5xx, and nothing is written unless it is a 201", async () => {
    const token = server.token("fuzz");
    // Strings built from every code point plus the ones databases choke on: U+0000 and lone surrogates.
    const awkward = fc.constantFrom(
      "\u0000",
      "\ud800",
      "\udfff",
      "\ud83d\ude00",
      "\uffff",
      "\u{10ffff}",
      "\u2028",
      "'",
      '"',
      "\\",
    );
    const text = fc
      .array(fc.oneof(fc.string({ unit: "binary", maxLength: 3 }), awkward), { maxLength: 4 })
      .map((parts) => parts.join(""));
    const json = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.oneof(
          text,
          fc.integer(),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.boolean(),
          fc.constant(null),
        ),
        fc.array(tie("value"), { maxLength: 3 }),
        fc.dictionary(text, tie("value"), { maxKeys: 3 }),
      ),
    })).value;
    const body = fc.oneof(
      json,
      fc.record({
        type: fc.constantFrom("echo", "sleep", "markdown.render", "http.request", "image.thumbnail", "nope"),
        payload: json,
      }),
      fc.record({
        type: fc.constantFrom("sleep"),
        payload: fc.record({ ms: fc.oneof(fc.integer(), fc.double(), fc.string()) }),
      }),
      fc.record({ type: fc.constant("echo"), payload: fc.dictionary(text, json) }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: undefined }),
        async (json, key) => {
          const before = await writeCounts(server);
          const response = await server.request("/v1/jobs", {
            method: "POST",
            token,
            headers: {
              "content-type": "application/json",
              ...(key && /^[\x21-\x7e]+$/.test(key) ? { "idempotency-key": key } : {}),
            },
            body: JSON.stringify(json),
          });
          expect([201, 400, 409], response.text).toContain(response.status);
          const after = await writeCounts(server);
          if (response.status === 201) {
            JobResponseSchema.parse(response.body);
            if (response.headers.get("idempotent-replayed") !== "true")
              expect(after.jobs).toBe(before.jobs + 1);
          } else {
            ErrorBodySchema.parse(response.body);
            expect(after).toEqual(before);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("fuzzed job ids never answer 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", minLength: 1 }), async (id) => {
        const response = await server.request(`/v1/jobs/${encodeURIComponent(id)}`, { token: alice });
        expect([404, 200], response.text).toContain(response.status);
        ErrorBodySchema.or(JobResponseSchema).parse(response.body);
      }),
      { numRuns: 100 },
    );
  });
});
