import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { bootRuntime, closeRuntime, type Runtime } from "../src/boot.js";
import { createTestDatabase, type TestDatabase } from "./support/databases.js";
import { testConfig } from "./support/server.js";

/**
 * A worker-only process words a payload's problems as the API does. This file runs in a process of
 * its own (vitest isolates files), so nothing else has installed the messages before the boot.
 */
describe("validation messages in a process that only runs jobs", () => {
  let database: TestDatabase | undefined;
  let runtime: Runtime | undefined;
  afterAll(async () => {
    if (runtime) await closeRuntime(runtime);
    await database?.drop();
  });

  it("are the API's once the runtime has booted, without an HTTP app", async () => {
    const schema = z.object({ ms: z.number().int().min(0) }).strict();
    const before = schema.safeParse({ ms: "soon" }).error?.issues[0]?.message;
    expect(before).toBe("Expected number, received string");
    database = await createTestDatabase("sqlite");
    runtime = await bootRuntime(testConfig(database, { WORKER_CONCURRENCY: "2" }), { migrate: false });
    expect(schema.safeParse({ ms: "soon" }).error?.issues[0]?.message).toBe("must be a number, not a string");
    expect(schema.safeParse({ ms: -1 }).error?.issues[0]?.message).toBe("must be at least 0");
  });
});
