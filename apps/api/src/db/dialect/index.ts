import { postgresDialect } from "./postgresql.js";
import { sqliteDialect } from "./sqlite.js";
import type { Dialect, Provider } from "./types.js";

export type * from "./types.js";

/** The one place a URL picks a database kind: `postgresql://` (or `postgres://`), else SQLite. */
export const providerOf = (url: string): Provider =>
  /^postgres(ql)?:\/\//.test(url) ? "postgresql" : "sqlite";

export const dialectOf = (url: string): Dialect =>
  providerOf(url) === "postgresql" ? postgresDialect : sqliteDialect;
