/** What global setup started and seeded, handed to the tests through the environment. */
export type E2eState = {
  /** The "list" server: its jobs keep their statuses for the whole run (see seed.ts). */
  baseUrl: string;
  /** The link `npm start` prints: `<baseUrl>/#token=<JWT for "demo">`. */
  signInUrl: string;
  /** Tokens minted with `token.js` for users whose jobs the tests create. */
  tokens: Record<"creator" | "validator", string>;
  /** The demo user's seeded jobs, newest first, with the statuses the API reported after seeding. */
  seeded: SeededJob[];
  /** The "live" server: its workers run every job the tests create, right away. */
  live: { baseUrl: string; tokens: Record<LiveUser, string> };
};

/** One user per live test, so that each test's list holds its own jobs only. */
export const LIVE_USERS = [
  "watcher",
  "follower",
  "canceller",
  "failer",
  "viewer",
  "writer",
  "traveller",
  "pauser",
  "scheduler",
  "integrator",
  "bulk",
  "logreader",
  "housekeeper",
  "searcher",
] as const;
export type LiveUser = (typeof LIVE_USERS)[number];

/** `n`: the order of creation, from 0. */
export type SeededJob = {
  id: string;
  n: number;
  type: string;
  status: string;
  payload: Record<string, unknown>;
};

const KEY = "JOBDECK_E2E_STATE";

export function saveState(state: E2eState): void {
  process.env[KEY] = JSON.stringify(state);
}

export function e2eState(): E2eState {
  const raw = process.env[KEY];
  if (!raw) throw new Error("no e2e state: run through `playwright test` so that global setup runs");
  return JSON.parse(raw) as E2eState;
}
