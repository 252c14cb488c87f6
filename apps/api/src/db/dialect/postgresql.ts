import { randomUUID } from "node:crypto";
import pg from "pg";
import type { Logger } from "pino";
import type {
  AppliedMigration,
  Connections,
  ConnectOptions,
  Dialect,
  JsonRowColumn,
  NewEvent,
  Params,
  Reader,
  Row,
  SignalChannel,
  SignalListener,
  SqlFragments,
  Statement,
  Tx,
  Writer,
} from "./types.js";
import { postgresJsonFilters } from "./json-filters.js";

/**
 * PostgreSQL, for many API and worker processes on one database. A process holds two pools and one
 * more connection: reads (`readPoolSize`, read-only sessions, server-side prepared statements), the
 * writer (`writePoolSize`, short transactions) and a LISTEN connection for other processes'
 * wake-ups. Claims skip rows other transactions hold (FOR UPDATE SKIP LOCKED); NOTIFY goes out
 * inside the writing transaction, so other processes hear of a change exactly when it commits —
 * except `events` from a transaction that NOTIFYs nothing else, told just after (createNotifier).
 */

/** What json_to_recordset reads each column of SqlFragments.jsonRows as, before it is converted. */
const JSON_ROW_TYPES: Record<JsonRowColumn, string> = {
  text: "text",
  integer: "bigint",
  timestamp: "bigint",
  json: "text",
};

/**
 * The transactions writing job_events now (types.ts, `eventWritersSql`): those that hold the lock an
 * INSERT or DELETE takes on the table, from its first row to their end. Readers (AccessShareLock)
 * and every other transaction are left out, however long they run.
 */
const EVENT_WRITERS_SQL = `SELECT DISTINCT "virtualtransaction" AS "writer" FROM pg_locks
  WHERE "locktype" = 'relation' AND "relation" = '"job_events"'::regclass AND "mode" = 'RowExclusiveLock'
    AND "database" = (SELECT "oid" FROM pg_database WHERE "datname" = current_database())`;
/**
 * SqlFragments.createJobSql: the function of migrations 20261206150000 and 20261206170000, whose
 * statements keep their plans for the session; the same statements as a create's transaction, which
 * PostgreSQL planned on every create when they were sent as text (about 0.3 ms of its CPU each).
 */
const CREATE_JOB_SQL = `SELECT * FROM "jobdeck_create_job"(@id, @userId, @type, @resultType, @payload, @maxAttempts,
  @timeoutMs, @runAt, @queue, @priority, @concurrencyKey, @scheduleId, @batchId, @retryOf, @eventData, @now, @now,
  @aliveSince)`;
/**
 * Claims (shared) against changes to queues' pause and limits (exclusive): see SqlFragments.queueGate.
 * jobdeck_create_job (migration 20261206180000) spells this key too.
 */
const QUEUE_GATE_LOCK = 7_102_025_002;
/** The key Prisma's own `migrate deploy` locks: the CLI and this code never migrate at once. */
const PRISMA_MIGRATE_LOCK = 72707369;

/** The channel names NOTIFY sends on and the listener LISTENs to. */
const CHANNELS: Record<SignalChannel, string> = {
  jobs: "jobdeck_jobs",
  events: "jobdeck_events",
  cancel: "jobdeck_cancel",
  webhooks: "jobdeck_webhooks",
  schedules: "jobdeck_schedules",
  bulk: "jobdeck_bulk",
};

/**
 * `timestamp(3)` holds UTC wall-clock time (as Prisma writes it): read it as UTC milliseconds. The
 * common shape `YYYY-MM-DD HH:MM:SS[.fff]` is read field by field (Date.parse was 6 % of a list
 * request); anything else (BC dates, years past 9999) goes through Date.parse.
 */
export function utcMillis(text: string): number {
  const n = (from: number, to: number) => Number(text.slice(from, to));
  if (text.length >= 19 && text.length <= 26 && text[4] === "-" && text[10] === " " && text[19] !== " ") {
    const year = n(0, 4);
    if (year >= 100) {
      const fraction = text.length > 20 ? Number(`${text.slice(20)}00`.slice(0, 3)) : 0;
      return Date.UTC(year, n(5, 7) - 1, n(8, 10), n(11, 13), n(14, 16), n(17, 19), fraction);
    }
  }
  return Date.parse(`${text.replace(" ", "T")}Z`);
}

const OID = { int8: 20, json: 114, timestamp: 1114, jsonb: 3802 } as const;
const asText = (value: string) => value;

/**
 * The one set of type parsers, for every connection this code opens: rows come back as on SQLite
 * (timestamps as Unix ms, JSON as its text, 64-bit integers as numbers).
 */
