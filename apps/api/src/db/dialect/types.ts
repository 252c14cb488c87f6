import type { Logger } from "pino";
import type { JsonFilterFragments } from "./json-filters.js";

/**
 * What one database provides to the data layer. The layer writes its SQL once for both; what
 * differs between SQLite and PostgreSQL (connections, type conversions, locking clauses, keeping
 * event ids in commit order, cross-process wake-ups, which errors mean "unreachable") is here and
 * in the two implementations beside this file, nowhere else.
 */

export type Provider = "sqlite" | "postgresql";

/** Statement parameters, named `@name` in the SQL on both databases. */
export type Params = Record<string, unknown>;

/**
 * A row as both databases return it: timestamps as Unix milliseconds, JSON columns as their text,
 * 64-bit integers as numbers.
 */
export type Row = Record<string, unknown>;

/** Wake-up calls between processes (see signals.ts): the channel names both databases use. */
export type SignalChannel = "jobs" | "events" | "cancel" | "webhooks" | "schedules" | "bulk";

export type Reader = {
  /** The rows of one read statement, prepared once per text. A statement that writes is refused. */
  all: <T = Row>(sql: string, params?: Params) => Promise<T[]>;
};

export type Tx = {
  all(sql: string, params?: Params): Promise<Row[]>;
  /** Runs a statement that returns no rows; resolves with how many rows it changed. */
  run(sql: string, params?: Params): Promise<number>;
  /**
   * A statement whose answer the caller does not need: PostgreSQL sends it with the transaction's
   * next statement or its COMMIT, in the same message (a round trip saved), so its error, if any,
   * fails that one; SQLite runs it at once. Its parameters must have a literal form (no bytes).
   */
  defer(sql: string, params?: Params): void;
  /**
   * defer, for a statement whose rows the caller wants after all: they come with the answer to the
   * message it went in (on PostgreSQL, at the latest the COMMIT's: await them after the transaction,
   * not inside it). If that message fails, the transaction fails and this never resolves.
   */
  deferAll(sql: string, params?: Params): Promise<Row[]>;
  /**
   * Several statements in turn, each one's rows: on PostgreSQL in one message when their parameters
   * all have a literal form (one round trip), each statement still reading after the one before.
   */
  allInTurn(statements: Statement[]): Promise<Row[][]>;
  /**
   * Ends the transaction: sends `statements` as allInTurn does, then COMMIT, in one message, and
   * answers each one's rows. Nothing may be sent in the transaction after it. For a transaction
   * whose last statement appends an event per row it returns (SqlFragments.jobEvents), say so with
   * `hasEvents`: `events` listeners are told after the commit when that statement returned rows (a
   * claim that found no job tells nobody). PostgreSQL only (where a message is a round trip); the
   * transaction must have no events or signals waiting for its COMMIT.
   */
  allThenCommit?(statements: Statement[], hasEvents: boolean): Promise<Row[][]>;
  /** Tells this process after the commit, and every listening process at the commit. */
  signal(channel: SignalChannel, payload?: string): Promise<void>;
  /** Tells this process after the commit: for a signal whose NOTIFY the SQL itself sends. */
  signalHere(channel: SignalChannel, payload?: string): void;
  /**
   * signal, told to other processes just after the commit instead of at it (PostgreSQL: in a
   * transaction of its own, sent in the COMMIT's message, that waits for no WAL flush). A NOTIFY in
   * a transaction holds PostgreSQL's one notify lock through its commit's flush, so no two such
   * commits share an fsync; this one does not. A crash between the two loses only the wake-up, which
   * polling makes up for.
   */
  signalAfterCommit(channel: SignalChannel, payload?: string): void;
};

/**
 * A statement of allInTurn or allThenCommit. `isPrepared`: on PostgreSQL, planned once per
 * connection (PREPARE, then EXECUTE with the values as literals) instead of at every call, for the
 * hot statements whose parameters' types PostgreSQL can tell from where they stand.
 */
export type Statement = { sql: string; params?: Params; isPrepared?: boolean };

export type Writer = {
  /** A short transaction on the process's single writer. */
  transaction: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
  /** One statement, atomic on its own: the rows it returns (RETURNING) and how many rows it changed. */
  run: (sql: string, params?: Params) => Promise<{ rows: Row[]; count: number }>;
};

