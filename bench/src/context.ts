import { CONTENDERS, type ContenderId } from "./contenders.js";
import type { BenchDatabase, Provider } from "./databases.js";
import type { Mode } from "./modes.js";
import type { Cores, Running } from "./processes.js";
import { rowsPerUser, userId } from "./seed/plan.js";

/** What every target gets: the mode, the cores, the seeded databases and their servers. */
export type BenchContext = {
  mode: Mode;
  cores: Cores;
  /** The databases seeded for this run (the targets that read the seed need them). */
  providers: Provider[];
  /** Every database this run may use: R5 and R6 make fresh, empty ones of their own. */
  reachable: Provider[];
  databases: Partial<Record<Provider, BenchDatabase>>;
  /** Users by row count, most first: R1 reads the first ones (every page full), R3 the whale. */
  usersByRows: { userId: string; rows: number }[];
  /** Where `--profile` writes CPU profiles of the servers, if asked. */
  profileDir: string | undefined;
  /** The one server of this contender over this database, started on first use and kept. */
  server(provider: Provider, contender: ContenderId): Promise<Running>;
  /** A new server that the caller stops (R9 measures one from boot). */
  freshServer(provider: Provider, contender: ContenderId): Promise<Running>;
  stopServers(): Promise<void>;
  log(message: string): void;
};

export function createContext(options: {
  mode: Mode;
  cores: Cores;
  providers: Provider[];
  reachable: Provider[];
  databases: Partial<Record<Provider, BenchDatabase>>;
  profileDir: string | undefined;
  log: (message: string) => void;
}): BenchContext {
  const running = new Map<string, Promise<Running>>();
  const counts = rowsPerUser(options.mode.plan);
  const usersByRows = counts.map((rows, i) => ({ userId: userId(i), rows })).sort((a, b) => b.rows - a.rows);
  const start = (provider: Provider, contender: ContenderId) => {
    const db = options.databases[provider];
    if (!db) throw new Error(`no ${provider} database in this run`);
    options.log(`  starting ${contender} on ${provider}`);
    return CONTENDERS[contender].start(db, { core: options.cores.server, profileDir: options.profileDir });
  };
  return {
    ...options,
    usersByRows,
    server(provider, contender) {
      const key = `${provider}:${contender}`;
      let server = running.get(key);
      if (!server) running.set(key, (server = start(provider, contender)));
      return server;
    },
    freshServer: start,
    async stopServers() {
      const all = await Promise.allSettled([...running.values()]);
      running.clear();
      await Promise.all(all.flatMap((s) => (s.status === "fulfilled" ? [s.value.stop()] : [])));
    },
  };
}

/** The command that reproduces a target's figures in this mode. */
export function commandFor(mode: Mode, targetId: string): string {
  return ["npm run bench --", mode.name === "full" ? "" : `--${mode.name}`, `--only ${targetId}`]
    .filter(Boolean)
    .join(" ");
}
