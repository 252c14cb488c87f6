import { DEDUPE_MODES, type CreateJobBody, type Job, type RetryJobBody } from "@jobdeck/contract";
import { Command, Option } from "commander";
import { act, examples, jsonOption, ndjsonOption, type JsonFlags } from "../command-kit.js";
import type { Context } from "../context.js";
import { CommandExit, EXIT, describeError, exitCodeOf } from "../exit-codes.js";
import { JOB_COLUMNS, jobRow, statusText, timeText } from "../format.js";
import {
  addJobFilterOptions,
  addSortOptions,
  jobFilterQuery,
  type JobFilterFlags,
  type SortFlags,
} from "../job-filters.js";
import { collect, durationMs, integer, keyValue, metadataValue, readJsonArgument } from "../input.js";
import type { Io } from "../output.js";
import { saveJobArtifact } from "./job-artifact.js";
import { showFailureGroups } from "./job-failures.js";
import { showJobAttempts, showJobLogs } from "./job-logs.js";
import { watchJobs } from "./watch-jobs.js";

type ListFlags = JobFilterFlags & SortFlags & JsonFlags & { limit: string; cursor?: string; all?: boolean };

async function listJobs(context: Context, flags: ListFlags): Promise<void> {
  const { out } = context;
  const query = jobFilterQuery(flags);
  const client = context.client();
  if (flags.all) {
    if (flags.ndjson) {
      for await (const job of client.jobs.iterate(query)) out.ndjson(job);
      return;
    }
    const jobs: Job[] = [];
    for await (const job of client.jobs.iterate(query)) jobs.push(job);
    if (flags.json) out.json(jobs);
    else printJobs(context, jobs);
    return;
  }
  const limit = integer(flags.limit, "--limit", 1, 100);
  const page = await client.jobs.listJobs({
    query: { ...query, limit: String(limit), ...(flags.cursor ? { cursor: flags.cursor } : {}) },
  });
  const { data, pagination } = page.body;
  if (flags.ndjson) for (const job of data) out.ndjson(job);
  else if (flags.json) out.json(data);
  else printJobs(context, data);
  if (pagination.isPartial) {
    out.note(
      "This page is partial: a filter the indexes cannot narrow read its row limit (FILTER_SCAN_LIMIT).",
    );
  }
  if (pagination.nextCursor !== null) {
    out.note(
      `More jobs match: add --cursor ${pagination.nextCursor} for the next page, or --all for every one.`,
    );
  }
}

