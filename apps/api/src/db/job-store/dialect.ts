import type { Job as JobRow } from "../../../generated/prisma-sqlite/client.js";
import type { Provider } from "../database.js";
import type { SignalChannel } from "../signals.js";

/** What one database needs to provide to the store (index.ts), which writes its SQL once for both. */

export type Params = Record<string, unknown>;
export type RawRow = Record<string, unknown>;

export type Tx = {
  all(sql: string, params?: Params): Promise<RawRow[]>;
  /** Runs a statement that returns no rows; resolves with how many rows it changed. */
  run(sql: string, params?: Params): Promise<number>;
  /** Tells this process after the commit, and (PostgreSQL) every listening process at the commit. */
  signal(channel: SignalChannel, payload?: string): Promise<void>;
  /** Tells this process after the commit: for a signal whose NOTIFY the SQL itself sent. */
  signalHere(channel: SignalChannel, payload?: string): void;
};

export type NewEvent = { userId: string; jobId: string; data: string };

export type Dialect = {
  provider: Provider;
  /** Restricts a subquery's rows to those no other transaction holds (PostgreSQL). */
  skipLocked: string;
  /** A condition on "type" against the array parameter @types. */
  typeIn: string;
  decode(this: void, row: RawRow): JobRow;
  /**
   * Whether a claim could find anything, read without a transaction; absent where claiming an empty
   * queue costs nothing. On SQLite an UPDATE takes the write lock even when it matches no row, and
   * every idle worker polls.
   */
  peek?(sql: string, params: Params): boolean;
  /**
   * Completes several attempts in one statement, each fenced as a single settle is: parameters
   * @ids, @attempts (as text), @owners, @results (JSON text) and @nows (ISO text), in step; returns
   * the rows it changed. Absent where one statement per attempt costs no round trip (SQLite).
   */
  completeManySql?: string;
  /** Appends events so that their ids commit in increasing order, and tells listeners. */
  insertEvents(tx: Tx, events: NewEvent[], now: Date): Promise<void>;
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};