const TYPES = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (format !== "binary") {
      if (oid === OID.timestamp) return utcMillis;
      if (oid === OID.int8) return Number;
      if (oid === OID.json || oid === OID.jsonb) return asText;
    }
    return pg.types.getTypeParser(oid, format ?? "text") as (value: string) => unknown;
  }) as typeof pg.types.getTypeParser,
};

/** A parameter as PostgreSQL takes it. ISO with Z: a timestamp-without-time-zone column takes it as UTC. */
const bindValue = (value: unknown) => (value instanceof Date ? value.toISOString() : (value ?? null));

/** A statement's text with `$n` placeholders, and the parameter name each `$n` stands for. */
type Positional = { text: string; names: string[] };

/** Each distinct statement is rewritten once; list pages and the writer's statements repeat. */
const MAX_REWRITTEN = 2_000;
const rewritten = new Map<string, Positional>();

/** `@name` parameters (the one spelling for both databases) → PostgreSQL's `$n`. */
function positional(sql: string, params: Params): { text: string; values: unknown[] } {
  const entry = positionalOf(sql);
  const values = entry.names.map((name) => {
    if (!(name in params)) throw new Error(`SQL parameter @${name} is missing`);
    return bindValue(params[name]);
  });
  return { text: entry.text, values };
}