/**
 * A job change's event. `webhookEvent` names it for webhooks (§13: job.created, job.started, …), or
 * is null for a change no webhook hears of (a retry back to pending, a dedupe replace): each call
 * site says which, since the row alone cannot tell a start from a retry. With it, the append also
 * writes a message for each of the owner's enabled webhooks whose events and filter (`jobType`,
 * `queue`) match, in the same transaction, and signals `webhooks` when it wrote any.
 */
export type NewEvent = {
  userId: string;
  /** A job's id; for another kind, the id of what the event is about (a job's, an operation's). */
  jobId: string;
  /** The SSE event name; absent: `job` (data = Job). */
  kind?: string;
  data: string;
  webhookEvent: string | null;
  jobType: string;
  queue: string;
};

/** How `SqlFragments.jsonRows` types a column: as the tables store it. */
export type JsonRowColumn = "text" | "integer" | "timestamp" | "json";

/** The SQL that differs, spliced into statements the layer writes once. Never carries a value. */
export type SqlFragments = JsonFilterFragments & {
  /**
   * A table (a parenthesized subquery, to alias) of the objects in the JSON-array text parameter
   * `@param`, with `columns` typed as the tables store them: a timestamp is given as Unix ms, a json
   * column as its JSON text. Many rows in one statement with one parameter, whatever their number,
   * so no limit on bound variables applies and the statement's text is the same for any count.
   */
  jsonRows(param: string, columns: Record<string, JsonRowColumn>): string;
  /** Restricts a subquery's rows to those no other transaction holds (PostgreSQL). */
  skipLocked: string;
  /** Locks the rows a SELECT reads until the transaction ends (PostgreSQL; SQLite's one writer needs none). */
  forUpdate: string;
  /** A condition that `column` is one of the string-array parameter `@param`. */
  inArray(column: string, param: string): string;
  /** `"table"` read through the named index (SQLite, where the planner may otherwise pick another). */
  tableByIndex(table: string, index: string): string;
  /**
   * Completes several attempts in one statement, each fenced as a single settle is: parameters
   * @ids, @attempts (as text), @owners, @results (JSON text) and @nows (ISO text), in step; returns
   * the rows it changed, and closes their attempt rows (job_attempts, `completed`) in the same
   * statement. Absent where one statement per attempt costs no round trip (SQLite).
   */
  completeManySql?: string;
  /**
   * completeManySql that also appends the completions' `job.completed` events (see jobEvents), for
   * a settle that is one message; its rows carry "eventData". Parameters: completeManySql's, and
   * @now, the events' time.
   */
  completeManyWithEventsSql?: string;
  /**
   * Where claims may run beside each other (PostgreSQL), a change to a queue's pause or limits must
   * not overlap a claim that read the queue before the change: such a claim could start a job after
   * the change answered. Claims take the shared form of one lock in a statement of their own (so the
   * claim's statements read after it), and queue changes the exclusive form. Absent where one writer
   * does everything in turn (SQLite).
   */
  queueGate?: { shared: string; exclusive: string };
  /**
   * Statements around one whose generic plan is as good as any but costed dearer than the plans made
   * for each call's values, so that PostgreSQL would plan it at every call: `before` has the
   * transaction keep the generic plan, `after` ends that. Absent where statements are planned once
   * anyway (SQLite).
   */
  genericPlan?: { before: string; after: string };
  /**
   * The time as a statement reads it when it runs, to the millisecond (PostgreSQL's clock_timestamp,
   * UTC): for a claim sent in one message with the queue gate, whose time must be read after the
   * gate's wait (claim.ts). Absent where that wait does not exist (SQLite).
   */
  statementClock?: string;
  /**
   * `WITH "name" AS (statement)`, to put before another statement so that a second write rides in
   * its round trip (PostgreSQL's data-modifying CTEs). Absent where a statement costs no round trip
   * and there are none (SQLite).
   */
  writableCte?: (name: string, statement: string) => string;
  /**
   * A read of the transactions (`{ writer }`, text ids) writing job_events now. Absent where event
   * ids commit in increasing order (SQLite's one writer). Where present, ids may commit out of
   * order, and a reader treats a missing id as still to come while any transaction that was
   * writing events when it saw the gap runs on (events/event-feed.ts).
   */
  eventWritersSql?: string;
  /**
   * Sets `nextRunAt`, `lastRunAt` and `lastJobId` of several schedules in one statement: parameters
   * @ids, @nextRunAts, @lastRunAts (ISO text or null) and @lastJobIds, in step. Absent where one
   * statement per schedule costs no round trip (SQLite).
   */
  updateSchedulesSql?: string;
  /**
   * Creates one pending job without a dedupe key, tags or metadata in one statement: its queue (and
   * the queue gate's shared lock), the row, its `created` event with @eventData, written last, and
   * that event's webhook messages; not its NOTIFYs (the caller sends them, Tx.signalAfterCommit). Parameters:
   * insertJobSql's, @eventData and @aliveSince. Answers one row with what the job's waitReason
   * depends on, read in the same transaction: `workerTypes` (the `types` of every worker that runs
   * jobs and was seen after @aliveSince) and its queue's isPaused and limits (QueueRow's names).
   * Absent where the separate statements cost no planning (SQLite, whose statements are prepared once).
   */
  createJobSql?: string;
  /**
   * Job events written by the statement that changes the jobs (PostgreSQL), so that nothing goes
   * back and forth between the change and its COMMIT. `data(row)` is a job row's event data as SQL
   * (jobs/mapper.ts's jobEventData, in the function `jobdeck_job_data`), for the moment `@now`;
   * `append(source, webhookEvent)` are CTEs that append the "job" events of the rows of the CTE
   * `source` (jobs' columns, their data in "eventData"), in "runAt", "id" order, with their
   * webhook messages, as appendEvents would at `@now`. Absent where a statement costs no round trip
   * (SQLite).
   */
  jobEvents?: { data(row: string): string; append(source: string, webhookEvent: string): string[] };
};

