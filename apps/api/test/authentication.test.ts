import { createSecretKey, generateKeyPairSync } from "node:crypto";
import jwt from "jsonwebtoken";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { TokenKeys } from "../src/auth/keys.js";
import { authenticate } from "../src/auth/tokens.js";
import { expectError, expectNoWrites } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { postJson, signHs256, startTestServer, TEST_JWT_SECRET, type TestServer } from "./support/server.js";

const providers = await testProviders();
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Every failure of docs/api.md §2 is the same 401 with `WWW-Authenticate: Bearer`, on GET and on POST. */
async function expectUnauthorized(server: TestServer, authorization: string | undefined) {
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  const list = await server.request("/v1/jobs?limit=5", { headers });
  expectError(list, 401, "UNAUTHORIZED");
  expect(list.headers.get("www-authenticate")).toMatch(/^Bearer/);
  const create = await expectNoWrites(server.prisma, () =>
    server.request("/v1/jobs", {
      ...postJson({ type: "echo", payload: {} }),
      headers: { ...headers, "content-type": "application/json" },
    }),
  );
  expectError(create, 401, "UNAUTHORIZED");
}

describe.each(providers)("authentication (HS256) on %s", (provider) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(provider);
  });
  afterAll(() => server.close());

  const ok = async (token: string) => {
    const response = await server.request("/v1/jobs?limit=1", { token });
    expect(response.status, response.text).toBe(200);
  };

  it("accepts a valid token, and the scheme case-insensitively", async () => {
    await ok(server.token("alice"));
    const response = await server.request("/v1/jobs?limit=1", {
      headers: { authorization: `bearer ${server.token("alice")}` },
    });
    expect(response.status).toBe(200);
  });

  it("refuses a missing header, another scheme and an empty or malformed token", async () => {
    for (const header of [
      undefined,
      "",
      "Basic YWxpY2U6cHc=",
      "Bearer",
      "Bearer ",
      "Token abc",
      "Bearer a.b",
      "Bearer abc.def.ghi",
      `Bearer ${server.token("a")} extra`,
    ]) {
      await expectUnauthorized(server, header);
    }
  });

  it("refuses a bad signature and tampered claims", async () => {
    await expectUnauthorized(
      server,
      `Bearer ${jwt.sign({ sub: "alice" }, "another-secret-another-secret-1234", { expiresIn: 60 })}`,
    );
    const [header, , signature] = server.token("alice").split(".");
    const tampered = `${header}.${b64({ sub: "admin", exp: now() + 3600 })}.${signature}`;
    await expectUnauthorized(server, `Bearer ${tampered}`);
  });

  it("refuses alg none in any spelling, and any algorithm but HS256", async () => {
    for (const alg of ["none", "None", "NONE", "nOnE"]) {
      const unsigned = `${b64({ alg, typ: "JWT" })}.${b64({ sub: "alice", exp: now() + 3600 })}.`;
      await expectUnauthorized(server, `Bearer ${unsigned}`);
    }
    await expectUnauthorized(
      server,
      `Bearer ${jwt.sign({ sub: "alice" }, TEST_JWT_SECRET, { algorithm: "HS512", expiresIn: 60 })}`,
    );
    await expectUnauthorized(
      server,
      `Bearer ${jwt.sign({ sub: "alice" }, TEST_JWT_SECRET, { algorithm: "HS384", expiresIn: 60 })}`,
    );
  });

  it("requires exp, refuses expired tokens beyond 5 s of tolerance", async () => {
    await expectUnauthorized(server, `Bearer ${server.signRaw({ sub: "alice" })}`);
    await expectUnauthorized(server, `Bearer ${server.signRaw({ sub: "alice", exp: now() - 30 })}`);
    await expectUnauthorized(server, `Bearer ${server.signRaw({ sub: "alice", exp: "tomorrow" })}`);
    await ok(server.signRaw({ sub: "alice", exp: now() - 2 }));
  });

  it("refuses a future nbf beyond the tolerance", async () => {
    await expectUnauthorized(
      server,
      `Bearer ${server.signRaw({ sub: "alice", exp: now() + 3600, nbf: now() + 60 })}`,
    );
    await ok(server.signRaw({ sub: "alice", exp: now() + 3600, nbf: now() + 2 }));
  });

  it("requires sub as a string of 1 to 255 characters", async () => {
    for (const sub of [undefined, "", 42, ["alice"], { id: 1 }, "x".repeat(256)]) {
      await expectUnauthorized(
        server,
        `Bearer ${server.signRaw({ exp: now() + 60, ...(sub === undefined ? {} : { sub }) })}`,
      );
    }
    await ok(server.signRaw({ sub: "x".repeat(255), exp: now() + 60 }));
  });

  it("refuses oversized tokens without a 500", async () => {
    await expectUnauthorized(
      server,
      `Bearer ${server.signRaw({ sub: "alice", exp: now() + 60, pad: "x".repeat(9000) })}`,
    );
    // Beyond Node's 16 KiB of headers the request never reaches the app: 431, still in the error shape.
    const huge = await server.request("/v1/jobs?limit=1", {
      headers: { authorization: `Bearer ${"a".repeat(20_000)}` },
    });
    expectError(huge, 431, "HEADERS_TOO_LARGE", { message: "Request headers are larger than 16 KiB" });
  });
});