function positionalOf(sql: string): Positional {
  let entry = rewritten.get(sql);
  if (!entry) {
    const names: string[] = [];
    const text = sql.replace(/@([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string) => {
      let index = names.indexOf(name);
      if (index < 0) index = names.push(name) - 1;
      return `$${index + 1}`;
    });
    entry = { text, names };
    if (rewritten.size < MAX_REWRITTEN) rewritten.set(sql, entry);
  }
  return entry;
}

/** Server-side prepared statements per connection; past this many shapes, unnamed ones. */
const MAX_NAMED_STATEMENTS = 500;

/** Names each distinct statement once, so every connection prepares it once and reuses it. */
function namedStatements(prefix: string) {
  const byText = new Map<string, string | undefined>();
  return (sql: string, params: Params): pg.QueryConfig => {
    if (!byText.has(sql)) {
      byText.set(sql, byText.size < MAX_NAMED_STATEMENTS ? `${prefix}${byText.size}` : undefined);
    }
    const name = byText.get(sql);
    return { ...positional(sql, params), ...(name ? { name } : {}) };
  };
}

/**
 * A string as an SQL literal, exactly as pg's client.escapeLiteral writes it (quotes and backslashes
 * doubled; ` E'…'` when there is a backslash), with two native replaces: pg's loops over every
 * character, which took about 130 ms for the events of a batch of 1,000 jobs (R13's profile).
 */
export function escapeLiteral(text: string): string {
  const quoted = text.replace(/'/g, "''");
  return text.includes("\\") ? ` E'${quoted.replace(/\\/g, "\\\\")}'` : `'${quoted}'`;
}

/** What writing values into a statement's text needs (the simple protocol takes no parameters). */
type Literals = { escapeLiteral(text: string): string };
const LITERALS: Literals = { escapeLiteral };

/**
 * A statement with its parameters written in as literals, for the simple protocol (which takes no
 * parameters but does take several statements in one message); undefined when a value has no
 * literal form here (bytes), and the statement then goes on its own with parameters. Unknown-typed
 * literals take their type from the context, as parameters do.
 */
function inlineParams(client: Literals, sql: string, params: Params): string | undefined {
  let isInlinable = true;
  const literal = literalOf(client, () => (isInlinable = false));
  const text = sql.replace(/@([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string) => {
    if (!(name in params)) throw new Error(`SQL parameter @${name} is missing`);
    return literal(params[name]);
  });
  return isInlinable ? text : undefined;
}

/** A value as an SQL literal; `onNone` is called (and NULL written) when it has no literal form. */
function literalOf(client: Literals, onNone: () => void) {
  const literal = (value: unknown): string => {
    if (value === null || value === undefined) return "NULL";
    if (typeof value === "string") return client.escapeLiteral(value);
    if (typeof value === "number" && Number.isFinite(value)) return `(${value})`;
    if (typeof value === "bigint") return `(${value})`;
    if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
    if (value instanceof Date) return client.escapeLiteral(value.toISOString());
    if (Array.isArray(value) && value.every((v) => typeof v === "string"))
      return `ARRAY[${value.map(literal).join(", ")}]::text[]`;
    onNone();
    return "NULL";
  };
  return literal;
}

/**
 * Each statement's rows from the results of a simple-protocol message that ended with `texts`
 * (a prepared one's EXECUTE is the last of its two results).
 */
function rowsOf(results: unknown, texts: string[]): Row[][] {
  const all = (Array.isArray(results) ? results : [results]) as pg.QueryResult[];
  const rows: Row[][] = [];
  let at = all.length;
  for (let i = texts.length - 1; i >= 0; i--) {
    rows.unshift(all[at - 1]!.rows as Row[]);
    at -= texts[i]!.startsWith("PREPARE ") ? 2 : 1;
  }
  return rows;
}

/** SQL-level prepared statements (Statement.isPrepared), named by their text, for every connection. */
const preparedNames = new Map<string, string>();
/** The names each connection has prepared. */
const preparedOn = new WeakMap<pg.Client, Set<string>>();

/**
 * A statement for a simple-protocol message that PostgreSQL plans once per connection: `EXECUTE`
 * with its values as literals, after a `PREPARE` the first time on this connection (whose name
 * goes to `preparing` until the message has succeeded). Undefined when a value has no literal form.
 */
function preparedStatement(
  client: pg.Client,
  sql: string,
  params: Params,
  preparing: string[],
): string | undefined {
  const { text, names } = positionalOf(sql);
  let isInlinable = true;
  const literal = literalOf(LITERALS, () => (isInlinable = false));
  const values = names.map((name) => {
    if (!(name in params)) throw new Error(`SQL parameter @${name} is missing`);
    return literal(params[name]);
  });
  if (!isInlinable) return undefined;
  let name = preparedNames.get(sql);
  if (!name) preparedNames.set(sql, (name = `jobdeck_p${preparedNames.size}`));
  const execute = values.length > 0 ? `EXECUTE ${name}(${values.join(", ")})` : `EXECUTE ${name}`;
  if (preparedOn.get(client)?.has(name) || preparing.includes(name)) return execute;
  preparing.push(name);
  return `PREPARE ${name} AS ${text}; ${execute}`;
}

/**
 * What a transaction sends with its COMMIT: the events it appends (see appendEvents) and its
 * signals' NOTIFYs, which PostgreSQL delivers at the commit wherever in the transaction they run.
 */
type DeferredEvents = {
  events: NewEvent[];
  now: Date;
  notifies: [string, string][];
  /** NOTIFYs sent after the COMMIT, in its message (Tx.signalAfterCommit). */
  notifiesAfter: [string, string][];
};
const deferredEvents = new WeakMap<Tx, DeferredEvents>();

/**
 * The events' INSERT and the COMMIT as one simple-protocol message, which the server runs back to
 * back (an error in the INSERT skips the COMMIT; the caller then rolls back). Values are inlined
 * as escaped literals: the simple protocol takes no parameters.
 *
 * The same statement writes the webhook messages (§13) of the events that name one, through the
 * function `jobdeck_webhook_messages` (migration 20261204130000): it joins them to the owners'
 * enabled webhooks whose events and filter match, and NOTIFYs `webhooks` when it wrote any. A job
 * change with no webhook to tell costs one index probe, no round trip, and no planning of the
 * messages' INSERT (the function's plans are kept per session; this statement's are not).
 */
function eventsThenCommit(client: Literals, deferred: DeferredEvents): string {
  const { events, now } = deferred;
  const literal = (value: string | null) => (value === null ? "NULL" : client.escapeLiteral(value));
  const rows = events
    .map(
      (e, n) =>
        `(${literal(e.userId)}, ${literal(e.jobId)}, ${literal(e.data)}, ${n}, ${literal(e.webhookEvent)}, ${literal(e.jobType)}, ${literal(e.queue)}, ${literal(e.kind ?? "job")})`,
    )
    .join(", ");
  const iso = client.escapeLiteral(now.toISOString());
  const at = `${iso}::timestamp(3)`;
  // The messages' rows go to the function as one jsonb built in the server from "e", so the events'
  // data is not sent twice; the function NOTIFYs `webhooks` when it wrote any.
  const hooks = events.some((e) => e.webhookEvent !== null)
    ? `,
      ${hookedCte(at, iso)}`
    : "";
  // Listeners of `events` are told in this message when the transaction NOTIFYs anyway (the notify
  // lock is then taken regardless); else after the commit, by the writer's notifier.
  const notified =
    deferred.notifies.length > 0
      ? `"notified" AS (SELECT pg_notify('${CHANNELS.events}', '')),
      `
      : "";
  return `WITH ${notified}"e" AS (SELECT * FROM (VALUES ${rows}) AS v("userId", "jobId", "data", "n", "event", "jobType", "queue", "kind"))${hooks}
    INSERT INTO "job_events" ("userId", "jobId", "data", "kind", "createdAt")
    SELECT e."userId", e."jobId", e."data", e."kind", ${at}
    FROM ${notified ? `"notified", ` : ""}${hooks ? `"hooked", ` : ""}"e"
    ORDER BY e."n";
    COMMIT`;
}

/** The webhook messages of the events of CTE "e" (see eventsThenCommit), as the CTE "hooked". */
const hookedCte = (
  at: string,
  iso: string,
) => `"hooked" AS (SELECT "jobdeck_webhook_messages"((SELECT jsonb_agg(
      jsonb_build_object('userId', e."userId", 'jobId', e."jobId", 'data', e."data", 'n', e."n", 'event', e."event",
        'jobType', e."jobType", 'queue', e."queue")) FROM "e" WHERE e."event" IS NOT NULL), ${at}, ${iso},
      '${CHANNELS.webhooks}') AS "written")`;

/**
 * SqlFragments.jobEvents: the events of the jobs a statement changed, appended by the statement
 * itself, as eventsThenCommit appends those the process sends (same order by "n", same webhook
 * messages), with their data from `jobdeck_job_data` (migration 20261206160000).
 */
const JOB_EVENTS: NonNullable<SqlFragments["jobEvents"]> = {
  data: (row) => `"jobdeck_job_data"(${row}, @now::timestamp(3))`,
  append: (source, webhookEvent) => [
    `"e" AS (SELECT "userId", "id" AS "jobId", "eventData" AS "data",
        (row_number() OVER (ORDER BY "runAt", "id"))::int - 1 AS "n", ${escapeLiteral(webhookEvent)} AS "event",
        "type" AS "jobType", "queue", 'job' AS "kind" FROM "${source}")`,
    hookedCte("@now::timestamp(3)", `to_char(@now::timestamp(3), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`),
    `"appended" AS (INSERT INTO "job_events" ("userId", "jobId", "data", "kind", "createdAt")
      SELECT e."userId", e."jobId", e."data", e."kind", @now::timestamp(3) FROM "hooked", "e" ORDER BY e."n")`,
  ],
};

/**
 * SqlFragments.completeManySql (`returning` j.*, no `after`), and completeManyWithEventsSql, which
 * also appends the completions' events (`after`, JOB_EVENTS). @attempts are text, cast in the
 * statement: a prepared statement's int[] parameter would not take a text[] literal.
 */
const completeMany = (returning: string, after: string[]) => {
  const ended = `"ended" AS (UPDATE "job_attempts" AS a SET "outcome" = 'completed', "finishedAt" = c."finishedAt"
      FROM "completed" AS c
      WHERE a."jobId" = c."id" AND a."attempt" = c."attempts" AND a."finishedAt" IS NULL)`;
  return `WITH "completed" AS (UPDATE "jobs" AS j
      SET "status" = 'completed', "result" = s."result"::jsonb, "error" = NULL,
        "finishedAt" = s."now"::timestamp(3), "leaseOwner" = NULL, "leaseExpiresAt" = NULL,
        "updatedAt" = s."now"::timestamp(3)
      FROM unnest(@ids::text[], @attempts::text[], @owners::text[], @results::text[], @nows::text[])
        AS s("id", "attempts", "owner", "result", "now")
      WHERE j."id" = s."id" AND j."attempts" = s."attempts"::int AND j."leaseOwner" = s."owner"
        AND j."status" = 'running'
      RETURNING ${returning}),
    ${[ended, ...after].join(",\n    ")}
    SELECT * FROM "completed"`;
};

/**
 * The message that ends a transaction: its NOTIFYs, then its events' INSERT and the COMMIT
 * (eventsThenCommit), or the COMMIT alone.
 */
function commitMessage(client: Literals, deferred: DeferredEvents): string {
  const select = (list: [string, string][]) =>
    `SELECT ${list
      .map(
        ([channel, payload]) =>
          `pg_notify(${client.escapeLiteral(channel)}, ${client.escapeLiteral(payload)})`,
      )
      .join(", ")}`;
  const notifies = deferred.notifies.length ? `${select(deferred.notifies)}; ` : "";
  // Tx.signalAfterCommit: a transaction of its own after the COMMIT, which runs only if the COMMIT
  // did (an error skips the rest of a message), and holds the notify lock through no WAL flush.
  const after = deferred.notifiesAfter.length
    ? `; BEGIN; SET LOCAL synchronous_commit = off; ${select(deferred.notifiesAfter)}; COMMIT`
    : "";
  return deferred.events.length > 0
    ? `${notifies}${eventsThenCommit(client, deferred)}${after}`
    : `${notifies}COMMIT${after}`;
}

const toError = (value: unknown) => (value instanceof Error ? value : new Error(String(value)));

/** A connection failure is logged by message and code only: pg hangs the whole client on the error. */
const warnLost = (logger: Logger, error: Error & { code?: string }, what: string) =>
  logger.warn({ err: { message: error.message, code: error.code } }, what);

function openPool(
  url: string,
  { max, name, isReadOnly, logger }: { max: number; name: string; isReadOnly: boolean; logger: Logger },
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: name,
    types: TYPES,
    // The read pool cannot write, whatever a mistake sends it: writes go through the writer.
    ...(isReadOnly ? { options: "-c default_transaction_read_only=on" } : {}),
  });
  // An idle client's connection can drop (a server restart); the pool replaces it on next use.
  pool.on("error", (error) => warnLost(logger, error, "an idle PostgreSQL connection failed"));
  return pool;
}

/**
 * Tells other processes that events were written, after the commit that wrote them, for the
 * transactions that NOTIFY nothing else (a claim, a settle). A NOTIFY inside a transaction takes
 * PostgreSQL's one notify lock (async.c, PreCommit_Notify) and holds it through the commit's WAL
 * flush, so every NOTIFYing commit of the cluster waits for the one before it: no two of them share
 * an fsync. This NOTIFY goes in a transaction of its own with `synchronous_commit` off (a NOTIFY
 * changes no data: a crash can lose only a wake-up, which polling makes up for), so it holds the
 * lock through no flush. At most one is in flight; those asked for meanwhile go as one after it.
 */
function createNotifier(pool: pg.Pool, logger: Logger): { notify(channel: string): void } {
  let isSending = false;
  const wanted = new Set<string>();
  const send = async () => {
    isSending = true;
    while (wanted.size > 0) {
      const channels = [...wanted];
      wanted.clear();
      const notifies = channels.map((channel) => `pg_notify('${channel}', '')`).join(", ");
      await pool
        .query(`BEGIN; SET LOCAL synchronous_commit = off; SELECT ${notifies}; COMMIT`)
        // A lost wake-up: listeners poll.
        .catch((error: unknown) =>
          logger.warn({ err: { message: (error as Error).message } }, "could not NOTIFY after a commit"),
        );
    }
    isSending = false;
  };
  return {
    notify: (channel) => {
      wanted.add(channel);
      if (!isSending) void send();
    },
  };
}

function createWriter(
  pool: pg.Pool,
  { emit, logger }: ConnectOptions,
  notifier: ReturnType<typeof createNotifier>,
): Writer {
  const statement = namedStatements("jobdeck_w");
  return {
    run: async (sql, params = {}) => {
      const result = await pool.query(statement(sql, params));
      return { rows: result.rows as Row[], count: result.rowCount ?? 0 };
    },
    transaction: async (fn) => {
      const client = await pool.connect();
      const signalled: [SignalChannel, string][] = [];
      let failure: unknown;
      // The pool listens for errors only on idle clients. A checked-out one whose connection drops
      // between two statements (the server shut down) emits 'error', which unheard would end the
      // process; heard, the next statement fails and the transaction rolls back as for any error.
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken ??= error;
        warnLost(logger, error, "a PostgreSQL connection failed inside a transaction");
      };
      client.on("error", onError);
      const deferred: DeferredEvents = { events: [], now: new Date(), notifies: [], notifiesAfter: [] };
      let hasBegun = false;
      let isCommitted = false;
      /** Deferred statements (Tx.defer, Tx.deferAll), inlined, to send with the next message. */
      const waiting: { text: string; onRows?: (rows: Row[]) => void }[] = [];
      /**
       * What the next message starts with: BEGIN for the first, then the deferred statements; `answer`
       * gives the deferred statements that want their rows (Tx.deferAll) theirs, from that message's
       * results.
       */
      const takePrefix = () => {
        const first = hasBegun ? 0 : 1;
        const taken = waiting.splice(0);
        const prefix = `${hasBegun ? "" : "BEGIN; "}${taken.map(({ text }) => `${text}; `).join("")}`;
        hasBegun = true;
        const answer = (results: pg.QueryResult | pg.QueryResult[]) => {
          const all = Array.isArray(results) ? results : [results];
          for (const [i, { onRows }] of taken.entries()) onRows?.(all[first + i]!.rows as Row[]);
        };
        return { prefix, answer };
      };
      /** Statements this transaction PREPAREs on the connection (preparedStatement). */
      const preparing: string[] = [];
      /** A statement's text in a simple-protocol message; undefined when it cannot go as text. */
      const messageText = ({ sql, params = {}, isPrepared }: Statement) =>
        isPrepared ? preparedStatement(client, sql, params, preparing) : inlineParams(LITERALS, sql, params);
      /**
       * A statement goes with the BEGIN and the deferred statements before it, in one message (the
       * simple protocol, values inlined), when there are any and it can; else prepared, on its own.
       */
      const query = async (sql: string, params: Params): Promise<pg.QueryResult> => {
        if (isCommitted) throw new Error("a statement was sent after allThenCommit's COMMIT");
        // Named: each connection parses a statement once (pg prepares it on first use), and PostgreSQL
        // may keep a generic plan; the limited claim's plans took longer than their runs.
        if (hasBegun && waiting.length === 0) return client.query(statement(sql, params));
        const { prefix, answer } = takePrefix();
        const inlined = inlineParams(LITERALS, sql, params);
        if (inlined === undefined) {
          answer(await client.query(prefix));
          return client.query(statement(sql, params));
        }
        const results = (await client.query(`${prefix}${inlined}`)) as unknown as pg.QueryResult[];
        answer(results);
        return results.at(-1)!;
      };
      try {
        const tx: Tx = {
          all: async (sql, params = {}) => (await query(sql, params)).rows as Row[],
          run: async (sql, params = {}) => (await query(sql, params)).rowCount ?? 0,
          allInTurn: async (list) => {
            const texts = list.map((statement) => messageText(statement));
            if (texts.some((text) => text === undefined)) {
              const rows: Row[][] = [];
              for (const { sql, params = {} } of list) rows.push((await query(sql, params)).rows as Row[]);
              return rows;
            }
            const { prefix, answer } = takePrefix();
            const results = await client.query(`${prefix}${texts.join("; ")}`);
            answer(results);
            return rowsOf(results, texts as string[]);
          },
          allThenCommit: async (list, hasEvents) => {
            if (
              deferred.events.length > 0 ||
              deferred.notifies.length > 0 ||
              deferred.notifiesAfter.length > 0
            )
              throw new Error("allThenCommit: events or NOTIFYs wait for this transaction's COMMIT");
            const texts = list.map((statement) => messageText(statement));
            if (texts.some((text) => text === undefined))
              throw new Error("allThenCommit: every statement needs literal parameters");
            const { prefix, answer } = takePrefix();
            const results = await client.query(`${prefix}${texts.join("; ")}; COMMIT`);
            answer(results);
            isCommitted = true;
            const rows = rowsOf(results, [...(texts as string[]), "COMMIT"]).slice(0, -1);
            if (hasEvents && rows.at(-1)!.length > 0) {
              signalled.push(["events", ""]);
              notifier.notify(CHANNELS.events);
            }
            return rows;
          },
          defer: (sql, params = {}) => {
            const inlined = inlineParams(LITERALS, sql, params);
            if (inlined === undefined) throw new Error("a deferred statement needs literal parameters");
            waiting.push({ text: inlined });
          },
          deferAll: (sql, params = {}) => {
            const inlined = inlineParams(LITERALS, sql, params);
            if (inlined === undefined) throw new Error("a deferred statement needs literal parameters");
            return new Promise((resolve) => waiting.push({ text: inlined, onRows: resolve }));
          },
          // Sent with the COMMIT (commitMessage): a NOTIFY is delivered at the commit anyway.
          signal: (channel, payload = "") => {
            // PostgreSQL folds a transaction's identical NOTIFYs into one; so does this list.
            if (!deferred.notifies.some(([c, p]) => c === CHANNELS[channel] && p === payload))
              deferred.notifies.push([CHANNELS[channel], payload]);
            signalled.push([channel, payload]);
            return Promise.resolve();
          },
          signalHere: (channel, payload = "") => {
            signalled.push([channel, payload]);
          },
          signalAfterCommit: (channel, payload = "") => {
            if (!deferred.notifiesAfter.some(([c, p]) => c === CHANNELS[channel] && p === payload))
              deferred.notifiesAfter.push([CHANNELS[channel], payload]);
            signalled.push([channel, payload]);
          },
        };
        deferredEvents.set(tx, deferred);
        const result = await fn(tx);
        if (isCommitted) {
          if (
            deferred.events.length > 0 ||
            deferred.notifies.length > 0 ||
            deferred.notifiesAfter.length > 0 ||
            waiting.length > 0
          )
            throw new Error("a statement was sent after allThenCommit's COMMIT");
        } else if (
          deferred.events.length > 0 ||
          deferred.notifies.length > 0 ||
          deferred.notifiesAfter.length > 0 ||
          waiting.length > 0
        ) {
          const { prefix, answer } = takePrefix();
          answer(await client.query(`${prefix}${commitMessage(LITERALS, deferred)}`));
        } else if (hasBegun) await client.query("COMMIT");
        // eventsThenCommit NOTIFYs `events` in the commit only when the transaction NOTIFYs anyway.
        if (deferred.events.length > 0 && deferred.notifies.length === 0) notifier.notify(CHANNELS.events);
        if (preparing.length > 0) {
          const names = preparedOn.get(client) ?? new Set<string>();
          for (const name of preparing) names.add(name);
          preparedOn.set(client, names);
        }
        for (const [channel, payload] of signalled) emit(channel, payload);
        return result;
      } catch (error) {
        failure = error;
        if (hasBegun && !isCommitted) await client.query("ROLLBACK").catch(() => undefined);
        // A PREPARE outlives a rollback, and a failed message may or may not have run this one's.
        for (const name of preparing) await client.query(`DEALLOCATE ${name}`).catch(() => undefined);
        throw error;
      } finally {
        client.off("error", onError);
        // A connection that failed (rather than a statement the server refused) is not reused.
        client.release(
          broken ??
            (failure !== undefined && !(failure instanceof pg.DatabaseError) ? toError(failure) : undefined),
        );
      }
    },
  };
}

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