function printJobs({ out }: Context, jobs: Job[]): void {
  if (jobs.length === 0 && out.isTTY) {
    out.note("No jobs match.");
    return;
  }
  out.table(
    JOB_COLUMNS,
    jobs.map((job) => jobRow(job, out.colors, out.isTTY)),
  );
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

export function printJob({ out }: Context, job: Job): void {
  const time = (iso: string | null) =>
    iso === null ? "-" : out.isTTY ? `${iso} (${timeText(iso, true)})` : iso;
  out.fields([
    ["id", job.id],
    ["type", job.type],
    ["status", statusText(job.status, out.colors)],
    ["queue", job.queue],
    ["priority", String(job.priority)],
    ["attempts", `${job.attempts}/${job.maxAttempts}`],
    ["created", time(job.createdAt)],
    ["updated", time(job.updatedAt)],
    ["runAt", time(job.runAt)],
    ["started", time(job.startedAt)],
    ["finished", time(job.finishedAt)],
    ["waitReason", job.waitReason ?? "-"],
    ["concurrencyKey", job.concurrencyKey ?? "-"],
    ["dedupeKey", job.dedupeKey ?? "-"],
    ["scheduleId", job.scheduleId ?? "-"],
    ["batchId", job.batchId ?? "-"],
    ["retryOf", job.retryOf ?? "-"],
    ["tags", job.tags.length > 0 ? job.tags.join(", ") : "-"],
    ["metadata", Object.keys(job.metadata).length > 0 ? JSON.stringify(job.metadata) : "-"],
    [
      "progress",
      job.progress
        ? `${job.progress.current}${job.progress.total === null ? "" : `/${job.progress.total}`}${job.progress.message ? ` ${job.progress.message}` : ""}`
        : "-",
    ],
    ["error", job.error ? out.colors.red(`${job.error.code}: ${job.error.message}`) : "-"],
    ["payload", pretty(job.payload)],
    ["result", pretty(job.result)],
  ]);
}

type CreateFlags = JsonFlags & {
  payload: string;
  queue?: string;
  priority?: string;
  runAt?: string;
  delay?: string;
  concurrencyKey?: string;
  dedupeKey?: string;
  dedupe?: (typeof DEDUPE_MODES)[number];
  debounce?: string;
  debounceMax?: string;
  tag?: string[];
  metadata?: string[];
  idempotencyKey?: string;
  wait?: boolean;
  timeout?: string;
};

async function createJob(context: Context, type: string, flags: CreateFlags): Promise<void> {
  const { out } = context;
  const body: CreateJobBody = {
    type,
    payload: await readJsonArgument(flags.payload, "--payload", context.io),
  };
  if (flags.queue !== undefined) body.queue = flags.queue;
  if (flags.priority !== undefined) body.priority = integer(flags.priority, "--priority", -1e9, 1e9);
  if (flags.runAt !== undefined) body.runAt = flags.runAt;
  if (flags.delay !== undefined) body.delayMs = durationMs(flags.delay, "--delay");
  if (flags.concurrencyKey !== undefined) body.concurrencyKey = flags.concurrencyKey;
  if (flags.dedupeKey !== undefined) body.dedupeKey = flags.dedupeKey;
  if (flags.dedupe !== undefined) body.dedupe = flags.dedupe;
  if (flags.debounce !== undefined) body.debounceMs = durationMs(flags.debounce, "--debounce");
  if (flags.debounceMax !== undefined) body.debounceMaxMs = durationMs(flags.debounceMax, "--debounce-max");
  if (flags.tag !== undefined) body.tags = flags.tag;
  if (flags.metadata !== undefined) body.metadata = metadataOf(flags.metadata);
  const created = await context.client().jobs.createJob({
    body,
    ...(flags.idempotencyKey ? { headers: { "idempotency-key": flags.idempotencyKey } } : {}),
  });
  const job = created.body.data;
  if (!flags.wait) {
    if (flags.json) out.json(job);
    else if (created.status === 200) out.line(`Deduplicated into pending job ${job.id} (${job.type})`);
    else out.line(`Created job ${job.id} (${job.type}, ${statusText(job.status, out.colors)})`);
    return;
  }
  if (!flags.json) out.note(`Created job ${job.id}; waiting for it to end…`);
  await waitForJob(context, job.id, flags);
}

type WaitFlags = JsonFlags & { timeout?: string };

type RetryFlags = JsonFlags & {
  payload?: string;
  queue?: string;
  priority?: string;
  runAt?: string;
  tag?: string[];
  metadata?: string[];
};

const metadataOf = (entries: string[]) =>
  Object.fromEntries(
    entries.map((raw) => {
      const [key, value] = keyValue(raw, "--metadata");
      return [key, metadataValue(value)];
    }),
  );

/** The changes of a retry (§15), or none: without them it is the plain retry. */
async function retryBody(context: Context, flags: RetryFlags): Promise<RetryJobBody | undefined> {
  const body: RetryJobBody = {};
  if (flags.payload !== undefined)
    body.payload = await readJsonArgument(flags.payload, "--payload", context.io);
  if (flags.queue !== undefined) body.queue = flags.queue;
  if (flags.priority !== undefined) body.priority = integer(flags.priority, "--priority", -1e9, 1e9);
  if (flags.runAt !== undefined) body.runAt = flags.runAt;
  if (flags.tag !== undefined) body.tags = flags.tag;
  if (flags.metadata !== undefined) body.metadata = metadataOf(flags.metadata);
  return Object.keys(body).length > 0 ? body : undefined;
}

/** Waits, prints the ended job, and exits 5 unless it completed (4 when the wait timed out). */
async function waitForJob(context: Context, jobId: string, flags: WaitFlags): Promise<void> {
  const { out } = context;
  const timeoutMs = flags.timeout === undefined ? undefined : durationMs(flags.timeout, "--timeout");
  const stop = new AbortController();
  const onSignal = () => stop.abort(new CommandExit(EXIT.apiError, "Stopped waiting (interrupted)."));
  const stopListening = context.io.onInterrupt(onSignal);
  let job: Job;
  try {
    job = await context
      .client()
      .jobs.waitFor(jobId, { signal: stop.signal, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  } catch (error) {
    if (exitCodeOf(error) === EXIT.timeout) {
      throw new CommandExit(
        EXIT.timeout,
        `Job ${jobId} had not ended after ${flags.timeout}: it goes on; wait longer with --timeout, or see it with \`jobdeck jobs get ${jobId}\`.`,
      );
    }
    throw error;
  } finally {
    stopListening();
  }
  if (flags.json) out.json(job);
  else printJob(context, job);
  if (job.status !== "completed") {
    throw new CommandExit(
      EXIT.jobNotCompleted,
      `Job ${job.id} ended ${job.status}${job.error ? `: ${job.error.code}: ${job.error.message}` : ""}.`,
    );
  }
}

/** Runs `each` for every id; reports each failure and ends with the first failure's exit code. */
async function forEachId(
  context: Context,
  ids: string[],
  each: (id: string) => Promise<Job>,
  flags: JsonFlags,
  done: (job: Job) => string,
): Promise<void> {
  const { out } = context;
  const jobs: Job[] = [];
  let firstFailure: unknown;
  for (const id of ids) {
    try {
      const job = await each(id);
      jobs.push(job);
      if (!flags.json) out.line(done(job));
    } catch (error) {
      firstFailure ??= error;
      out.note(`${id}: ${describeError(error, context.url)}`);
    }
  }
  if (flags.json) out.json(jobs);
  if (firstFailure !== undefined) throw new CommandExit(exitCodeOf(firstFailure));
}

export function jobsCommand(io: Io): Command {
  const jobs = new Command("jobs").description(
    "list, create, inspect, cancel, retry, wait for and watch jobs",
  );

  examples(
    jobs
      .command("logs")
      .argument("<id>", "the job's id")
      .description("a job's log lines, oldest first; --follow prints new ones until the job ends")
      .option(
        "--level <level>",
        "only these levels: debug|info|warn|error (a comma list, or repeat the flag)",
        collect,
      )
      .option("-f, --follow", "keep printing lines as they are written, until the job ends (Ctrl-C stops)")
      .addOption(jsonOption())
      .addOption(ndjsonOption())
      .action(act(io, showJobLogs)),
    ["jobdeck jobs logs 0190f7a0-… --follow", "jobdeck jobs logs 0190f7a0-… --level warn,error --ndjson"],
  );

  examples(
    jobs
      .command("attempts")
      .argument("<id>", "the job's id")
      .description("every attempt of a job: outcome, times, worker and error")
      .addOption(jsonOption())
      .action(act(io, showJobAttempts)),
    ["jobdeck jobs attempts 0190f7a0-…"],
  );

  examples(
    addSortOptions(
      addJobFilterOptions(jobs.command("list").alias("ls").description("list jobs, newest first")),
    )
      .option("--limit <n>", "jobs to show, 1–100", "20")
      .option("--cursor <cursor>", "the page after the one that printed this cursor")
      .option("--all", "every matching job, page after page")
      .addOption(jsonOption())
      .addOption(ndjsonOption())
      .action(act(io, listJobs)),
    [
      "jobdeck jobs list --status failed --created-from 1d",
      "jobdeck jobs list --type http.request --metadata team=billing --sort-by updatedAt",
      "jobdeck jobs list --filter payload.customer.id=42 --all --ndjson | jq -r .id",
    ],
  );

  examples(
    jobs
      .command("get")
      .argument("<id>", "the job's id")
      .description("show one job: its state, payload, result or error")
      .addOption(jsonOption())
      .action(
        act(io, async (context, id: string, flags: JsonFlags) => {
          const job = (await context.client().jobs.getJob({ params: { jobId: id } })).body.data;
          if (flags.json) context.out.json(job);
          else printJob(context, job);
        }),
      ),
    ["jobdeck jobs get 0190f7a0-…", "jobdeck jobs get 0190f7a0-… --json | jq .result"],
  );

  examples(
    jobs
      .command("create")
      .argument("<type>", "a job type (jobdeck jobs types)")
      .description("create a job (§6, §11 and §15 options)")
      .option(
        "--payload <json|@file|->",
        "the payload: JSON, @file to read it from a file, - for standard input",
        "{}",
      )
      .option("--queue <name>", "the queue it waits in")
      .option("--priority <n>", "-100…100, higher first")
      .option("--run-at <time>", "not before then (ISO 8601)")
      .option("--delay <duration>", "not before this long from now (30s, 5m, 2h)")
      .option("--concurrency-key <key>", "shares the queue's per-key limits with jobs of the same key")
      .option("--dedupe-key <key>", "at most one pending job per queue and key")
      .addOption(
        new Option("--dedupe <mode>", "what to do while a pending job holds the key").choices(DEDUPE_MODES),
      )
      .option("--debounce <duration>", "with --dedupe debounce: run this long after the last create")
      .option("--debounce-max <duration>", "with --dedupe debounce: never later than this after the first")
      .option("--tag <tag>", "a tag (repeatable)", collect)
      .option(
        "--metadata <key=value>",
        "a metadata entry; true/false and numbers are typed (repeatable)",
        collect,
      )
      .option("--idempotency-key <key>", "run at most once per key within 24 hours")
      .option("--wait", "wait until it ends, then print it (exit 5 unless it completed)")
      .option("--timeout <duration>", "with --wait: give up after this long (exit 4)")
      .addOption(jsonOption())
      .action(act(io, createJob)),
    [
      `jobdeck jobs create sleep --payload '{"ms": 500}' --wait`,
      "jobdeck jobs create http.request --payload @request.json --queue crawl --tag batch:7",
      `echo '{"markdown": "# hi"}' | jobdeck jobs create markdown.render --payload - --json`,
    ],
  );

  examples(
    jobs
      .command("cancel")
      .argument("<ids...>", "one or more job ids")
      .description("cancel jobs: pending ones at once, running ones through their handler")
      .addOption(jsonOption())
      .action(
        act(io, async (context, ids: string[], flags: JsonFlags) =>
          forEachId(
            context,
            ids,
            async (jobId) => (await context.client().jobs.cancelJob({ params: { jobId } })).body.data,
            flags,
            (job) => `Cancelled ${job.id} (${statusText(job.status, context.out.colors)})`,
          ),
        ),
      ),
    [
      "jobdeck jobs cancel 0190f7a0-… 0190f7a1-…",
      "jobdeck jobs list --status pending --all --ndjson | jq -r .id | xargs jobdeck jobs cancel",
    ],
  );

  examples(
    jobs
      .command("retry")
      .argument("<ids...>", "one or more ended job ids")
      .description("retry ended jobs: each makes a new job like it, with the changes given (§15)")
      .option("--payload <json|@file|->", "a new payload: JSON, @file or - for standard input")
      .option("--queue <name>", "another queue")
      .option("--priority <n>", "another priority, -100…100")
      .option("--run-at <time>", "not before then (ISO 8601); default now")
      .option("--tag <tag>", "the new job's tags instead (repeatable)", collect)
      .option("--metadata <key=value>", "the new job's metadata instead (repeatable)", collect)
      .addOption(jsonOption())
      .action(
        act(io, async (context, ids: string[], flags: RetryFlags) => {
          const body = await retryBody(context, flags);
          return forEachId(
            context,
            ids,
            async (jobId) =>
              (await context.client().jobs.retryJob({ params: { jobId }, ...(body ? { body } : {}) })).body
                .data,
            flags,
            (job) => `Retried as ${job.id}${job.retryOf ? ` (retry of ${job.retryOf})` : ""}`,
          );
        }),
      ),
    ["jobdeck jobs retry 0190f7a0-…", `jobdeck jobs retry 0190f7a0-… --payload '{"ms": 100}' --queue slow`],
  );

  examples(
    jobs
      .command("wait")
      .argument("<id>", "the job's id")
      .description("wait until a job ends and print it: exit 0 completed, 5 failed or cancelled, 4 timed out")
      .option("--timeout <duration>", "give up after this long (30s, 5m)")
      .addOption(jsonOption())
      .action(act(io, async (context, id: string, flags: WaitFlags) => waitForJob(context, id, flags))),
    [
      "jobdeck jobs wait 0190f7a0-… --timeout 5m && echo done",
      "id=$(jobdeck jobs create echo --json | jq -r .id) && jobdeck jobs wait $id --json",
    ],
  );

  examples(
    addSortOptions(
      addJobFilterOptions(
        jobs.command("watch").description("a live table of jobs, redrawn as they change (Ctrl-C ends)"),
      ),
    )
      .option("--limit <n>", "jobs to show, 1–100", "20")
      .addOption(ndjsonOption())
      .action(act(io, watchJobs)),
    [
      "jobdeck jobs watch --status pending,running",
      "jobdeck jobs watch --queue emails --ndjson   # one line per change, for scripts",
    ],
  );

  examples(
    addJobFilterOptions(jobs.command("stats").description("count jobs by status, with the list's filters"))
      .addOption(jsonOption())
      .action(
        act(io, async (context, flags: JobFilterFlags & JsonFlags) => {
          const stats = (await context.client().jobs.getJobStats({ query: jobFilterQuery(flags) })).body.data;
          if (flags.json) return context.out.json(stats);
          context.out.table(
            ["STATUS", "JOBS"],
            [
              ...Object.entries(stats.byStatus).map(([status, count]) => [
                statusText(status, context.out.colors),
                String(count),
              ]),
              ["total", String(stats.total)],
            ],
          );
        }),
      ),
    ["jobdeck jobs stats --queue emails", "jobdeck jobs stats --created-from 1h --json"],
  );

  examples(
    addJobFilterOptions(
      jobs
        .command("failures")
        .description(
          "failed jobs grouped by type and error code, largest group first, each with the bulk retry of that group",
        ),
    )
      .addOption(jsonOption())
      .action(act(io, showFailureGroups)),
    [
      "jobdeck jobs failures --created-from 1d",
      "jobdeck jobs failures --queue emails --json | jq '.[0]'",
      "jobdeck bulk retry --status failed --type http.request --error-code HTTP_SERVER_ERROR --dry-run   # a row's command",
    ],
  );

  examples(
    jobs
      .command("artifact")
      .argument("<id>", "the job's id (an image.thumbnail job that completed)")
      .description(
        "a job's binary result (an image.thumbnail's picture): to a file, or to stdout when that is not a terminal",
      )
      .option(
        "-o, --output <file>",
        "write to this file, replaced only once complete (default: standard output, refused on a terminal)",
      )
      .addHelpText(
        "after",
        "\nExit 3 when there is no such job, or it has no artifact (not completed yet, or a type that makes none).",
      )
      .action(act(io, saveJobArtifact)),
    ["jobdeck jobs artifact 0190f7a0-… -o thumb.webp", "jobdeck jobs artifact 0190f7a0-… | identify -"],
  );

  examples(
    jobs
      .command("types")
      .description("the registered job types")
      .addOption(jsonOption())
      .action(
        act(io, async (context, flags: JsonFlags) => {
          const types = (await context.client().jobs.listJobTypes()).body.data;
          if (flags.json) return context.out.json(types);
          context.out.table(
            ["TYPE", "RESULT", "ATTEMPTS", "TIMEOUT", "DESCRIPTION"],
            types.map((type) => [
              type.type,
              type.resultType,
              String(type.maxAttempts),
              `${type.timeoutMs} ms`,
              type.description,
            ]),
          );
        }),
      ),
    ["jobdeck jobs types", "jobdeck jobs types --json | jq '.[].type'"],
  );

  return examples(jobs, [
    "jobdeck jobs list --status failed",
    "jobdeck jobs create echo --payload '{\"hi\": 1}' --wait",
  ]);
}