/** A database opened for a process: its connections, and what differs in its SQL. */
export type Connections = {
  sql: SqlFragments;
  /**
   * Whether several API processes serve this database at once (PostgreSQL), so that state they
   * share, such as rate-limit counters, must live in it. SQLite serves one API process.
   */
  isSharedByProcesses: boolean;
  read: Reader;
  writer: Writer;
  /**
   * Whether a claim should first check, outside any transaction, that it could find something. On
   * SQLite an UPDATE takes the write lock even when it matches no row, and every idle worker polls.
   */
  isClaimPeekWorthwhile: boolean;
  /**
   * Appends events, their ids in the order of the changes (see `eventWritersSql` for how they
   * commit), and tells listeners.
   */
  appendEvents: (tx: Tx, events: NewEvent[], now: Date) => Promise<void>;
  /**
   * Hears the other processes' signals (PostgreSQL's LISTEN). Absent where there is no such
   * channel (SQLite): other processes are then seen by polling.
   */
  listen?: (onSignal: (channel: SignalChannel, payload: string) => void) => SignalListener;
  close(): Promise<void>;
};

export type SignalListener = { isConnected(): boolean; close(): Promise<void> };

export type ConnectOptions = {
  logger: Logger;
  /** PostgreSQL connections for reads; the writer's pool is sized by `writePoolSize`. */
  readPoolSize: number;
  writePoolSize: number;
  /** Tells this process's listeners after a commit. */
  emit: (channel: SignalChannel, payload: string) => void;
};

export type Migration = { name: string; sql: string; checksum: string };
export type AppliedMigration = {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
};

/** One database kind: how to reach it, migrate it and tell its failures apart. */
export type Dialect = {
  provider: Provider;
  /** The SQLite file's absolute path, or the PostgreSQL connection string. */
  locationOf(url: string): string;
  connect(location: string, options: ConnectOptions): Promise<Connections>;
  /**
   * Applies `pending(applied)` migrations and records them in Prisma's `_prisma_migrations`, so that
   * two processes starting together migrate one after the other. Returns the names applied.
   */
  migrate(location: string, pending: (applied: AppliedMigration[]) => Migration[]): Promise<string[]>;
  /** Whether an error means the database cannot be reached right now (a 503, not a 500). */
  isUnavailable(error: { code?: unknown; message?: unknown }): boolean;
};
