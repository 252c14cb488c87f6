import { describe, expect, it, vi } from "vitest";
import { completeAction, idempotencyKeyFor, newIdempotencyKey } from "../src/lib/idempotency";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("Idempotency-Key values", () => {
  it("are random UUIDs, also where crypto.randomUUID is missing (plain http on a LAN address)", () => {
    expect(newIdempotencyKey()).toMatch(UUID_V4);
    vi.stubGlobal("crypto", { getRandomValues: crypto.getRandomValues.bind(crypto) });
    const keys = new Set(Array.from({ length: 100 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(UUID_V4);
  });

  it("stay the same for one action until it succeeds", () => {
    const first = idempotencyKeyFor("POST /v1/jobs/a/retry");
    expect(idempotencyKeyFor("POST /v1/jobs/a/retry")).toBe(first);
    expect(idempotencyKeyFor("POST /v1/jobs/b/retry")).not.toBe(first);
    completeAction("POST /v1/jobs/a/retry");
    expect(idempotencyKeyFor("POST /v1/jobs/a/retry")).not.toBe(first);
  });
});
