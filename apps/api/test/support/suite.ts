import { afterAll, beforeAll } from "vitest";
import type { Provider } from "../../src/db/index.js";
import { expectNoWrites } from "./assertions.js";
import { startTestServer, type TestResponse, type TestServer } from "./server.js";

/** What the tests of one describe block share: its server, two users' tokens, and helpers. */
export type Suite = {
  server: TestServer;
  alice: string;
  bob: string;
  /** Runs `fn` and fails if the database changed meanwhile. */
  noWrites<T>(fn: () => Promise<T>): Promise<T>;
  /** A POST with no body unless `init` gives one. */
  post(path: string, token: string, init?: RequestInit): Promise<TestResponse>;
  /** Puts a job in a status directly, as a worker would have. */
  setStatus(id: string, status: string): Promise<unknown>;
};

/**
 * A real server on a fresh database for the describe block this is called in: started before its
 * tests, closed (and its database dropped) after them. Without a worker unless `env` asks for one,
 * so jobs stay where the tests put them.
 */
export function serveSuite(provider: Provider, env: Record<string, string> = {}): Suite {
  const suite: Suite = {
    server: undefined as unknown as TestServer,
    alice: "",
    bob: "",
    noWrites: (fn) => expectNoWrites(suite.server.prisma, fn),
    post: (path, token, init = {}) => suite.server.request(path, { method: "POST", token, ...init }),
    setStatus: (id, status) => suite.server.prisma.job.update({ where: { id }, data: { status } }),
  };
  beforeAll(async () => {
    suite.server = await startTestServer(provider, env);
    suite.alice = suite.server.token("alice");
    suite.bob = suite.server.token("bob");
  });
  afterAll(() => suite.server.close());
  return suite;
}
