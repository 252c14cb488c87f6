import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

const strong = "s".repeat(32);

describe("loadConfig", () => {
  it("applies the documented defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: "development",
      port: 3000,
      host: "127.0.0.1",
      databaseUrl: "file:./data/jobdeck.db",
      workerConcurrency: 4,
      httpRequestAllowPrivate: true,
      rateLimitPerMinute: 600,
      corsOrigins: [],
      jwt: {
        key: { kind: "secret", algorithm: "HS256", secret: undefined },
        issuer: undefined,
        audience: undefined,
      },
    });
  });

  it.each([
    [{ PORT: "http" }, "PORT: must be a whole number"],
    [{ PORT: "70000" }, "PORT: must be at most 65535"],
    [{ WORKER_CONCURRENCY: "-1" }, "WORKER_CONCURRENCY: must be a whole number"],
    [
      { DATABASE_URL: "mysql://x" },
      "DATABASE_URL: must start with file: (SQLite) or postgresql:// (PostgreSQL)",
    ],
    [{ HTTP_REQUEST_ALLOW_PRIVATE: "yes" }, "HTTP_REQUEST_ALLOW_PRIVATE:"],
    [{ NODE_ENV: "staging" }, "NODE_ENV:"],
    [{ NODE_ENV: "production" }, "JWT_SECRET: is required in production and must be at least 32 bytes"],
    [
      { NODE_ENV: "production", JWT_SECRET: "short" },
      "JWT_SECRET: is required in production and must be at least 32 bytes",
    ],
    [{ JWT_PUBLIC_KEY: "not a key" }, "JWT_PUBLIC_KEY: is not a PEM public key"],
    [{ METRICS_TOKEN: "short" }, "METRICS_TOKEN: must be at least 16 characters"],
  ])("stops on %j with a one-line message naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as Error).message.startsWith(message)).toBe(true);
      expect((error as Error).message).not.toContain("\n");
    }
  });

  it("refuses private addresses for http.request by default in production", () => {
    expect(loadConfig({ NODE_ENV: "production", JWT_SECRET: strong }).httpRequestAllowPrivate).toBe(false);
    expect(
      loadConfig({ NODE_ENV: "production", JWT_SECRET: strong, HTTP_REQUEST_ALLOW_PRIVATE: "true" })
        .httpRequestAllowPrivate,
    ).toBe(true);
  });

  it("pins RS256 for an RSA public key and ES256 for a P-256 key, and refuses other curves", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .publicKey.export({ type: "spki", format: "pem" })
      .toString();
    const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
      .publicKey.export({ type: "spki", format: "pem" })
      .toString();
    const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" })
      .publicKey.export({ type: "spki", format: "pem" })
      .toString();
    expect(loadConfig({ JWT_PUBLIC_KEY: rsa }).jwt.key).toMatchObject({
      kind: "public-key",
      algorithm: "RS256",
    });
    expect(loadConfig({ JWT_PUBLIC_KEY: ec }).jwt.key).toMatchObject({
      kind: "public-key",
      algorithm: "ES256",
    });
    expect(() => loadConfig({ JWT_PUBLIC_KEY: p384 })).toThrow(
      "JWT_PUBLIC_KEY: must be an RSA key (RS256) or a P-256 EC key (ES256)",
    );
    // A public key makes production happy without JWT_SECRET.
    expect(loadConfig({ NODE_ENV: "production", JWT_PUBLIC_KEY: rsa }).isProduction).toBe(true);
  });

  it("splits CORS_ORIGINS", () => {
    expect(loadConfig({ CORS_ORIGINS: "https://a.example, https://b.example," }).corsOrigins).toEqual([
      "https://a.example",
      "https://b.example",
    ]);
  });
});