describe.each(providers)("authentication with JWT_ISSUER and JWT_AUDIENCE on %s", (provider) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(provider, {
      JWT_ISSUER: "https://issuer.example",
      JWT_AUDIENCE: "jobdeck",
    });
  });
  afterAll(() => server.close());

  it("requires the configured iss and aud", async () => {
    const claims = { sub: "alice", exp: now() + 60 };
    const good = server.signRaw({ ...claims, iss: "https://issuer.example", aud: "jobdeck" });
    expect((await server.request("/v1/jobs?limit=1", { token: good })).status).toBe(200);
    expect((await server.request("/v1/jobs?limit=1", { token: server.token("alice") })).status).toBe(200);
    for (const wrong of [
      {},
      { iss: "https://evil.example", aud: "jobdeck" },
      { iss: "https://issuer.example", aud: "other" },
      { iss: "https://issuer.example" },
    ]) {
      await expectUnauthorized(server, `Bearer ${server.signRaw({ ...claims, ...wrong })}`);
    }
  });
});

describe.each(["RS256", "ES256"] as const)("authentication with JWT_PUBLIC_KEY (%s)", (algorithm) => {
  let server: TestServer;
  const pair =
    algorithm === "RS256"
      ? generateKeyPairSync("rsa", { modulusLength: 2048 })
      : generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const publicPem = pair.publicKey.export({ type: "spki", format: "pem" }).toString();
  const privatePem = pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString();

  beforeAll(async () => {
    // Literal "\n" escapes, as most secret stores hand PEM keys over.
    server = await startTestServer("sqlite", { JWT_PUBLIC_KEY: publicPem.replace(/\n/g, "\\n") });
  });
  afterAll(() => server.close());

  it("accepts tokens signed by the key's private half", async () => {
    const token = jwt.sign({ sub: "alice" }, privatePem, { algorithm, expiresIn: 60 });
    expect((await server.request("/v1/jobs?limit=1", { token })).status).toBe(200);
  });

  it("refuses HS256 tokens, including ones keyed with the public key (algorithm confusion)", async () => {
    await expectUnauthorized(
      server,
      `Bearer ${jwt.sign({ sub: "alice" }, TEST_JWT_SECRET, { expiresIn: 60 })}`,
    );
    // jsonwebtoken itself refuses to sign HS256 with a PEM key, so build the confused token by hand.
    await expectUnauthorized(server, `Bearer ${signHs256({ sub: "alice", exp: now() + 60 }, publicPem)}`);
  });

  it("refuses a token from another key pair and the other asymmetric algorithm", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    await expectUnauthorized(
      server,
      `Bearer ${jwt.sign({ sub: "alice" }, other, { algorithm: "RS256", expiresIn: 60 })}`,
    );
    if (algorithm === "RS256") {
      await expectUnauthorized(
        server,
        `Bearer ${jwt.sign({ sub: "alice" }, privatePem, { algorithm: "PS256", expiresIn: 60 })}`,
      );
    }
  });
});

describe("a token verified before (the verified-token cache)", () => {
  const secret = "a-secret-that-is-long-enough-for-hs256-0123456789";
  const keysOf = (): TokenKeys => ({
    algorithm: "HS256",
    verifyKey: createSecretKey(Buffer.from(secret)),
    signKey: secret,
    issuer: undefined,
    audience: undefined,
    isGeneratedSecret: false,
  });
  /** What authenticate answers: the user, or the 401's message. */
  const outcome = (token: string, keys: TokenKeys) => {
    try {
      return authenticate(`Bearer ${token}`, keys);
    } catch (error) {
      return (error as Error).message;
    }
  };
  afterEach(() => vi.useRealTimers());

  it("answers as a first verify does once the time has moved: expired past exp, not valid before nbf", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.UTC(2026, 0, 1);
    vi.setSystemTime(start);
    const keys = keysOf();
    const token = jwt.sign({ nbf: start / 1000 - 1 }, secret, {
      algorithm: "HS256",
      subject: "alice",
      expiresIn: 60,
    });
    expect(outcome(token, keys)).toBe("alice");
    expect(outcome(token, keys)).toBe("alice");
    // Each moment: what the cached key set answers equals what a fresh one (a first verify) answers.
    for (const [at, expected] of [
      [start + 64_000, "alice"],
      [start + 65_000, "Token has expired"],
      [start - 10_000, "Token is not valid yet"],
      [start - 5_000, "alice"],
    ] as const) {
      vi.setSystemTime(at);
      expect(outcome(token, keysOf())).toBe(expected);
      expect(outcome(token, keys)).toBe(expected);
    }
  });

  it("is per key set: a token verified under one key is not taken under another", () => {
    const token = jwt.sign({}, secret, { algorithm: "HS256", subject: "alice", expiresIn: 60 });
    expect(outcome(token, keysOf())).toBe("alice");
    const other: TokenKeys = { ...keysOf(), verifyKey: createSecretKey(Buffer.from(`${secret}-other`)) };
    expect(outcome(token, other)).toBe("Token is invalid");
  });
});