/** A dedicated LISTEN connection that reconnects by itself, with a growing pause between tries. */
function listen(
  url: string,
  logger: Logger,
  onSignal: (channel: SignalChannel, payload: string) => void,
): SignalListener {
  const channelByName = new Map(
    Object.entries(CHANNELS).map(([channel, name]) => [name, channel as SignalChannel]),
  );
  let client: pg.Client | undefined;
  let isConnected = false;
  let isClosed = false;
  let retryMs = RECONNECT_MIN_MS;
  let retryTimer: NodeJS.Timeout | undefined;

  const scheduleReconnect = () => {
    if (isClosed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, RECONNECT_MAX_MS);
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString: url, application_name: "jobdeck-listen" });
    let isLost = false;
    const lost = (error?: unknown) => {
      if (isLost) return;
      isLost = true;
      if (client === next) {
        client = undefined;
        isConnected = false;
      }
      if (!isClosed) logger.warn({ err: error }, "lost the PostgreSQL notification connection; reconnecting");
      next.end().catch(() => undefined);
      scheduleReconnect();
    };
    next.on("error", lost);
    next.on("end", () => lost());
    next.on("notification", (message) => {
      const channel = channelByName.get(message.channel);
      if (channel) onSignal(channel, message.payload ?? "");
    });
    try {
      await next.connect();
      for (const name of Object.values(CHANNELS)) await next.query(`LISTEN ${name}`);
    } catch (error) {
      lost(error);
      return;
    }
    if (isClosed) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    isConnected = true;
    retryMs = RECONNECT_MIN_MS;
    // Whatever was sent while nobody listened is lost: wake everything up to look for itself.
    for (const channel of Object.keys(CHANNELS) as SignalChannel[]) onSignal(channel, "");
  };
  void connect();

  return {
    isConnected: () => isConnected,
    close: async () => {
      isClosed = true;
      clearTimeout(retryTimer);
      const current = client;
      client = undefined;
      isConnected = false;
      await current?.end().catch(() => undefined);
    },
  };
}

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;

