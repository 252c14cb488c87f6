import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

const messageOf = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(env)} was accepted`);
};

describe("the config schema", () => {
  it("reads DATABASE_POOL_SIZE, 10 by default, a whole number from 1 to 100", () => {
    expect(loadConfig({}).databasePoolSize).toBe(10);
    expect(loadConfig({ DATABASE_POOL_SIZE: "1" }).databasePoolSize).toBe(1);
    expect(loadConfig({ DATABASE_POOL_SIZE: "100" }).databasePoolSize).toBe(100);
    expect(messageOf({ DATABASE_POOL_SIZE: "0" })).toBe("DATABASE_POOL_SIZE: must be at least 1");
    expect(messageOf({ DATABASE_POOL_SIZE: "101" })).toBe("DATABASE_POOL_SIZE: must be at most 100");
    expect(messageOf({ DATABASE_POOL_SIZE: "ten" })).toBe("DATABASE_POOL_SIZE: must be a whole number");
  });

  it("reads FILTER_SCAN_LIMIT, 100000 by default, a whole number from 1 to 100000000", () => {
    expect(loadConfig({}).filterScanLimit).toBe(100_000);
    expect(loadConfig({ FILTER_SCAN_LIMIT: "3" }).filterScanLimit).toBe(3);
    expect(messageOf({ FILTER_SCAN_LIMIT: "0" })).toBe("FILTER_SCAN_LIMIT: must be at least 1");
    expect(messageOf({ FILTER_SCAN_LIMIT: "100000001" })).toBe(
      "FILTER_SCAN_LIMIT: must be at most 100000000",
    );
    expect(messageOf({ FILTER_SCAN_LIMIT: "1e5" })).toBe("FILTER_SCAN_LIMIT: must be a whole number");
  });

  it("derives the fields that no single variable holds", () => {
    const config = loadConfig({ EVENT_RETENTION_HOURS: "2", NODE_ENV: "test" });
    expect(config).toMatchObject({ env: "test", isProduction: false, eventRetentionMs: 7_200_000 });
    expect(loadConfig({}).eventRetentionMs).toBe(24 * 3_600_000);
  });

  it("reports a rule across variables on the variable to change", () => {
    expect(messageOf({ WORKER_BACKOFF_BASE_MS: "5000", WORKER_BACKOFF_MAX_MS: "1000" })).toBe(
      "WORKER_BACKOFF_MAX_MS: must not be less than WORKER_BACKOFF_BASE_MS",
    );
    // A bad value is reported before any rule that reads it.
    expect(messageOf({ NODE_ENV: "production", PORT: "x" })).toBe("PORT: must be a whole number");
  });

  it("groups the JWT settings: the key, the issuer and the audience", () => {
    const config = loadConfig({ JWT_SECRET: "a-secret", JWT_ISSUER: "https://issuer.example" });
    expect(config.jwt).toEqual({
      key: { kind: "secret", algorithm: "HS256", secret: "a-secret" },
      issuer: "https://issuer.example",
      audience: undefined,
    });
  });
});
