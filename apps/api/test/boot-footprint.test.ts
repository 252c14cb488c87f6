import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../src/paths.js";
import { createTestDatabase, testProviders, type TestDatabase } from "./support/databases.js";
import { distEntry, startProcess } from "./support/processes.js";
import { TEST_JWT_SECRET } from "./support/server.js";

const providers = await testProviders();
const PRELOAD = join(repoRoot, "apps/api/test/support/loaded-packages.cjs");

/** The npm package a loaded file belongs to (the innermost node_modules), or undefined for our own. */
const packageOf = (file: string): string | undefined =>
  /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1];

/**
 * What a server loads before its first request stays resident for its life (issue 14's R9, RSS at
 * rest): the other database's driver, the docs page's browser bundle, the OpenAPI generator and the
 * renderers of job types it may never run are loaded when first needed, not at boot.
 */
describe.each(providers)("the built server at rest on %s", (provider) => {
  let database: TestDatabase | undefined;
  afterAll(() => database?.drop());

  it("has loaded its own database's driver and none of what only some requests need", async () => {
    database = await createTestDatabase(provider);
    const server = startProcess(distEntry("main.js"), [], {
      NODE_OPTIONS: `--require ${PRELOAD}`,
      NODE_ENV: "test",
      LOG_LEVEL: "warn",
      WORKER_CONCURRENCY: "0",
      DATABASE_URL: database.url,
      JWT_SECRET: TEST_JWT_SECRET,
      PORT: "0",
    });
    try {
      await server.waitFor(/jobdeck is running at/);
      server.child.kill("SIGUSR2");
      const [, json] = await server.waitFor(/loaded files: (\[.*\])/);
      const files = JSON.parse(json!) as string[];
      const packages = new Set(files.map(packageOf));
      expect(packages.has(provider === "sqlite" ? "better-sqlite3" : "pg")).toBe(true);
      expect(packages.has(provider === "sqlite" ? "pg" : "better-sqlite3")).toBe(false);
      expect(files.filter((file) => /swagger-ui-(bundle|standalone-preset)\.js$/.test(file))).toEqual([]);
      // @anatine/zod-openapi: the OpenAPI document is generated for the first GET /openapi.json.
      for (const lazy of ["sanitize-html", "sharp", "@anatine/zod-openapi"])
        expect(packages.has(lazy), lazy).toBe(false);
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });
});