/**
 * SQLSTATE classes that mean "the database cannot be reached": connection exceptions (08),
 * insufficient resources such as too many connections (53), the server shutting down or starting
 * (57P), authentication refused (28); and a database that does not exist (3D000) or does not accept
 * connections now (55000, `ALLOW_CONNECTIONS false`).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P|28)|^(3D000|55000)$/;

export const postgresDialect: Dialect = {
  provider: "postgresql",
  locationOf: (url) => url,

  connect: (url, options) => {
    const { logger } = options;
    const readPool = openPool(url, {
      max: options.readPoolSize,
      name: "jobdeck-read",
      isReadOnly: true,
      logger,
    });
    const writePool = openPool(url, {
      max: options.writePoolSize,
      name: "jobdeck-write",
      isReadOnly: false,
      logger,
    });
    const readStatement = namedStatements("jobdeck_r");
    const read: Reader = {
      all: async <T>(sql: string, params: Params = {}) =>
        (await readPool.query(readStatement(sql, params))).rows as T[],
    };
    const connections: Connections = {
      sql: {
        ...postgresJsonFilters,
        skipLocked: "FOR UPDATE SKIP LOCKED",
        forUpdate: "FOR UPDATE",
        inArray: (column, param) => `${column} = ANY(@${param})`,
        queueGate: {
          shared: `SELECT pg_advisory_xact_lock_shared(${QUEUE_GATE_LOCK})`,
          exclusive: `SELECT pg_advisory_xact_lock(${QUEUE_GATE_LOCK})`,
        },
        genericPlan: {
          before: "SET LOCAL plan_cache_mode = force_generic_plan",
          after: "SET LOCAL plan_cache_mode TO DEFAULT",
        },
        statementClock: `(clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3)`,
        tableByIndex: (table) => `"${table}"`,
        jsonRows: (param, columns) => {
          const entries = Object.entries(columns);
          const raw = entries.map(([name, type]) => `"${name}" ${JSON_ROW_TYPES[type]}`).join(", ");
          const typed = entries
            .map(([name, type]) =>
              type === "timestamp"
                ? `'epoch'::timestamp + r."${name}" * interval '1 millisecond' AS "${name}"`
                : type === "json"
                  ? `r."${name}"::jsonb AS "${name}"`
                  : `r."${name}"`,
            )
            .join(", ");
          return `(SELECT ${typed} FROM json_to_recordset(@${param}::json) AS r(${raw}))`;
        },
        writableCte: (name, statement) => `WITH "${name}" AS (${statement})`,
        // Each completion closes its attempt row (§14's attempts) in the same statement.
        completeManySql: completeMany("j.*", []),
        completeManyWithEventsSql: completeMany(
          `j.*, ${JOB_EVENTS.data("j")} AS "eventData"`,
          JOB_EVENTS.append("completed", "job.completed"),
        ),
        updateSchedulesSql: `UPDATE "schedules" AS s SET "nextRunAt" = v."nextRunAt"::timestamp(3),
            "lastRunAt" = v."lastRunAt"::timestamp(3), "lastJobId" = v."lastJobId"
          FROM unnest(@ids::text[], @nextRunAts::text[], @lastRunAts::text[], @lastJobIds::text[])
            AS v("id", "nextRunAt", "lastRunAt", "lastJobId")
          WHERE s."id" = v."id"`,
        eventWritersSql: EVENT_WRITERS_SQL,
        createJobSql: CREATE_JOB_SQL,
        jobEvents: JOB_EVENTS,
      },
      isSharedByProcesses: true,
      read,
      writer: createWriter(writePool, options, createNotifier(writePool, logger)),
      isClaimPeekWorthwhile: false,
      /**
       * The events are kept until the COMMIT and sent with it in one message: their ids come from
       * the table's sequence (CACHE 1, one value at a time) in that last message, after every other
       * change of the transaction, so a change that waited for another's row lock, or read what
       * another committed, takes larger ids than it — ids follow the order of the changes. No lock
       * is held: two writers can take 7 and 8 and commit 8 first, so readers treat a missing id as
       * still to come while any transaction that was writing events when they saw the gap runs on
       * (EVENT_WRITERS_SQL, events/event-feed.ts). Writers commit side by side and share fsyncs.
       */
      appendEvents: (tx, events, now) => {
        const deferred = deferredEvents.get(tx);
        if (!deferred) throw new Error("appendEvents outside a transaction of this writer");
        deferred.events.push(...events);
        deferred.now = now;
        tx.signalHere("events");
        return Promise.resolve();
      },
      listen: (onSignal) => listen(url, logger, onSignal),
      close: async () => {
        await Promise.all([readPool.end(), writePool.end()]);
      },
    };
    return Promise.resolve(connections);
  },

  migrate: async (url, pending) => {
    const client = new pg.Client({ connectionString: url, types: TYPES });
    // A dropped connection fails the statement under way; the event itself must not end the process.
    client.on("error", () => undefined);
    await client.connect();
    try {
      await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
      await client.query(MIGRATIONS_TABLE);
      const { rows } = await client.query<AppliedMigration>(`SELECT * FROM "_prisma_migrations"`);
      const todo = pending(rows);
      for (const m of todo) {
        await client.query("BEGIN");
        try {
          const startedAt = new Date();
          await client.query(m.sql);
          await client.query(
            positional(
              `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
                VALUES (@id, @checksum, now(), @name, @startedAt, 1)`,
              { id: randomUUID(), checksum: m.checksum, name: m.name, startedAt },
            ),
          );
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw new Error(`migration ${m.name} failed: ${(error as Error).message}`, { cause: error });
        }
      }
      return todo.map((m) => m.name);
    } finally {
      await client.end();
    }
  },

  isUnavailable: ({ code }) => typeof code === "string" && UNAVAILABLE_SQLSTATE.test(code),
};
