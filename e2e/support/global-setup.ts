/**
 * Two real servers, each on a fresh SQLite file:
 * - "list": seeded with 260 jobs whose statuses stay put (see seed.ts), for the list, filter,
 *   sort, detail and create tests and the screenshots;
 * - "live": its workers run every job a test creates at once, for the tests that watch jobs run,
 *   cancel and retry them (ui/live.spec.ts).
 */
import { LIST_WORKERS, seedJobs } from "./seed";
import { assertBuilt, startServer, type Server } from "./server";
import { LIVE_USERS, saveState, type LiveUser } from "./state";

// Retries after milliseconds rather than seconds, so that a failing job fails while a test watches.
const FAST_RETRIES = { WORKER_BACKOFF_BASE_MS: "10", WORKER_BACKOFF_MAX_MS: "50" };
// Jobs still running at the end are handed back at once instead of after the 10 s grace period.
const QUICK_EXIT = { SHUTDOWN_GRACE_MS: "0" };

export default async function globalSetup(): Promise<() => Promise<void>> {
  assertBuilt();
  const started = await Promise.allSettled([
    startServer("list", { WORKER_CONCURRENCY: String(LIST_WORKERS), ...FAST_RETRIES, ...QUICK_EXIT }),
    startServer("live", { WORKER_CONCURRENCY: "2", ...FAST_RETRIES, ...QUICK_EXIT }),
  ]);
  const servers = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  try {
    for (const result of started) if (result.status === "rejected") throw result.reason;
    const [list, live] = servers as [Server, Server];
    const [seeded, creator, validator, ...liveTokens] = await Promise.all([
      seedJobs(list),
      list.mint("creator"),
      list.mint("validator"),
      ...LIVE_USERS.map((user) => live.mint(user)),
    ]);
    saveState({
      baseUrl: list.baseUrl,
      signInUrl: list.signInUrl,
      tokens: { creator, validator },
      seeded,
      live: {
        baseUrl: live.baseUrl,
        tokens: Object.fromEntries(LIVE_USERS.map((user, i) => [user, liveTokens[i]!])) as Record<
          LiveUser,
          string
        >,
      },
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}
